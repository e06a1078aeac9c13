import { writeFile } from 'node:fs/promises';
import type { AnyEnvelope, HermesEvent, SessionSummary } from '@hermes/protocol';
import { SessionEventStream } from '../client/event-stream.js';
import type { DaemonClient } from '../client/api.js';
import { modelColumn } from '../format/model.js';
import { renderTable } from '../format/table.js';
import { relativeTime } from '../format/time.js';
import { transcriptToMarkdown, transcriptToText } from '../format/transcript.js';
import { listWords, searchHitLines } from '../format/session-list.js';
import { connect, resolveSession } from './common.js';
import { reportError } from './report-error.js';

/** Runs a command body, turning its errors into the usual message and exit code. */
async function guarded(body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    return reportError(err);
  }
}

/** `hermes sessions list` without --limit or --all. */
export const DEFAULT_LIST_LIMIT = 50;

const byRecent = (a: SessionSummary, b: SessionSummary) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0);

const STATUS_LABEL: Record<SessionSummary['status'], string> = {
  idle: 'idle',
  running: 'running',
  awaiting_approval: 'awaiting approval',
  awaiting_input: 'awaiting input',
};

export function sessionsTable(sessions: SessionSummary[], now = Date.now(), defaultModel?: string | null): string {
  return renderTable(
    [
      { header: 'ID' },
      { header: 'TITLE', max: 40 },
      { header: 'STATUS' },
      { header: 'MODEL', max: 32 },
      { header: 'UPDATED' },
      { header: 'MSGS', align: 'right' },
    ],
    sessions.map((s) => [
      s.id,
      s.title || '(untitled)',
      STATUS_LABEL[s.status],
      modelColumn(s.model, defaultModel),
      relativeTime(s.updatedAt, now),
      s.messageCount !== undefined ? String(s.messageCount) : '-',
    ]),
  );
}

/** The page size of `sessions list --all` (the daemon's largest). */
const ALL_PAGE = 1000;

