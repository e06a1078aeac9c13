/** Strips what makes the same command look different to a matcher but not to bash. */
export function normalizeCommand(command: string): string {
  return (
    command
      .normalize('NFKC')
      .replace(/\x00/g, '')
      // ANSI escape sequences (CSI and OSC): invisible in a terminal, confusing to a matcher.
      .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
      .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '')
      .replace(/\r\n/g, '\n')
      // Line continuations join words: `rm \<newline> -rf x` runs `rm -rf x`.
      .replace(/\\\n/g, '')
      // IFS is whitespace by default: `rm${IFS}-rf` runs `rm -rf`.
      .replace(/\$\{IFS(?:[^}]*)\}|\$IFS\b/g, ' ')
      .trim()
  );
}
