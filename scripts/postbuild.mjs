// After tsc: bundle the CLI, give the `hermes` bin its executable bit (for `npm install -g .`),
// and link it as node_modules/.bin/hermes: npm links workspace bins before `prepare` builds
// them, and skips a bin whose file does not exist yet, so `npx hermes` would not find it.
import { chmodSync, existsSync, lstatSync, mkdirSync, symlinkSync, unlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import './bundle.mjs';

const bin = fileURLToPath(new URL('../packages/tui/dist/hermes.js', import.meta.url));
chmodSync(bin, 0o755);
const binDir = fileURLToPath(new URL('../node_modules/.bin/', import.meta.url));
const link = `${binDir}hermes`;
if (existsSync(fileURLToPath(new URL('../node_modules/', import.meta.url)))) {
  mkdirSync(binDir, { recursive: true });
  let present = false;
  try {
    present = lstatSync(link).isSymbolicLink() && existsSync(link);
    if (!present) unlinkSync(link);
  } catch {
    // absent
  }
  if (!present) symlinkSync('../../packages/tui/dist/hermes.js', link);
}
