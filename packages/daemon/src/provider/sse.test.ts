import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SseDecoder, type SseEvent } from './sse.js';
import { enc, splitAt } from './stream-testing.test-helpers.js';

function decode(parts: Uint8Array[]): { events: SseEvent[]; unterminated: boolean } {
  const d = new SseDecoder();
  const events: SseEvent[] = [];
  for (const p of parts) events.push(...d.push(p));
  const end = d.end();
  return { events: [...events, ...end.events], unterminated: end.unterminated };
}

const STREAM =
  '\uFEFF: OPENROUTER PROCESSING\r\n\r\n' +
  'data:{"a":"héllo 👩‍👩‍👧 中文"}\r\n\r\n' +
  'event: named\rdata:  two spaces: kept one\r\rdata: line1\ndata: line2\n\n' +
  'id: 7\nretry: 1000\nunknown: x\ndata: with: colons\n\n' +
  'error: {"message":"llama failed"}\n\n' +
  'data\n\n' +
  'data: unterminated';

describe('SseDecoder', () => {
  it('parses fields, comments, line ends, BOM and multi-line data', () => {
    const { events, unterminated } = decode([enc(STREAM)]);
    expect(events).toEqual([
      { event: 'message', data: '{"a":"héllo 👩‍👩‍👧 中文"}' },
      { event: 'named', data: ' two spaces: kept one' },
      { event: 'message', data: 'line1\nline2' },
      { event: 'message', data: 'with: colons' },
      { event: 'message', data: '', error: '{"message":"llama failed"}' },
      { event: 'message', data: '' },
    ]);
    expect(unterminated).toBe(true);
  });

  it('treats \\r at the end of one read and \\n at the start of the next as one line end', () => {
    const { events } = decode([enc('data: a\r'), enc('\ndata: b\r'), enc('\n\r'), enc('\n')]);
    expect(events).toEqual([{ event: 'message', data: 'a\nb' }]);
  });

  it('gives the same events whole, byte by byte and in random splits', () => {
    const bytes = enc(STREAM);
    const whole = decode([bytes]);
    const bytewise = decode([...bytes].map((b) => Uint8Array.of(b)));
    expect(bytewise).toEqual(whole);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 30 }), (cuts) => {
        expect(decode(splitAt(bytes, cuts))).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('never dispatches an event that lacks its blank line', () => {
    expect(decode([enc('data: {"x":1}\n')])).toEqual({ events: [], unterminated: true });
    expect(decode([enc('data: {"x":1}\n\n')])).toEqual({ events: [{ event: 'message', data: '{"x":1}' }], unterminated: false });
  });
});
