/**
 * The text a rule pattern is made of: the command with surrounding blanks (space, tab,
 * newline) removed, nothing else. The analysis itself reads the raw text. Folding Unicode
 * (NFKC), stripping ANSI sequences or joining lines would make the detector read a different
 * command than bash runs (a fullwidth `＇` folds to a quote bash never sees, so
 * `echo ＇; rm -rf ~; ＇` would look like one harmless echo). What bash itself does (line
 * continuations, `$IFS` splitting, ANSI-C quoting) is done by the parser, where bash does it.
 */
export function normalizeCommand(command: string): string {
  let end = command.length;
  // Keep a blank that a backslash escapes: `a\ ` ends in an argument that is a space.
  while (end > 0 && /[ \t\n]/.test(command[end - 1]!) && command[end - 2] !== '\\') end--;
  let start = 0;
  while (start < end && /[ \t\n]/.test(command[start]!)) start++;
  return command.slice(start, end);
}
