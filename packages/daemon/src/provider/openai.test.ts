import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeOpenAIStream, buildOpenAIBody } from './openai.js';
import { decodeAll, enc, splitAt, type DecodeResult } from './stream-testing.test-helpers.js';

const ctx = { provider: 'testai', model: 'm' };

const run = (parts: Uint8Array[], opts: { thinkTags?: boolean } = {}) =>
  decodeAll(parts, (src, newId) => decodeOpenAIStream(src, ctx, { ...opts, newId }));

const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
const sse = (...lines: string[]) => lines.join('');

/** Concatenated text / reasoning and the non-delta events, for assertions that ignore chunking. */
function summary(r: DecodeResult) {
  return {
    text: r.events
      .filter((e) => e.type === 'text')
      .map((e) => (e as { text: string }).text)
      .join(''),
    reasoning: r.events
      .filter((e) => e.type === 'reasoning')
      .map((e) => (e as { text: string }).text)
      .join(''),
    rest: r.events.filter((e) => e.type !== 'text' && e.type !== 'reasoning'),
    error: r.error,
  };
}

const FIXTURES: Record<string, string> = {
  plain: sse(
    ': OPENROUTER PROCESSING\n\n',
    'data: {"id":"","model":"","choices":[]}\n\n',
    chunk({ role: 'assistant', content: '', refusal: null }),
    chunk({ content: 'Hél' }),
    chunk({ content: 'lo 👩‍👩‍👧 ' }, null, { obfuscation: 'xyz', system_fingerprint: null }),
    chunk({ content: null }),
    chunk({ content: ' 中文' }),
    chunk({}, 'stop'),
    ': keep-alive\n\n',
    'data: {"id":"c1","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15,"prompt_tokens_details":{"cached_tokens":4},"cost":0.0012}}\n\n',
    'data: [DONE]\n\n',
  ),
  crlfNoSpace:
    'data:{"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}\r\n\r\ndata:{"choices":[{"index":0,"delta":{"content":"b"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":2}}\r\r',
  parallelTools: sse(
    chunk({
      role: 'assistant',
      content: null,
      tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'read', arguments: '' } }],
    }),
    chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'terminal', arguments: '{"comm' } }] }),
    chunk({
      tool_calls: [
        { index: 1, id: 'call_b', function: { name: '', arguments: '{"path":"a\\' } },
        { index: 0, id: 'call_a', function: { arguments: 'and":"ls"}' } },
      ],
    }),
    chunk({ tool_calls: [{ index: 1, function: { arguments: '"b"}' } }] }),
    chunk({ tool_calls: [{ index: 2, id: 'call_c', function: { name: 'noargs', arguments: '' } }] }),
    chunk({ tool_calls: [{ index: 3, function: { name: 'objargs', arguments: { x: 1 } } }] }),
    chunk({}, 'stop'),
    chunk({}, null, { usage: { prompt_tokens: 3, completion_tokens: 4 } }),
    'data: [DONE]\n\n',
  ),
  noIndex: sse(
    chunk({ tool_calls: [{ id: 'g1', function: { name: 'a', arguments: '{"x":' } }] }),
    chunk({ tool_calls: [{ function: { arguments: '1}' } }] }),
    chunk({ tool_calls: [{ id: 'g2', function: { name: 'a', arguments: '{"x":2}' } }] }),
    chunk({ tool_calls: [{ id: 'g1', function: { arguments: '' } }] }),
    chunk({ tool_calls: [{ id: '', function: { name: 'b', arguments: '{}' } }] }),
    chunk({}, ''),
    'data: [DONE]\n\n',
  ),
  truncatedArgs: sse(
    chunk({ tool_calls: [{ index: 0, id: 'c', function: { name: 'write', arguments: '{"path":"x","content":"abc' } }] }),
    chunk({}, 'length'),
    'data: [DONE]\n\n',
  ),
  reasoning: sse(
    chunk({ reasoning_content: 'think ', reasoning_details: [{ type: 'reasoning.text', text: 'think ' }] }),
    chunk({ reasoning: 'more', reasoning_details: [{ type: 'reasoning.text', text: 'more' }] }),
    chunk({ content: 'answer' }),
    chunk({}, 'stop'),
    'data: [DONE]\n\n',
  ),
  thinkTags: sse(
    chunk({ content: '\n<thi' }),
    chunk({ content: 'nk>inner <b>x' }),
    chunk({ content: '</th' }),
    chunk({ content: 'ink>\n\nThe ' }),
    chunk({ content: 'answer <think>literal</think>' }),
    chunk({}, 'stop'),
    'data: [DONE]\n\n',
  ),
  noDoneAfterFinish: sse(chunk({ content: 'ok' }), chunk({}, 'stop', { usage: { prompt_tokens: 1, completion_tokens: 1 } })),
  eofBeforeFinish: sse(chunk({ content: 'partial' })),
  unterminatedFinal: sse(chunk({ content: 'x' }), 'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}'),
  inBandOpenAI: sse(
    chunk({ content: 'part' }),
    'data: {"error":{"message":"The server had an error","type":"server_error","param":null,"code":null}}\n\n',
  ),
  inBandOpenRouter: sse(
    chunk({ content: 'x' }),
    'data: {"id":"c","error":{"code":502,"message":"Provider returned error"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}\n\n',
    'data: [DONE]\n\n',
  ),
  inBandLlama: 'error: {"code":500,"message":"context shift failed","type":"server_error"}\n\ndata: [DONE]\n\n',
  inBandContext:
    'data: {"error":{"message":"This model\'s maximum context length is 8192 tokens","type":"invalid_request_error","code":"context_length_exceeded"}}\n\n',
  emptyDone: 'data: [DONE]\n\n',
  roleOnlyDone: sse(chunk({ role: 'assistant', content: '' }), 'data: [DONE]\n\n'),
  lateNull: sse(chunk({ content: 'a' }, 'length'), chunk({}, null, { usage: { prompt_tokens: 9, completion_tokens: 9 } })),
  unknownFinish: sse(chunk({ content: 'a' }, 'insufficient_system_resource'), 'data: [DONE]\n\n'),
  sameIndexTwiceInChunk: sse(
    chunk({
      tool_calls: [
        { index: 0, id: 'v1', function: { name: 'f', arguments: '{"a"' } },
        { index: 0, function: { arguments: ':1}' } },
      ],
    }),
    chunk({}, 'tool_calls'),
    'data: [DONE]\n\n',
  ),
  newIdOnUsedIndex: sse(
    chunk({ tool_calls: [{ index: 0, id: 'd1', function: { name: 'f', arguments: '{}' } }] }),
    chunk({ tool_calls: [{ index: 0, id: 'd2', function: { name: 'g', arguments: '{"y":1}' } }] }),
    chunk({}, 'tool_calls'),
    'data: [DONE]\n\n',
  ),
  afterDoneIgnored: sse(chunk({ content: 'a' }, 'stop'), 'data: [DONE]\n\n', chunk({ content: 'ignored' })),
};

