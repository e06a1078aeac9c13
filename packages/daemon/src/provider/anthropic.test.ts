import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildAnthropicBody, decodeAnthropicStream } from './anthropic.js';
import { decodeAll, enc, splitAt } from './stream-testing.test-helpers.js';

const ctx = { provider: 'anthropic', model: 'claude' };

const run = (parts: Uint8Array[]) => decodeAll(parts, (src, newId) => decodeAnthropicStream(src, ctx, { newId }));

const ev = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
const start = (usage: Record<string, number> = { input_tokens: 20, output_tokens: 1 }) =>
  ev('message_start', {
    message: { id: 'msg_1', type: 'message', role: 'assistant', content: [], model: 'claude', stop_reason: null, usage },
  });

const FIXTURES: Record<string, string> = {
  textAndTool: [
    start({ input_tokens: 20, cache_read_input_tokens: 100, output_tokens: 1 }),
    ev('ping', {}),
    ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Let me 👩‍👩‍👧 ' } }),
    ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'look.' } }),
    ev('content_block_stop', { index: 0 }),
    ev('content_block_start', { index: 1, content_block: { type: 'tool_use', id: 'toolu_1', name: 'terminal', input: {} } }),
    ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '' } }),
    ev('ping', {}),
    ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '{"command": "l' } }),
    ev('future_event', { index: 1 }),
    ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: 's"}' } }),
    ev('content_block_stop', { index: 1 }),
    ev('content_block_start', { index: 2, content_block: { type: 'tool_use', id: 'toolu_2', name: 'noargs', input: {} } }),
    ev('content_block_delta', { index: 2, delta: { type: 'input_json_delta', partial_json: '' } }),
    ev('content_block_stop', { index: 2 }),
    ev('message_delta', { delta: { stop_reason: null }, usage: { output_tokens: 10 } }),
    ev('message_delta', { delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 30 } }),
    ev('message_stop', {}),
  ].join(''),
  thinking: [
    start(),
    ev('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }),
    ev('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'Hmm, ' } }),
    ev('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'ok.' } }),
    ev('content_block_delta', { index: 0, delta: { type: 'signature_delta', signature: 'EqQBCkYIARgCIkB==' } }),
    ev('content_block_stop', { index: 0 }),
    ev('content_block_start', { index: 1, content_block: { type: 'redacted_thinking', data: 'opaque-bytes' } }),
    ev('content_block_stop', { index: 1 }),
    ev('content_block_start', { index: 2, content_block: { type: 'server_tool_use', id: 'srv', name: 'web_search', input: {} } }),
    ev('content_block_stop', { index: 2 }),
    ev('content_block_start', { index: 3, content_block: { type: 'text', text: '' } }),
    ev('content_block_delta', { index: 3, delta: { type: 'text_delta', text: 'Answer' } }),
    ev('content_block_stop', { index: 3 }),
    ev('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 5 } }),
    ev('message_stop', {}),
  ].join(''),
  // max_tokens inside a tool block: no content_block_stop, but message_stop arrives (note trailing spaces).
  maxTokensInTool: [
    start(),
    ev('content_block_start', { index: 0, content_block: { type: 'tool_use', id: 'toolu_9', name: 'write', input: {} } }),
    'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"path\\": \\"a"}}   \n\n',
    ev('message_delta', { delta: { stop_reason: 'max_tokens' }, usage: { output_tokens: 8192 } }),
    ev('message_stop', {}),
  ].join(''),
  errorEvent: [
    start(),
    ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'par' } }),
    ev('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }),
  ].join(''),
  truncated: [
    start(),
    ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'cut' } }),
  ].join(''),
  crlf: [start(), ev('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 1 } }), ev('message_stop', {})]
    .join('')
    .replace(/\n/g, '\r\n'),
};

describe('decodeAnthropicStream', () => {
  it('gives identical results whole, byte by byte and in random splits', async () => {
    for (const [name, text] of Object.entries(FIXTURES)) {
      const bytes = enc(text);
      const whole = await run([bytes]);
      expect(await run([...bytes].map((b) => Uint8Array.of(b))), name).toEqual(whole);
      await fc.assert(
        fc.asyncProperty(fc.array(fc.nat(), { maxLength: 20 }), async (cuts) => {
          expect(await run(splitAt(bytes, cuts))).toEqual(whole);
        }),
        { numRuns: 40 },
      );
    }
  });

  it('streams text, assembles tool input at block stop, overwrites cumulative usage', async () => {
    const r = await run([enc(FIXTURES.textAndTool!)]);
    expect(r.error).toBeUndefined();
    expect(r.events).toEqual([
      { type: 'usage', usage: { inputTokens: 120, outputTokens: 1, cachedTokens: 100 } },
      { type: 'text', text: 'Let me 👩‍👩‍👧 ' },
      { type: 'text', text: 'look.' },
      { type: 'tool_call', call: { id: 'toolu_1', name: 'terminal', args: { command: 'ls' } } },
      { type: 'tool_call', call: { id: 'toolu_2', name: 'noargs', args: {} } },
      { type: 'usage', usage: { inputTokens: 120, outputTokens: 10, cachedTokens: 100 } },
      { type: 'usage', usage: { inputTokens: 120, outputTokens: 30, cachedTokens: 100 } },
      { type: 'done', finishReason: 'tool_calls' },
    ]);
  });

  it('keeps thinking (with signature) and redacted blocks verbatim and in order; server tools are not calls', async () => {
    const r = await run([enc(FIXTURES.thinking!)]);
    expect(
      r.events
        .filter((e) => e.type === 'reasoning')
        .map((e) => (e as { text: string }).text)
        .join(''),
    ).toBe('Hmm, ok.');
    expect(r.events.some((e) => e.type === 'tool_call')).toBe(false);
    expect(r.events.at(-1)).toEqual({
      type: 'done',
      finishReason: 'stop',
      providerBlocks: [
        { type: 'thinking', thinking: 'Hmm, ok.', signature: 'EqQBCkYIARgCIkB==' },
        { type: 'redacted_thinking', data: 'opaque-bytes' },
      ],
    });
  });

  it('flags a tool block cut by max_tokens as unparseable', async () => {
    const r = await run([enc(FIXTURES.maxTokensInTool!)]);
    expect(r.events.filter((e) => e.type !== 'usage')).toEqual([
      { type: 'tool_call', call: { id: 'toolu_9', name: 'write', args: {}, invalidArgs: '{"path": "a' } },
      { type: 'done', finishReason: 'length' },
    ]);
  });

  it('turns error events into errors and a missing message_stop into truncated_stream', async () => {
    const e = await run([enc(FIXTURES.errorEvent!)]);
    expect(e.events).toContainEqual({ type: 'text', text: 'par' });
    expect(e.error).toMatchObject({ kind: 'overloaded', retryable: true });
    expect((await run([enc(FIXTURES.truncated!)])).error).toMatchObject({ kind: 'truncated_stream', retryable: true });
    expect((await run([])).error?.kind).toBe('truncated_stream');
    expect((await run([enc(FIXTURES.crlf!)])).events.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
  });
});

describe('buildAnthropicBody', () => {
  it('puts system on top, sends thinking blocks back first, merges tool results into one user turn', () => {
    const thinking = { type: 'thinking', thinking: 't', signature: 's' };
    const body = buildAnthropicBody(
      [
        { role: 'system', text: 'be brief' },
        { role: 'user', text: 'list' },
        {
          role: 'assistant',
          text: 'sure',
          providerBlocks: [thinking, { type: 'redacted_thinking', data: 'r' }],
          toolCalls: [
            { id: 'a', name: 'terminal', args: { command: 'ls' } },
            { id: 'b', name: 'read', args: {} },
          ],
        },
        { role: 'tool', toolCallId: 'a', content: 'x.txt' },
        { role: 'tool', toolCallId: 'b', content: 'boom', isError: true },
        { role: 'user', text: 'thanks' },
      ],
      [{ name: 'terminal', description: 'run', parameters: { type: 'object' } }],
      { model: 'claude' },
    );
    expect(body).toEqual({
      model: 'claude',
      max_tokens: 8192,
      stream: true,
      system: 'be brief',
      tools: [{ name: 'terminal', description: 'run', input_schema: { type: 'object' } }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'list' }] },
        {
          role: 'assistant',
          content: [
            thinking,
            { type: 'redacted_thinking', data: 'r' },
            { type: 'text', text: 'sure' },
            { type: 'tool_use', id: 'a', name: 'terminal', input: { command: 'ls' } },
            { type: 'tool_use', id: 'b', name: 'read', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'a', content: 'x.txt' },
            { type: 'tool_result', tool_use_id: 'b', content: 'boom', is_error: true },
            { type: 'text', text: 'thanks' },
          ],
        },
      ],
    });
  });
});
