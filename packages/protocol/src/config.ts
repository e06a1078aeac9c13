import * as z from 'zod';
import { ModelName } from './api.js';
import { McpServerConfig, McpServerName } from './mcp.js';

export const ProviderConfig = z.strictObject({
  type: z.enum(['openai', 'anthropic']),
  baseUrl: z.url(),
  /** The environment variable that holds this provider's key; none for keyless local servers. */
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .optional(),
  /** Ask for usage in the stream (`stream_options.include_usage`); some servers reject it. */
  streamUsage: z.boolean().optional(),
  contextWindow: z.number().int().positive().optional(),
  headers: z.record(z.string(), z.string()).optional(),
});
export type ProviderConfig = z.infer<typeof ProviderConfig>;

export const ApprovalMode = z.enum(['ask', 'auto', 'yolo', 'deny']);
export type ApprovalMode = z.infer<typeof ApprovalMode>;

export const SandboxMode = z.enum(['auto', 'on', 'off']);
export type SandboxMode = z.infer<typeof SandboxMode>;

/** Dollars per million tokens. Each field may be set alone; a cost is known once every kind of token used has a price. */
export const Price = z.strictObject({
  inputPerMTok: z.number().nonnegative().optional(),
  outputPerMTok: z.number().nonnegative().optional(),
  cachedInputPerMTok: z.number().nonnegative().optional(),
});

/** `HERMES_HOME/config.json`. Every key is optional; defaults live with the code that reads them. */
export const HermesConfig = z.strictObject({
  model: ModelName.optional(),
  fallbackModel: ModelName.optional(),
  providers: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/), ProviderConfig).optional(),
  approvals: z
    .strictObject({
      mode: ApprovalMode.optional(),
      /** Seconds to wait for an answer before denying; none waits forever. */
      timeout: z.number().positive().optional(),
      /** Patterns answered `always`. */
      allowlist: z.array(z.string()).optional(),
    })
    .optional(),
  agent: z
    .strictObject({
      maxIterations: z.number().int().positive().max(1000).optional(),
      llmTitles: z.boolean().optional(),
      maxOutputTokens: z.number().int().positive().optional(),
      /** Text deltas are sent at most once per this many ms (batched); 0 sends every chunk. */
      streamIntervalMs: z.number().int().nonnegative().max(1000).optional(),
      /** Offer the model the `clarify` tool (ask the user a question); default true. */
      clarify: z.boolean().optional(),
      /** Seconds a `clarify` question waits for an answer (default: `approvals.timeout`; neither: forever). */
      clarifyTimeout: z.number().positive().optional(),
    })
    .optional(),
  timeouts: z
    .strictObject({
      firstByteMs: z.number().int().positive().optional(),
      idleMs: z.number().int().positive().optional(),
    })
    .optional(),
  retry: z
    .strictObject({
      maxRetries: z.number().int().nonnegative().max(20).optional(),
      /** Retries of a request the provider answered nothing to in time (timeouts.*); default 1. */
      maxTimeoutRetries: z.number().int().nonnegative().max(20).optional(),
      maxDelayMs: z.number().int().nonnegative().optional(),
    })
    .optional(),
  prices: z.record(z.string(), Price).optional(),
  /** Context compaction: when the model's history gets near its window, summarise the older part. */
  compaction: z
    .strictObject({
      /** Compact at the threshold (default true). Off: only `/compact` compacts, and an overflow fails the run. */
      auto: z.boolean().optional(),
      /** Fraction of the model's window at which to compact (default 0.85). */
      threshold: z.number().min(0.1).max(0.95).optional(),
      /** Tokens kept free for the reply and the tool schemas (default 8000, capped at a quarter of the window). */
      reserveTokens: z.number().int().nonnegative().optional(),
      /** The model that writes summaries (default: the session's). */
      model: ModelName.optional(),
    })
    .optional(),
  /** Project instructions (AGENTS.md & co) read into the system prompt at each run's start. */
  instructions: z
    .strictObject({
      enabled: z.boolean().optional(),
      /** File names tried in each folder, first that exists wins (default .hermes.md, HERMES.md, AGENTS.md, CLAUDE.md). */
      files: z
        .array(
          z
            .string()
            .min(1)
            .max(100)
            .regex(/^[^/\\]+$/, 'a file name, not a path'),
        )
        .min(1)
        .max(20)
        .optional(),
    })
    .optional(),
  mcp: z
    .strictObject({
      servers: z.record(McpServerName, McpServerConfig).optional(),
      /** A workspace's own `.mcp.json`: used once you approve its content (`ask`), or never. */
      projectServers: z.enum(['ask', 'never']).optional(),
      /** How long a run waits for servers still starting (their tools join later). Default 3000. */
      startupWaitMs: z.number().int().nonnegative().max(60_000).optional(),
    })
    .optional(),
  sandbox: z
    .strictObject({
      /** `auto`: sandbox when it works, else ask about every command; `on`: refuse to run without it; `off`: never. */
      mode: SandboxMode.optional(),
      /** Let sandboxed commands reach the network (a new network namespace otherwise). */
      network: z.boolean().optional(),
      /** More paths commands may write (besides the workspace and a private /tmp); `~` allowed. */
      writable: z.array(z.string().min(1)).optional(),
      /** More paths commands cannot read (besides HERMES_HOME and the built-in credential list); `~` allowed. */
      hidden: z.array(z.string().min(1)).optional(),
      /** MCP servers that run outside the sandbox. */
      mcpUnsandboxed: z.array(z.string()).optional(),
    })
    .optional(),
  /** Snapshots of the workspace around each run (a shadow git repository under HERMES_HOME/snapshots), for rewind. */
  checkpoints: z
    .strictObject({
      enabled: z.boolean().optional(),
      /** Files bigger than this are left out of snapshots (default 5 MiB). */
      maxFileBytes: z.number().int().positive().optional(),
      /** A workspace with more candidate files than this gets no checkpoints (default 20000). */
      maxFiles: z.number().int().positive().optional(),
      /** A snapshot taking longer than this turns checkpoints off for the run (default 5000). */
      timeoutMs: z.number().int().positive().max(600_000).optional(),
      /** Pruning (when idle): the newest runs kept per session (default 100). */
      maxPerSession: z.number().int().positive().optional(),
      /** Pruning: runs older than this many days are dropped (default 30). */
      maxAgeDays: z.number().positive().optional(),
      /** Pruning: the oldest runs are dropped until all stores together fit (default 1024). */
      maxTotalMB: z.number().positive().optional(),
    })
    .optional(),
  tools: z
    .strictObject({
      /** Folders (absolute or `~/…`) the file tools may read outside the workspace without asking. */
      readable: z.array(z.string().regex(/^(?:\/|~$|~\/)/, 'must be an absolute path or start with ~/')).optional(),
      /** `web_fetch`: `allow` (default) fetches public pages unasked, `ask` asks each time, `off` removes the tool. Private addresses are never fetched. */
      webFetch: z.enum(['allow', 'ask', 'off']).optional(),
    })
    .optional(),
  daemon: z
    .strictObject({
      /** Idle sessions kept in memory (least recently used evicted past it); read at start-up. Default 64. */
      maxLoadedSessions: z.number().int().positive().max(100_000).optional(),
    })
    .optional(),
  /** `hermes chat`. */
  tui: z
    .strictObject({
      /** What Enter does while a run is going: `queue` the message for after it (default), or `steer` the run with it. */
      busyInput: z.enum(['queue', 'steer']).optional(),
    })
    .optional(),
});
export type HermesConfig = z.infer<typeof HermesConfig>;
