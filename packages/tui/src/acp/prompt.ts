import { fileURLToPath } from 'node:url';
import type { ContentBlock } from '@agentclientprotocol/sdk';
import { attachmentBlock, checkSize } from '../commands/send/compose.js';

/**
 * An ACP prompt as the one text message hermes takes: text as is, embedded files (the
 * editor's context) as the same fenced `[file: …]` blocks `hermes send --file` makes, links
 * to files as their path (the agent can read them). Throws InputTooLargeError past the cap.
 */

/** A `file://` URI as a path; other URIs as they are. */
export function uriLabel(uri: string): string {
  if (!uri.startsWith('file://')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

export class EmptyPromptError extends Error {}

export function promptText(blocks: readonly ContentBlock[]): string {
  let text = '';
  const block = (b: string) => {
    text = `${text.replace(/\s*$/, '')}${text.trim() ? '\n\n' : ''}${b}\n\n`;
  };
  for (const b of blocks) {
    switch (b.type) {
      case 'text':
        text += b.text;
        break;
      case 'resource':
        if ('text' in b.resource) block(attachmentBlock({ label: uriLabel(b.resource.uri), content: b.resource.text }));
        else block(`[file: ${uriLabel(b.resource.uri)}] (binary; not attached)`);
        break;
      case 'resource_link':
        text += `[file: ${uriLabel(b.uri)}]`;
        break;
      case 'image':
      case 'audio':
        block(`[${b.type} omitted: hermes takes text only]`);
        break;
    }
  }
  const message = text.trim();
  if (!message) throw new EmptyPromptError('the prompt has no text');
  return checkSize(message);
}