describe('decodeOpenAIStream', () => {
  it('gives identical results whole, byte by byte and in random splits, for every fixture', async () => {
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

  it('streams text, skips comments and empty choices, keeps the last usage with cost', async () => {
    const s = summary(await run([enc(FIXTURES.plain!)]));
    expect(s.text).toBe('Héllo 👩‍👩‍👧  中文');
    expect(s.rest).toEqual([
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 5, cachedTokens: 4, costUsd: 0.0012 } },
      { type: 'done', finishReason: 'stop' },
    ]);
    expect(s.error).toBeUndefined();
  });

  it('handles CRLF, CR and data: without a space; usage on the finish chunk', async () => {
    const s = summary(await run([enc(FIXTURES.crlfNoSpace!)]));
    expect(s.text).toBe('ab');
    expect(s.rest).toEqual([
      { type: 'usage', usage: { inputTokens: 1, outputTokens: 2 } },
      { type: 'done', finishReason: 'stop' },
    ]);
  });

  it('assembles parallel calls by index: ids set once, names not repeated, args concatenated and parsed once', async () => {
    const s = summary(await run([enc(FIXTURES.parallelTools!)]));
    expect(s.rest).toEqual([
      { type: 'tool_call', call: { id: 'call_a', name: 'terminal', args: { command: 'ls' } } },
      { type: 'tool_call', call: { id: 'call_b', name: 'read', args: { path: 'a"b' } } },
      { type: 'tool_call', call: { id: 'call_c', name: 'noargs', args: {} } },
      { type: 'tool_call', call: { id: 'syn_1', name: 'objargs', args: { x: 1 } } },
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 4 } },
      { type: 'done', finishReason: 'tool_calls' },
    ]);
  });

  it('falls back to ids when there is no index, and synthesizes missing ids', async () => {
    const s = summary(await run([enc(FIXTURES.noIndex!)]));
    expect(s.rest).toEqual([
      { type: 'tool_call', call: { id: 'g1', name: 'a', args: { x: 1 } } },
      { type: 'tool_call', call: { id: 'g2', name: 'a', args: { x: 2 } } },
      { type: 'tool_call', call: { id: 'syn_1', name: 'b', args: {} } },
      { type: 'done', finishReason: 'tool_calls' },
    ]);
  });

  it('flags arguments cut by max tokens as invalid, keeping the raw text', async () => {
    const s = summary(await run([enc(FIXTURES.truncatedArgs!)]));
    expect(s.rest).toEqual([
      { type: 'tool_call', call: { id: 'c', name: 'write', args: {}, invalidArgs: '{"path":"x","content":"abc' } },
      { type: 'done', finishReason: 'length' },
    ]);
  });

  it('processes several deltas of one index in one chunk; a new id on a used index is a new call', async () => {
    expect(summary(await run([enc(FIXTURES.sameIndexTwiceInChunk!)])).rest[0]).toEqual({
      type: 'tool_call',
      call: { id: 'v1', name: 'f', args: { a: 1 } },
    });
    const calls = summary(await run([enc(FIXTURES.newIdOnUsedIndex!)])).rest.filter((e) => e.type === 'tool_call');
    expect(calls).toEqual([
      { type: 'tool_call', call: { id: 'd1', name: 'f', args: {} } },
      { type: 'tool_call', call: { id: 'd2', name: 'g', args: { y: 1 } } },
    ]);
  });

  it('reads reasoning_content or reasoning, never doubled by reasoning_details', async () => {
    const s = summary(await run([enc(FIXTURES.reasoning!)]));
    expect(s.reasoning).toBe('think more');
    expect(s.text).toBe('answer');
  });

  it('splits a leading <think> block into reasoning, tags split across deltas', async () => {
    const s = summary(await run([enc(FIXTURES.thinkTags!)]));
    expect(s.reasoning).toBe('inner <b>x');
    expect(s.text).toBe('The answer <think>literal</think>');
    const off = summary(await run([enc(FIXTURES.thinkTags!)], { thinkTags: false }));
    expect(off.reasoning).toBe('');
    expect(off.text).toContain('<think>inner');
  });

  it('ends normally without [DONE] after a finish; truncated before one; never parses an unterminated event', async () => {
    expect(summary(await run([enc(FIXTURES.noDoneAfterFinish!)])).rest.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
    const cut = summary(await run([enc(FIXTURES.eofBeforeFinish!)]));
    expect(cut.text).toBe('partial');
    expect(cut.error).toMatchObject({ kind: 'truncated_stream', retryable: true });
    expect(summary(await run([enc(FIXTURES.unterminatedFinal!)])).error?.kind).toBe('truncated_stream');
  });

  it('turns in-band errors of every shape into errors, keeping partial output', async () => {
    const a = summary(await run([enc(FIXTURES.inBandOpenAI!)]));
    expect(a.text).toBe('part');
    expect(a.error).toMatchObject({ kind: 'server_error', retryable: true });
    expect(a.error?.message).toContain('The server had an error');
    const b = summary(await run([enc(FIXTURES.inBandOpenRouter!)]));
    expect(b.error).toMatchObject({ kind: 'server_error' });
    expect(b.error?.message).toContain('Provider returned error');
    const c = summary(await run([enc(FIXTURES.inBandLlama!)]));
    expect(c.error?.message).toContain('context shift failed');
    expect(summary(await run([enc(FIXTURES.inBandContext!)])).error).toMatchObject({ kind: 'context_length_exceeded', retryable: false });
  });

  it('reports an empty stream as an error, never an empty success', async () => {
    expect(summary(await run([enc(FIXTURES.emptyDone!)])).error?.kind).toBe('invalid_response');
    expect(summary(await run([enc(FIXTURES.roleOnlyDone!)])).error?.kind).toBe('invalid_response');
    expect(summary(await run([])).error?.kind).toBe('truncated_stream');
  });

  it('normalizes finish reasons: a late null never clears, unknown is other, nothing after [DONE]', async () => {
    expect(summary(await run([enc(FIXTURES.lateNull!)])).rest).toEqual([
      { type: 'usage', usage: { inputTokens: 9, outputTokens: 9 } },
      { type: 'done', finishReason: 'length' },
    ]);
    expect(summary(await run([enc(FIXTURES.unknownFinish!)])).rest).toEqual([{ type: 'done', finishReason: 'other' }]);
    expect(summary(await run([enc(FIXTURES.afterDoneIgnored!)])).text).toBe('a');
  });
});

