import * as z from 'zod';
import { CheckpointFile, RewindMode, RewindSkip } from './common.js';
import { SessionSummary } from './api.js';

/** `POST /v1/sessions/:id/unrewind` (409 while a run is active, once a message was sent since, or a second time). */
export const UnrewindRequest = z.strictObject({
  rewindId: z.string().min(1).max(200),
  /** Put back paths changed by someone else since the rewind too. */
  force: z.boolean().optional(),
});
export type UnrewindRequest = z.infer<typeof UnrewindRequest>;

export const UnrewindResponse = z.object({
  rewindId: z.string(),
  restored: z.array(z.string()),
  skipped: z.array(RewindSkip),
});
export type UnrewindResponse = z.infer<typeof UnrewindResponse>;

/** `POST /v1/sessions/:id/retry`: rewinds the last user message (conversation, or `both`) and runs it again. */
export const RetryRequest = z.strictObject({
  mode: RewindMode.exclude(['code']).default('conversation'),
  model: z.string().min(1).max(200).optional(),
});
export type RetryRequest = z.infer<typeof RetryRequest>;

export const RetryResponse = z.object({
  rewindId: z.string(),
  /** The new user message (`message.user {retryOf}`). */
  messageId: z.string(),
  retryOf: z.string(),
  runId: z.string().optional(),
  restored: z.array(z.string()),
  skipped: z.array(RewindSkip),
});
export type RetryResponse = z.infer<typeof RetryResponse>;

/** `POST /v1/sessions/:id/fork`: a new session with the events before the user message `atMessageId` (all of them without it). */
export const ForkRequest = z.strictObject({
  atMessageId: z.string().min(1).max(200).optional(),
  title: z.string().min(1).max(200).optional(),
});
export type ForkRequest = z.infer<typeof ForkRequest>;

export const ForkResponse = z.object({
  session: SessionSummary,
  /** With `atMessageId`: that message's text, for the input box of the fork. */
  text: z.string().optional(),
});
export type ForkResponse = z.infer<typeof ForkResponse>;

/** `GET /v1/sessions/:id/checkpoints/:runId/diff`: what one run changed, as a unified diff. */
export const CheckpointDiffResponse = z.object({
  runId: z.string(),
  files: z.array(CheckpointFile),
  diff: z.string(),
  /** The diff was cut at this many bytes. */
  truncated: z.boolean(),
});
export type CheckpointDiffResponse = z.infer<typeof CheckpointDiffResponse>;

/** One workspace's shadow store under HERMES_HOME/snapshots. */
export const CheckpointStoreStatus = z.object({
  dir: z.string(),
  /** null for a store made before hermes recorded it. */
  workspace: z.string().nullable(),
  bytes: z.number().int().nonnegative(),
  /** Pinned run and rewind states. */
  refs: z.number().int().nonnegative(),
  sessions: z.number().int().nonnegative(),
});
export type CheckpointStoreStatus = z.infer<typeof CheckpointStoreStatus>;

/** `GET /v1/checkpoints` (`hermes checkpoints status`). */
export const CheckpointsStatusResponse = z.object({
  enabled: z.boolean(),
  stores: z.array(CheckpointStoreStatus),
  totalBytes: z.number().int().nonnegative(),
  limits: z.object({ maxPerSession: z.number(), maxAgeDays: z.number(), maxTotalMB: z.number() }),
  lastPrune: z.string().nullable(),
});
export type CheckpointsStatusResponse = z.infer<typeof CheckpointsStatusResponse>;

/** `POST /v1/checkpoints/prune` (409 while any run is active). */
export const CheckpointsPruneResponse = z.object({
  removedRefs: z.number().int().nonnegative(),
  bytesBefore: z.number().int().nonnegative(),
  bytesAfter: z.number().int().nonnegative(),
});
export type CheckpointsPruneResponse = z.infer<typeof CheckpointsPruneResponse>;
