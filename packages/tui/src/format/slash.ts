/** The wordings slash commands share (one per situation, whichever command meets it). */

/** `/compact` while a run is active: wait for its end, or cancel it. */
export const runInProgressText = (command: string): string => `a run is in progress: /${command} once it has ended (or Esc to cancel it)`;

/** A command's daemon call failed: `could not fork: <the daemon's reason>`. */
export const commandFailedText = (verb: string, err: unknown): string =>
  `could not ${verb}: ${err instanceof Error ? err.message : String(err)}`;
