import { fileURLToPath } from 'node:url';

// Where this module sits in the unbundled build (dist/client/), the CLI is dist/cli.js.
let entry = fileURLToPath(new URL('../cli.js', import.meta.url));

/**
 * The file that runs the `hermes` command, for spawning it (`daemon run`). The CLI's entry sets
 * it to itself: the bundled entry lives elsewhere than this module. Library users keep the default.
 */
export function cliEntry(): string {
  return entry;
}

export function setCliEntry(file: string): void {
  entry = file;
}
