import { useEffect, useState } from 'react';
import { mcpCounts, sessionServers, type McpCounts } from '../../format/mcp.js';
import type { SessionStore } from '../store/session-store.js';

/** While a run is active servers start and fail: looked at this often. */
const RUNNING_POLL_MS = 2000;
/** Idle: a server may still fail or stop (idle stop, a crash). */
const IDLE_POLL_MS = 15_000;
const FIRST_LOOK_MS = 1000;

/**
 * The session's MCP servers for the status line, from `GET /v1/mcp`: at start, when a run
 * starts or ends, and now and then (often while a run is active). A failed request keeps the
 * last counts (the connection state says when the daemon is away).
 */
export function useMcpCounts(store: SessionStore, workspace: string, running: boolean): McpCounts | null {
  const [counts, setCounts] = useState<McpCounts | null>(null);
  useEffect(() => {
    if (!workspace) return;
    let live = true;
    // Never a crash for a status line: a client that cannot answer (or throws) keeps the last counts.
    const look = () =>
      Promise.resolve()
        .then(() => store.client.mcpStatus())
        .then(
          ({ servers }) => {
            if (!live) return;
            const next = mcpCounts(sessionServers(servers, store.sessionId, workspace));
            setCounts((prev) =>
              prev && prev.ready === next.ready && prev.starting === next.starting && prev.failed === next.failed ? prev : next,
            );
          },
          () => {},
        );
    // Not at once: the session's load and stream come first.
    const first = setTimeout(() => void look(), running ? 500 : FIRST_LOOK_MS);
    const timer = setInterval(() => void look(), running ? RUNNING_POLL_MS : IDLE_POLL_MS);
    return () => {
      live = false;
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [store, workspace, running]);
  return counts;
}
