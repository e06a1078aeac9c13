import type { RewindMode } from '@hermes/protocol';

/** What the /rewind picker can do with a chosen message. */
export type RewindOption = RewindMode | 'fork' | 'cancel';

/** The /rewind picker's wording, in one place. */
export const REWIND_TEXT = {
  title: 'Rewind',
  keys: '↑↓ choose · Enter · Esc close',
  modeKeys: '↑↓ choose · Enter · Esc back',
  current: '(now) leave everything as it is',
  currentDetail: 'Enter here does nothing; pick a message above to go back to before it',
  noMessages: 'no messages to rewind to yet',
  to: (text: string) => `Rewind to before “${text}”`,
  option: {
    both: 'Restore the conversation and the files',
    conversation: 'Restore the conversation only (files stay as they are)',
    code: 'Restore the files only (the conversation stays)',
    fork: 'Fork: a new session from before this message (same workspace)',
    cancel: 'Never mind',
  } satisfies Record<RewindOption, string>,
};
