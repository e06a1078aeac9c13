import type { ToolResult } from '../tool/types.js';

export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;

interface Block {
  type: string;
  text?: string;
  mimeType?: string;
  data?: string;
  uri?: string;
  name?: string;
  resource?: { uri?: string; text?: string; mimeType?: string };
}

/**
 * What the model gets from an MCP tool result: the text blocks joined, structured content as
 * JSON when there is no text, a short placeholder for images and audio (no image input yet),
 * links by URI; `isError` is a failed call. Capped, with a note saying so.
 */
export function toToolResult(
  raw: { content?: unknown; structuredContent?: unknown; isError?: unknown },
  maxBytes = DEFAULT_MAX_OUTPUT_BYTES,
): ToolResult {
  const parts: string[] = [];
  for (const b of (Array.isArray(raw.content) ? raw.content : []) as Block[]) {
    if (b.type === 'text' && typeof b.text === 'string') parts.push(b.text);
    else if (b.type === 'image' || b.type === 'audio') {
      const bytes = typeof b.data === 'string' ? Math.round((b.data.length * 3) / 4) : 0;
      parts.push(`[${b.type}: ${b.mimeType ?? 'unknown type'}, ${bytes < 1024 ? `${bytes} B` : `${Math.round(bytes / 1024)} KB`}]`);
    } else if (b.type === 'resource_link') parts.push(`[resource: ${b.name ? `${b.name} ` : ''}${b.uri ?? ''}]`);
    else if (b.type === 'resource') parts.push(b.resource?.text ?? `[resource: ${b.resource?.uri ?? ''}]`);
  }
  if (parts.length === 0 && raw.structuredContent !== undefined) parts.push(JSON.stringify(raw.structuredContent, null, 2));
  let text = parts.join('\n');
  if (!text) text = '(no output)';
  const bytes = Buffer.byteLength(text);
  if (bytes > maxBytes) {
    text =
      Buffer.from(text)
        .subarray(0, maxBytes)
        .toString('utf8')
        .replace(/\uFFFD+$/, '') + `\n[… output cut at ${maxBytes} bytes of ${bytes}]`;
  }
  return { ok: raw.isError !== true, result: text };
}
