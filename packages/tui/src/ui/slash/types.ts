import type { Delivery, NoticeLevel } from '@hermes/protocol';
import type { ReasoningMode } from '../views/messages/assistant.js';
import type { CopyResult } from '../input/clipboard.js';
import type { SessionSnapshot, SessionStore } from '../store/session-store.js';

export interface CommandContext {
  /** What follows the command name, trimmed. */
  args: string;
  store: SessionStore;
  snapshot: SessionSnapshot;
  print(level: NoticeLevel | 'plain', text: string): void;
  setReasoning(update: ReasoningMode | ((mode: ReasoningMode) => ReasoningMode)): void;
  openPicker(): Promise<void>;
  /** Opens the /rewind picker on the session's user messages. */
  openRewindPicker(): void;
  /** Replaces the input's draft (completions follow it, as when typed). */
  setDraft(text: string): void;
  exit(): void;
  /** Sends a message as Enter would (pastes and @files expanded), with this delivery. */
  send(text: string, delivery: Delivery): Promise<void>;
  /** Puts text on the clipboard (tmux's buffer inside tmux, else OSC 52). */
  copyToClipboard(text: string): Promise<CopyResult>;
}

export interface SlashCommand {
  name: string;
  aliases?: string[];
  /** Shown after the name in help and completion, e.g. `<provider:model>`. */
  usage?: string;
  description: string;
  run(ctx: CommandContext): Promise<void> | void;
}