export function sessionsList(
  homeOpt: string | undefined,
  opts: { json?: boolean; limit?: number; all?: boolean; search?: string },
): Promise<number> {
  return guarded(async () => {
    if (opts.limit !== undefined && opts.limit < 1 && !opts.all) {
      process.stderr.write(`hermes: ${listWords.badLimit}\n`);
      return 2;
    }
    const { client } = await connect(homeOpt);
    const q = opts.search?.trim() || undefined;
    const shown: SessionSummary[] = [];
    let total = 0;
    let defaultModel: string | null | undefined;
    if (opts.all) {
      let before: string | undefined;
      for (;;) {
        const page = await client.listSessions({ limit: ALL_PAGE, ...(before ? { before } : {}), ...(q ? { q } : {}) });
        shown.push(...page.sessions);
        total = page.total ?? shown.length;
        defaultModel = page.defaultModel;
        // An older daemon answers the whole list at once, without a cursor.
        if (!page.nextCursor || page.total === undefined) break;
        before = page.nextCursor;
      }
    } else {
      const page = await client.listSessions({ limit: opts.limit ?? DEFAULT_LIST_LIMIT, ...(q ? { q } : {}) });
      // An older daemon ignores the query: sort and cut here.
      const sessions =
        page.total === undefined ? [...page.sessions].sort(byRecent).slice(0, opts.limit ?? DEFAULT_LIST_LIMIT) : page.sessions;
      shown.push(...sessions);
      total = page.total ?? page.sessions.length;
      defaultModel = page.defaultModel;
    }
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ sessions: shown, total }, null, 2)}\n`);
      return 0;
    }
    if (shown.length === 0) {
      process.stderr.write(`${q ? listWords.noMatch(q) : listWords.none}\n`);
      return 0;
    }
    process.stdout.write(sessionsTable(shown, Date.now(), defaultModel));
    if (shown.length < total) process.stderr.write(`${listWords.more(shown.length, total)}\n`);
    return 0;
  });
}

/** `hermes sessions search TEXT`: every session's messages, hits printed as they come. Exit 1: no match. */
export function sessionsSearch(homeOpt: string | undefined, text: string, opts: { json?: boolean; limit?: number }): Promise<number> {
  return guarded(async () => {
    if (!text.trim()) {
      process.stderr.write('hermes: give the text to search for\n');
      return 2;
    }
    if (opts.limit !== undefined && opts.limit < 1) {
      process.stderr.write('hermes: --limit must be at least 1\n');
      return 2;
    }
    const { client } = await connect(homeOpt);
    const now = Date.now();
    const end = await client.search(text, opts.limit !== undefined ? { limit: opts.limit } : {}, (hit) => {
      process.stdout.write(opts.json ? `${JSON.stringify(hit)}\n` : searchHitLines(hit, now));
    });
    if (opts.json) process.stdout.write(`${JSON.stringify(end)}\n`);
    else if (end.hits === 0) process.stderr.write(`${listWords.noHits(text.trim())}\n`);
    else process.stderr.write(`${listWords.searchEnd(end)}\n`);
    return end.hits > 0 ? 0 : 1;
  });
}

export function sessionsShow(homeOpt: string | undefined, spec: string, opts: { json?: boolean }): Promise<number> {
  return guarded(async () => {
    const { client } = await connect(homeOpt);
    const { id } = await resolveSession(client, spec);
    const got = await client.getSession(id);
    process.stdout.write(opts.json ? `${JSON.stringify(got, null, 2)}\n` : transcriptToText(got.transcript, got.defaultModel));
    return 0;
  });
}

export function sessionsRename(homeOpt: string | undefined, spec: string, title: string): Promise<number> {
  return guarded(async () => {
    if (!title.trim()) {
      process.stderr.write('hermes: the title must not be empty\n');
      return 2;
    }
    const { client } = await connect(homeOpt);
    const s = await resolveSession(client, spec);
    const { session } = await client.patchSession(s.id, { title: title.trim() });
    process.stdout.write(`${session.id}  ${session.title}\n`);
    return 0;
  });
}

/**
 * The session's event log, in order, up to the `lastSeq` of the moment: read through the
 * resumable stream (the API, not the daemon's files). Known events as the protocol parses
 * them, unknown types as their raw envelope.
 */
export function readEventLog(client: DaemonClient, id: string, lastSeq: number): Promise<(HermesEvent | AnyEnvelope)[]> {
  const events: (HermesEvent | AnyEnvelope)[] = [];
  if (lastSeq === 0) return Promise.resolve(events);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stream.close();
      reject(new Error(`the event log stopped at seq ${stream.cursor} of ${lastSeq}`));
    }, 60_000);
    const take = (e: HermesEvent | AnyEnvelope) => {
      if (e.seq > lastSeq) return;
      events.push(e);
      if (e.seq >= lastSeq) {
        clearTimeout(timer);
        stream.close();
        resolve(events);
      }
    };
    const stream = new SessionEventStream(client, id, { onEvent: take, onUnknown: take }, { after: 0 });
  });
}

export function sessionsExport(
  homeOpt: string | undefined,
  spec: string,
  opts: { format: 'md' | 'json' | 'jsonl'; output?: string },
): Promise<number> {
  return guarded(async () => {
    const { client } = await connect(homeOpt);
    const { id } = await resolveSession(client, spec);
    const got = await client.getSession(id);
    let text: string;
    if (opts.format === 'json') text = `${JSON.stringify(got, null, 2)}\n`;
    else if (opts.format === 'md') text = transcriptToMarkdown(got.transcript);
    else text = (await readEventLog(client, id, got.lastSeq)).map((e) => `${JSON.stringify(e)}\n`).join('');
    if (opts.output) {
      await writeFile(opts.output, text);
      process.stderr.write(`wrote ${opts.output}\n`);
    } else {
      process.stdout.write(text);
    }
    return 0;
  });
}
