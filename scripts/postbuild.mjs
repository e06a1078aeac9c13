// After tsc: bundle the CLI, and give the `hermes` bin its executable bit (for `npm install -g .`).
import { chmodSync } from 'node:fs';
import './bundle.mjs';

chmodSync(new URL('../packages/tui/dist/hermes.js', import.meta.url), 0o755);
