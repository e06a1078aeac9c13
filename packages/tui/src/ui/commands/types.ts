import type { NoticeLevel } from '@hermes/protocol';
import type { SessionSnapshot, SessionStore } from '../store/session-store.js';

export interface CommandContext {
  /** What follows the command name, trimmed. */
  args: string;
  store: SessionStore;
  snapshot: SessionSnapshot;
  print(level: NoticeLevel | 'plain', text: string): void;
  setShowReasoning(update: (shown: boolean) => boolean): void;
  openPicker(): Promise<void>;
  /** Replaces the input's draft (completions follow it, as when typed). */
  setDraft(text: string): void;
  exit(): void;
  /** Writes an OSC 52 clipboard sequence to the terminal. */
  copyToClipboard(text: string): void;
}

export interface SlashCommand {
  name: string;
  aliases?: string[];
  /** Shown after the name in help and completion, e.g. `<provider:model>`. */
  usage?: string;
  description: string;
  run(ctx: CommandContext): Promise<void> | void;
}
