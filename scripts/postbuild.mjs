// tsc does not keep the executable bit; the `hermes` bin needs it for `npm install -g .`.
import { chmodSync } from 'node:fs';
chmodSync(new URL('../packages/tui/dist/cli.js', import.meta.url), 0o755);
