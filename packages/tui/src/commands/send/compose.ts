/** What `hermes send` sends: the arguments' text, then piped stdin and `--file`s, each in a delimited block. */

/** The cap on the composed message, in UTF-8 bytes: well under the protocol's MAX_MESSAGE_CHARS and body cap. */
export const MAX_SEND_BYTES = 512 * 1024;

export interface Attachment {
  /** `stdin` or the file's path as the user typed it. */
  label: string;
  content: string;
}

export class InputTooLargeError extends Error {}
export class NoInputError extends Error {}

/** A fence longer than any backtick run inside the content, so the block cannot be closed early. */
function fenceFor(content: string): string {
  let longest = 0;
  for (const m of content.matchAll(/`{3,}/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/** An attachment as a labelled, fenced block (`[file: path]` or `[stdin]`). */
export function attachmentBlock(a: Attachment): string {
  const fence = fenceFor(a.content);
  const body = a.content.endsWith('\n') ? a.content : `${a.content}\n`;
  return `${a.label === 'stdin' ? '[stdin]' : `[file: ${a.label}]`}\n${fence}\n${body}${fence}`;
}

/**
 * `text` alone when there is nothing attached; stdin alone (verbatim) when there is no text,
 * as `hermes send < prompt.md` means the file is the prompt; else text, then each block.
 */
export function composeMessage(text: string, attachments: Attachment[]): string {
  const parts: string[] = [];
  const trimmed = text.trim();
  const hasText = trimmed.length > 0;
  const nonEmpty = attachments.filter((a) => a.content.trim().length > 0 || a.label !== 'stdin');
  if (!hasText && nonEmpty.length === 1 && nonEmpty[0]!.label === 'stdin') {
    return checkSize(nonEmpty[0]!.content.trim());
  }
  if (hasText) parts.push(trimmed);
  for (const a of nonEmpty) parts.push(attachmentBlock(a));
  const message = parts.join('\n\n');
  if (message.trim().length === 0) {
    throw new NoInputError('nothing to send: give the message as arguments, pipe it on stdin, or use --file');
  }
  return checkSize(message);
}

export function checkSize(message: string): string {
  const bytes = Buffer.byteLength(message, 'utf8');
  if (bytes > MAX_SEND_BYTES) throw new InputTooLargeError(tooLarge(bytes));
  return message;
}

export function tooLarge(bytes: number): string {
  return `the message is too large (${kib(bytes)}; the limit is ${kib(MAX_SEND_BYTES)}): send a smaller excerpt, or let the agent read the file itself`;
}

const kib = (n: number) => `${Math.ceil(n / 1024)} KiB`;
