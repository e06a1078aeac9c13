import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { SearchHit, SessionSummary } from '@hermes/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchLogs, snippetOf } from './search.js';

let dir: string;
const summary = (id: string, title: string): SessionSummary => ({
  id,
  title,
  model: null,
  workspace: '/',
  createdAt: '',
  updatedAt: '',
  status: 'idle',
  lastSeq: 0,
});
const line = (seq: number, type: string, data: object) => JSON.stringify({ v: 1, seq, sessionId: 's', ts: '', type, data }) + '\n';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hermes-search-'));
  await writeFile(
    path.join(dir, 'a.jsonl'),
    line(1, 'session.created', { title: 'needle in the title only', model: null, workspace: '/' }) +
      line(2, 'message.user', { messageId: 'm1', text: 'Where is the "Needle"?\nIn\tthe haystack' }) +
      line(3, 'message.delta', { messageId: 'm2', text: 'needle' }) +
      line(4, 'message.completed', {
        messageId: 'm2',
        text: `${'x'.repeat(200)} found the NEEDLE here ${'y'.repeat(200)}`,
        toolCalls: [],
      }) +
      line(5, 'tool.completed', { toolCallId: 't', ok: true, result: 'needle in a tool result', durationMs: 1 }) +
      '{"v":1,"seq":6,"type":"message.user","data":{"text":"needle torn',
  );
  await writeFile(path.join(dir, 'b.jsonl'), line(1, 'message.user', { messageId: 'm', text: 'ünïcödé ÀÉ and a \u001b control' }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function search(query: string, limit = 100) {
  const hits: SearchHit[] = [];
  const end = await searchLogs({
    dir,
    sessions: [summary('b', 'B'), summary('a', 'A'), summary('gone', 'deleted')],
    query,
    limit,
    emit: async (h) => void hits.push(h),
    aborted: () => false,
  });
  return { hits, end };
}

describe('full-text search over the logs', () => {
  it('finds user and assistant text, case-insensitively, not deltas, tool output, titles or torn lines', async () => {
    const { hits, end } = await search('needle');
    expect(hits.map((h) => [h.sessionId, h.seq, h.role])).toEqual([
      ['a', 2, 'user'],
      ['a', 4, 'assistant'],
    ]);
    expect(hits[0]!.snippet).toBe('Where is the "Needle"? In the haystack');
    expect(hits[1]!.snippet).toMatch(/^…x+ found the NEEDLE here y+…$/);
    expect(hits[1]!.snippet.length).toBeLessThan(140);
    expect(end).toEqual({ type: 'end', hits: 2, sessionsSearched: 3, truncated: false });
  });

  it('matches what JSON escapes (quotes, control characters) and non-ASCII text', async () => {
    expect((await search('"needle"')).hits.map((h) => h.seq)).toEqual([2]);
    expect((await search('àé')).hits.map((h) => h.sessionId)).toEqual(['b']);
    expect((await search('a \u001b control')).hits.map((h) => h.sessionId)).toEqual(['b']);
    expect((await search('\\')).hits).toEqual([]);
  });

  it('stops at the limit and says so', async () => {
    const { hits, end } = await search('needle', 1);
    expect(hits).toHaveLength(1);
    expect(end).toMatchObject({ hits: 1, truncated: true });
  });

  it('snippets collapse whitespace and mark cuts', () => {
    expect(snippetOf('abc', 'z')).toBeNull();
    expect(snippetOf('  hello\n\nworld  ', 'world')).toBe('hello world');
  });
});
