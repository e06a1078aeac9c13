/** What `parseShell` yields: the parts of a bash command the approval detector reads. */
export interface Word {
  /** The word after quote removal; `$(…)`, backticks and `$VAR` are kept as written. */
  text: string;
  /** Some part of it was quoted or escaped. */
  quoted: boolean;
  /** It holds an expansion (`$VAR`, `${…}`, `$(…)`, backticks): its value is only known at run time. */
  dynamic: boolean;
  /** It holds a command substitution. */
  subst: boolean;
  /** It is a process substitution `<(…)` / `>(…)`. */
  proc: boolean;
  /** It starts with an unquoted `NAME=` (or `NAME+=`): an assignment when it precedes the command. */
  assign?: boolean;
}

export interface Redirect {
  op: string;
  target: Word;
}

export interface SimpleCommand {
  words: Word[];
  redirects: Redirect[];
  /** Heredoc bodies fed to this command's stdin. */
  heredocs: string[];
  /** Lists run by substitutions in this command's words and redirects, and by `( … )` groups. */
  nested: CommandList[];
}

export interface Pipeline {
  commands: SimpleCommand[];
}

export interface CommandList {
  pipelines: Pipeline[];
}

export class ParseLimitError extends Error {}
