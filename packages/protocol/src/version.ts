/**
 * The product's version: every package of the workspace carries it (a test checks that their
 * package.json files agree). A constant rather than a read of package.json at start-up, so that
 * it is right wherever the code runs from (the bundled CLI included) and costs no I/O.
 */
export const HERMES_VERSION = '0.1.0';

/**
 * The wire protocol's own version, separate from the package version.
 * Bump only for breaking changes; additive fields and new event types keep it.
 */
export const PROTOCOL_VERSION = 1;

/** The `v` field of every event envelope. */
export const ENVELOPE_VERSION = 1;
