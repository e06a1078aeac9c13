import { Client, SSEClientTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { McpServerConfig } from '@hermes/protocol';
import { trackToolProcess } from '../tool/processes.js';
import type { ToolResult } from '../tool/types.js';
import { toToolResult } from './result.js';
import type { StderrLog } from './stderr-log.js';

export const DEFAULT_STARTUP_TIMEOUT_MS = 30_000;
export const DEFAULT_TOOL_TIMEOUT_MS = 120_000;

/** A tool as the server lists it. */
export interface ServerTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  readOnlyHint: boolean;
}

/** How to start a stdio server: already wrapped in the sandbox and the tool mark when they apply. */
export interface Launch {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
}

export type ConnectionStatus = 'starting' | 'ready' | 'failed';

type Transport = StdioClientTransport | StreamableHTTPClientTransport | SSEClientTransport;

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * One connection to one MCP server: connect (bounded by the startup timeout), list its tools and
 * follow `list_changed`, call tools (timeout, cancel, progress), close. A server that exits or
 * errors becomes `failed`; the manager decides when to start a new connection.
 */
export class McpConnection {
  status: ConnectionStatus = 'starting';
  error: string | undefined;
  tools: ServerTool[] = [];
  lastUsed = Date.now();
  readonly ready: Promise<void>;
  private client: Client | null = null;
  private transport: Transport | null = null;
  private closing = false;

  constructor(
    readonly name: string,
    private readonly config: McpServerConfig,
    /** stdio: how to start it (async: the sandbox resolves its paths first); null for HTTP. */
    private readonly launch: (() => Promise<Launch>) | null,
    private readonly headers: Record<string, string>,
    private readonly log: StderrLog,
    private readonly onChange: () => void,
  ) {
    this.ready = this.start();
  }

  get pid(): number | null {
    return this.transport instanceof StdioClientTransport ? this.transport.pid : null;
  }

  private async start(): Promise<void> {
    const timeoutMs = this.config.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.connect(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`did not answer initialize within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
        }),
      ]);
      this.status = 'ready';
    } catch (err) {
      this.fail(describe(err));
      await this.close();
    } finally {
      clearTimeout(timer);
      this.onChange();
    }
  }

  private async connect(): Promise<void> {
    const client = new Client({ name: 'hermes', version: '0.1.0' }, { capabilities: {} });
    this.client = client;
    client.onerror = () => {
      // Transport noise (garbage on stdout) surfaces as a failed request or a close.
    };
    client.onclose = () => {
      if (!this.closing && this.status !== 'failed') {
        this.fail(`the server closed the connection${this.log.tail() ? `: ${this.log.tail()}` : ''}`);
        this.onChange();
      }
    };
    client.setNotificationHandler('notifications/tools/list_changed', () => {
      void this.refreshTools().then(this.onChange, () => {});
    });
    if (this.launch) {
      const t = new StdioClientTransport({ ...(await this.launch()), stderr: 'pipe' });
      t.stderr?.on('data', (b: Buffer) => this.log.write(b));
      this.transport = t;
      await client.connect(t);
      trackToolProcess(t.pid ?? undefined);
    } else {
      const url = new URL(this.config.url!);
      const init = { requestInit: { headers: this.headers } };
      if (this.config.type === 'sse') {
        this.transport = new SSEClientTransport(url, init);
        await client.connect(this.transport);
      } else {
        try {
          this.transport = new StreamableHTTPClientTransport(url, init);
          await client.connect(this.transport);
        } catch (err) {
          // Older servers speak only the SSE transport.
          if (this.config.type === 'http') throw err;
          this.transport = new SSEClientTransport(url, init);
          await client.connect(this.transport);
        }
      }
    }
    await this.refreshTools();
  }

  private async refreshTools(): Promise<void> {
    if (!this.client) return;
    const { tools } = await this.client.listTools();
    const include = this.config.includeTools;
    const exclude = new Set(this.config.excludeTools ?? []);
    this.tools = tools
      .filter((t) => (!include || include.includes(t.name)) && !exclude.has(t.name))
      .map((t) => ({
        name: t.name,
        description: (t.description ?? '').slice(0, 2048),
        inputSchema: t.inputSchema as Record<string, unknown>,
        readOnlyHint: t.annotations?.readOnlyHint === true,
      }));
  }

  private fail(message: string): void {
    this.status = 'failed';
    this.error = message;
  }

  async call(
    tool: string,
    args: Record<string, unknown>,
    opts: { signal: AbortSignal; onProgress(text: string): void },
  ): Promise<ToolResult> {
    this.lastUsed = Date.now();
    if (this.status !== 'ready' || !this.client)
      return { ok: false, result: `MCP server ${this.name} is ${this.status}${this.error ? `: ${this.error}` : ''}` };
    const timeout = this.config.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
    try {
      const raw = await this.client.callTool(
        { name: tool, arguments: args },
        {
          signal: opts.signal,
          timeout,
          resetTimeoutOnProgress: true,
          maxTotalTimeout: timeout * 5,
          onprogress: (p: { progress: number; total?: number; message?: string }) =>
            opts.onProgress(`${p.total ? `${p.progress}/${p.total}` : String(p.progress)}${p.message ? ` ${p.message}` : ''}\n`),
        },
      );
      return toToolResult(raw as { content?: unknown; structuredContent?: unknown; isError?: unknown }, this.config.maxOutputBytes);
    } catch (err) {
      if (opts.signal.aborted) return { ok: false, result: 'Cancelled; the server was told (notifications/cancelled).' };
      const msg = describe(err);
      return {
        ok: false,
        result: /timed out/i.test(msg)
          ? `MCP tool ${tool} timed out after ${Math.round(timeout / 1000)} s (${msg})`
          : `MCP tool ${tool} failed: ${msg}`,
      };
    } finally {
      this.lastUsed = Date.now();
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    const client = this.client;
    this.client = null;
    try {
      await client?.close();
    } catch {
      // already gone
    }
    this.log.close();
  }
}
