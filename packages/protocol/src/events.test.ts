import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, HermesEvent, parseEvent } from './events.js';

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

  it('checks the envelope of a known type as strictly as its data (one parse, nothing skipped)', () => {
    const good = envelope('message.delta', { messageId: 'm', text: 'hi' });
    expect(parseEvent(good).kind).toBe('known');
    for (const bad of [
      { ...good, seq: 0 },
      { ...good, seq: 1.5 },
      { ...good, seq: '1' },
      { ...good, v: 99 },
      { ...good, sessionId: undefined },
      { ...good, ts: 5 },
      { ...good, runId: 7 },
      { ...good, data: { messageId: 'm' } },
    ]) {
      expect(parseEvent(bad).kind, JSON.stringify(bad)).toBe('invalid');
    }
    // Unknown types still need a whole envelope to move a cursor.
    expect(parseEvent({ ...envelope('future.thing', {}), seq: -1 }).kind).toBe('invalid');
    for (const notAnEvent of [null, 'text', 42, [], {}]) expect(parseEvent(notAnEvent).kind).toBe('invalid');
  });

  it('a type named like an Object property is an unknown type, not a known one', () => {
    for (const type of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(parseEvent(envelope(type, {})).kind, type).toBe('unknown');
    }
  });

  it('the HermesEvent union parses every type and rejects bad data', () => {
    const e = HermesEvent.parse(envelope('run.started', { model: null }));
    expect(e.type).toBe('run.started');
    expect(HermesEvent.safeParse(envelope('run.started', { model: 3 })).success).toBe(false);
    expect(HermesEvent.safeParse(envelope('nope', {})).success).toBe(false);
  });
});
