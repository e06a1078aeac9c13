import type { HermesConfig, RewindRequest, RewindResponse } from '@hermes/protocol';
import { restoreCode } from '../checkpoint/index.js';
import { newId } from '../util/ids.js';
import type { Session } from './session.js';

export type RewindResult = { ok: true; value: RewindResponse } | { ok: false; code: 'not_found' | 'bad_request'; message: string };

/**
 * A rewind of an idle session (the caller checks): files first (the restore decides what was
 * restored and skipped), then one durable `session.rewound` that hides the conversation.
 */
export async function rewindSession(session: Session, home: string, config: HermesConfig, req: RewindRequest): Promise<RewindResult> {
  const t = session.transcript;
  const user = t.items.find((i) => i.kind === 'user' && i.messageId === req.toMessageId);
  if (!user || user.kind !== 'user') return { ok: false, code: 'not_found', message: `no visible user message ${req.toMessageId} in session ${session.id}` };
  const undone = req.mode === 'conversation' ? [] : (t.checkpoints ?? []).filter((c) => c.seq > user.seq);
  const code = req.mode === 'conversation' ? { restored: [], skipped: [] } : await restoreCode(home, t.workspace, config, undone, req.force === true);
  const rewindId = newId('rwd');
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
