import type { HermesConfig, RewindRequest, RewindResponse, UnrewindRequest, UnrewindResponse } from '@hermes/protocol';
import { restoreCode, unrestoreCode } from '../checkpoint/index.js';
import { newId } from '../util/ids.js';
import type { Session } from './session.js';

type Failure = { ok: false; code: 'not_found' | 'bad_request' | 'conflict'; message: string };
export type RewindResult = { ok: true; value: RewindResponse } | Failure;
export type UnrewindResult = { ok: true; value: UnrewindResponse } | Failure;

/**
 * A rewind of an idle session (the caller checks): files first (the restore decides what was
 * restored and skipped), then one durable `session.rewound` that hides the conversation.
 */
export async function rewindSession(session: Session, home: string, config: HermesConfig, req: RewindRequest): Promise<RewindResult> {
  const t = session.transcript;
  const user = t.items.find((i) => i.kind === 'user' && i.messageId === req.toMessageId);
  if (!user || user.kind !== 'user')
    return { ok: false, code: 'not_found', message: `no visible user message ${req.toMessageId} in session ${session.id}` };
  const rewindId = newId('rwd');
  const undone = req.mode === 'conversation' ? [] : (t.checkpoints ?? []).filter((c) => c.seq > user.seq);
  const code =
    req.mode === 'conversation'
      ? { restored: [], skipped: [] }
      : await restoreCode(home, t.workspace, config, undone, req.force === true, `refs/hermes/${session.id}/${rewindId}`);
  const data = {
    rewindId,
    toMessageId: req.toMessageId,
    mode: req.mode,
    restored: code.restored,
    skipped: code.skipped,
    ...(code.preRestore ? { preRestore: code.preRestore } : {}),
    ...(req.mode !== 'code' ? { text: user.text } : {}),
  };
  await session.append([{ type: 'session.rewound', data }], { durable: true });
  const { preRestore: _pre, ...response } = data;
  return { ok: true, value: response };
}

/**
 * Takes back the latest rewind still in force, as long as no message was sent since: its items
 * come back, and the paths it restored are put back as they were just before it.
 */
export async function unrewindSession(session: Session, home: string, config: HermesConfig, req: UnrewindRequest): Promise<UnrewindResult> {
  const t = session.transcript;
  const rewind = (t.rewinds ?? []).find((r) => r.rewindId === req.rewindId);
  if (!rewind) return { ok: false, code: 'not_found', message: `no rewind ${req.rewindId} in session ${session.id}` };
  if (rewind.unrewound) return { ok: false, code: 'conflict', message: `rewind ${req.rewindId} was already undone` };
  const later = (t.rewinds ?? []).find((r) => r.seq > rewind.seq && !r.unrewound);
  if (later) return { ok: false, code: 'conflict', message: `a later rewind (${later.rewindId}) is in force: undo that one first` };
  if (t.items.some((i) => i.kind === 'user' && i.seq > rewind.seq) || t.queued.length > 0) {
    return { ok: false, code: 'conflict', message: 'a message was sent since this rewind: it can no longer be undone' };
  }
  const code =
    rewind.preRestore && rewind.restored?.length
      ? await unrestoreCode(
          home,
          t.workspace,
          config,
          { restored: rewind.restored, preRestore: rewind.preRestore, undone: rewind.undone },
          req.force === true,
        )
      : { restored: [], skipped: [] };
  const data = { rewindId: rewind.rewindId, restored: code.restored, skipped: code.skipped };
  await session.append([{ type: 'session.unrewound', data }], { durable: true });
  return { ok: true, value: data };
}