describe('buildOpenAIBody', () => {
  it('sends tool calls with JSON-string arguments, tool results as role tool, and usage options', () => {
    const body = buildOpenAIBody(
      [
        { role: 'system', text: 'sys' },
        { role: 'user', text: 'hi' },
        {
          role: 'assistant',
          text: '',
          reasoning: 'hidden',
          toolCalls: [
            { id: 't1', name: 'terminal', args: { command: 'ls' } },
            { id: 't2', name: 'x', args: {}, invalidArgs: '{bad' },
          ],
        },
        { role: 'tool', toolCallId: 't1', content: 'a.txt' },
        { role: 'tool', toolCallId: 't2', content: 'invalid arguments', isError: true },
      ],
      [{ name: 'terminal', description: 'run', parameters: { type: 'object' } }],
      { model: 'gpt', streamUsage: true, maxTokens: 100, maxTokensField: 'max_completion_tokens' },
    );
    expect(body).toEqual({
      model: 'gpt',
      stream: true,
      stream_options: { include_usage: true },
      max_completion_tokens: 100,
      tools: [{ type: 'function', function: { name: 'terminal', description: 'run', parameters: { type: 'object' } } }],
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 't1', type: 'function', function: { name: 'terminal', arguments: '{"command":"ls"}' } },
            { id: 't2', type: 'function', function: { name: 'x', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 't1', content: 'a.txt' },
        { role: 'tool', tool_call_id: 't2', content: 'invalid arguments' },
      ],
    });
    expect(buildOpenAIBody([], [], { model: 'm', streamUsage: false })).toEqual({ model: 'm', messages: [], stream: true });
  });
});
