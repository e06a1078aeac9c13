import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, parseEvent } from './events.js';

const envelope = (type: string, data: unknown) => ({ v: 1, seq: 1, sessionId: 's', ts: '2026-01-01T00:00:00Z', type, data });

describe('HermesEvent', () => {
  it('is derived from EventData: every type it lists is checked against its own data schema', () => {
    for (const type of EVENT_TYPES) {
      // `data` of the wrong kind: known types are invalid, never passed through or skipped.
      expect(parseEvent(envelope(type, 'not an object')).kind, type).toBe('invalid');
    }
  });

  it('parses a known event with its data and skips an unknown type', () => {
    const parsed = parseEvent(envelope('message.delta', { messageId: 'm', text: 'hi', extra: 1 }));
    expect(parsed).toMatchObject({ kind: 'known', event: { type: 'message.delta', data: { messageId: 'm', text: 'hi' } } });
    expect(parsed.kind === 'known' && 'extra' in parsed.event.data).toBe(false);
    expect(parseEvent(envelope('future.thing', {})).kind).toBe('unknown');
  });
});
