/**
 * The wire protocol's own version, separate from the package version.
 * Bump only for breaking changes; additive fields and new event types keep it.
 */
export const PROTOCOL_VERSION = 1;

/** The `v` field of every event envelope. */
export const ENVELOPE_VERSION = 1;
