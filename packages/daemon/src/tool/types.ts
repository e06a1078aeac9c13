import type { ClarifyOutcome, ClarifyQuestion, Todo } from '@hermes/protocol';
import type { z } from 'zod';
import type { CommandSandbox } from '../sandbox/index.js';
import type { PathAccess } from '../permission/paths.js';
import type { GuardOptions } from '../web/guard.js';
import type { ResolvedTarget } from './resolve.js';

/** What a tool may touch while it runs. */
export interface ToolContext {
  /** The call being run (names its saved output when the result is long). */
  toolCallId?: string;
  /** Absolute path of the session's workspace; relative paths resolve against it. */
  workspace: string;
  /** Environment for spawned processes. */
  env: Readonly<Record<string, string | undefined>>;
  /** Aborted when the run is cancelled: tools stop promptly and clean up. */
  signal: AbortSignal;
  /** Streams live output (terminal), already coalesced into reasonably sized pieces. */
  onOutput(text: string): void;
  /** Confines terminal commands; absent means they run unconfined. */
  sandbox?: CommandSandbox;
  /**
   * The resolved path the policy judged for this call (see `Tool.touches`). A write lands
   * exactly there or fails: a link swapped in after the approval is not followed.
   */
  target?: ResolvedTarget;
  /** Replaces the session's plan (`todo_write`): emits `plan.updated`. Absent outside a run. */
  updatePlan?(todos: Todo[]): Promise<void>;
  /** web_fetch's address rules from the daemon (its own port; the test-only loopback switch). Absent: the strict defaults. */
  web?: GuardOptions;
  /** Real paths never read, even inside a folder being searched (HERMES_HOME inside a workspace). */
  unreadable?: readonly string[];
  /** Puts questions to the user (the `clarify` tool); none: nobody can be asked. */
  clarify?(questions: ClarifyQuestion[]): Promise<ClarifyOutcome>;
}

/** The one path a call touches, for the policy: read, written, or run in (a terminal workdir). */
export interface PathUse {
  path: string;
  access: PathAccess;
}

export interface ToolResult {
  ok: boolean;
  /** What the model sees. */
  result: string;
  exitCode?: number | null;
  /** A unified diff for file edits, for display. */
  diff?: string;
}

/** JSON schema object handed to the provider as the tool's parameters. */
export type JsonSchema = Record<string, unknown>;

export interface Tool<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  parameters: JsonSchema;
  /** Read-only tools run together and skip approval, except where the policy judges their path (read_file, search_files). */
  readOnly: boolean;
  argsSchema: S;
  /** One line for approval prompts and UI cards: the command or the path. */
  summarize(args: z.infer<S>): string;
  execute(args: z.infer<S>, ctx: ToolContext): Promise<ToolResult>;
  /** For file edits: the diff the call would make, without writing (for the approval card). */
  preview?(args: z.infer<S>, ctx: ToolContext): Promise<string | undefined>;
  /** The path the call reads, writes or runs in, resolved (links followed) before the policy decides. */
  touches?(args: z.infer<S>): PathUse | undefined;
}

/** What the provider is told of a tool: defined once, with the provider's request. */
export type { ToolSpec } from '../provider/types.js';
