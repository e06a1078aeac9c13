/** Options of the commands, as commander parses them (cli.ts declares the flags). */

export interface ChatOptions {
  session?: string;
  continue?: boolean;
  model?: string;
  workspace?: string;
  /** `--no-instructions`: false. */
  instructions?: boolean;
}

export interface SendOptions {
  file?: string[];
  stdin: boolean;
  continue?: boolean;
  session?: string;
  model?: string;
  workspace?: string;
  title?: string;
  quiet?: boolean;
  json?: boolean;
  approve: string;
  approvalTimeout?: number;
  /** `clarify` questions: `ask` (the terminal, else dismissed), `wait` (the terminal, else another client), `dismiss`. */
  clarify?: string;
  detach?: boolean;
  /** `--no-instructions`: false. */
  instructions?: boolean;
  /** Steer the session's run in progress with the message (`delivery: steer`). */
  steer?: boolean;
  /** Cancel the session's run in progress, then run the message (`delivery: interrupt`). */
  interrupt?: boolean;
}
