import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HermesConfig, McpServerConfig } from '@hermes/protocol';
import { DaemonClient } from '../client/api.js';
import { findDaemon, resolveHome } from '../client/discovery.js';
import { mcpServerLines } from '../format/mcp.js';
import { configSet, configUnset } from './config.js';

/**
 * `hermes mcp`: MCP servers in the config (`mcp.servers.<name>`). Writes go through
 * `hermes config set`, so every change is validated like any other.
 */

async function readConfig(homeOpt: string | undefined): Promise<HermesConfig> {
  try {
    return HermesConfig.parse(JSON.parse(await readFile(path.join(resolveHome(homeOpt), 'config.json'), 'utf8')));
  } catch {
    return {};
  }
}

export interface AddOptions {
  url?: string;
  header?: string[];
  env?: string[];
  trust?: 'ask' | 'readOnly' | 'all';
  transport?: 'stdio' | 'http' | 'sse';
}

function pairs(list: string[] | undefined, sep: string, what: string): Record<string, string> | undefined {
  if (!list?.length) return undefined;
  const out: Record<string, string> = {};
  for (const item of list) {
    const at = item.indexOf(sep);
    if (at <= 0) throw new Error(`${what} must look like NAME${sep}value: ${item}`);
    out[item.slice(0, at).trim()] = item.slice(at + 1).trim();
  }
  return out;
}

/** `hermes mcp add NAME -- COMMAND ARGS…` or `hermes mcp add NAME --url URL [--header K=V]`. */
export async function mcpAdd(homeOpt: string | undefined, name: string, command: string[], o: AddOptions): Promise<number> {
  if (!o.url && command.length === 0) {
    process.stderr.write('hermes: give the command after `--` (hermes mcp add NAME -- npx -y server) or --url URL\n');
    return 2;
  }
  let entry: McpServerConfig;
  try {
    const headers = pairs(o.header, o.header?.every((h) => h.includes(':') && !h.includes('=')) ? ':' : '=', '--header');
    const env = pairs(o.env, '=', '--env');
    entry = o.url
      ? {
          ...(o.transport && o.transport !== 'stdio' ? { type: o.transport } : {}),
          url: o.url,
          ...(headers ? { headers } : {}),
          ...(o.trust ? { trust: o.trust } : {}),
        }
      : {
          command: command[0]!,
          ...(command.length > 1 ? { args: command.slice(1) } : {}),
          ...(env ? { env } : {}),
          ...(o.trust ? { trust: o.trust } : {}),
        };
  } catch (err) {
    process.stderr.write(`hermes: ${(err as Error).message}\n`);
    return 2;
  }
  const code = await configSet(homeOpt, `mcp.servers.${name}`, JSON.stringify(entry));
  if (code === 0)
    process.stdout.write(`added MCP server ${name}; its tools are offered from the next message (check with: hermes mcp test ${name})\n`);
  return code;
}

export async function mcpRemove(homeOpt: string | undefined, name: string): Promise<number> {
  const config = await readConfig(homeOpt);
  if (!config.mcp?.servers?.[name]) {
    process.stderr.write(`hermes: no MCP server named ${name} (hermes mcp list)\n`);
    return 2;
  }
  return configUnset(homeOpt, `mcp.servers.${name}`);
}

/** Configured servers, with their live state from the daemon when it has started them. */
export async function mcpList(homeOpt: string | undefined, json: boolean): Promise<number> {
  const config = await readConfig(homeOpt);
  const found = await findDaemon(resolveHome(homeOpt));
  const live = found ? (await new DaemonClient(found.state).mcpStatus().catch(() => ({ servers: [] }))).servers : [];
  const names = Object.keys(config.mcp?.servers ?? {});
  if (json) {
    process.stdout.write(
      JSON.stringify({
        servers: names.map((name) => ({ name, config: config.mcp!.servers![name], live: live.filter((s) => s.name === name) })),
      }) + '\n',
    );
    return 0;
  }
  if (!names.length) {
    process.stdout.write('no MCP servers (add one: hermes mcp add NAME -- COMMAND ARGS…, or hermes mcp import)\n');
    return 0;
  }
  for (const name of names) {
    const c = config.mcp!.servers![name]!;
    const what = c.url ?? [c.command, ...(c.args ?? [])].join(' ');
    const states = live.filter((s) => s.name === name);
    process.stdout.write(`${name}  ${c.enabled === false ? '(disabled) ' : ''}${what}  trust ${c.trust ?? 'ask'}\n`);
    for (const s of states)
      process.stdout.write(
        mcpServerLines(s)
          .map((l) => `  ${l}`)
          .join('\n') + '\n',
      );
    if (!states.length) process.stdout.write('  not started (it starts with the next message)\n');
  }
  return 0;
}

/** Starts the server here, lists its tools with timings, stops it. */
export async function mcpTest(homeOpt: string | undefined, name: string): Promise<number> {
  const config = await readConfig(homeOpt);
  if (!config.mcp?.servers?.[name]) {
    process.stderr.write(`hermes: no MCP server named ${name} (hermes mcp list)\n`);
    return 2;
  }
  const { testServer } = await import('@hermes/daemon');
  const { status, ms } = await testServer(config, name, process.cwd(), process.env, path.join(resolveHome(homeOpt), 'logs'));
  process.stdout.write(`${name}: ${status.status} in ${ms} ms${status.error ? `: ${status.error}` : ''}\n`);
  for (const t of status.tools) process.stdout.write(`  ${t.name}  ${t.description.split('\n')[0]!.slice(0, 100)}\n`);
  if (status.tools.length)
    process.stdout.write(`${status.tools.length} tools, ~${status.schemaTokens} tokens of schema in every request\n`);
  return status.status === 'ready' ? 0 : 1;
}

const IMPORT_SOURCES = [
  '.mcp.json',
  path.join(os.homedir(), '.claude.json'),
  path.join(os.homedir(), 'Library/Application Support/Claude/claude_desktop_config.json'),
  path.join(os.homedir(), '.config/Claude/claude_desktop_config.json'),
];

/** Claude Desktop / Claude Code / `.mcp.json` entries → ours (`type: streamable-http` is `http`). */
export function fromClaude(entry: Record<string, unknown>): McpServerConfig | null {
  const type = entry.type === 'streamable-http' ? 'http' : entry.type;
  const candidate = {
    ...(type === 'http' || type === 'sse' ? { type } : {}),
    ...(typeof entry.command === 'string' ? { command: entry.command } : {}),
    ...(Array.isArray(entry.args) ? { args: entry.args.map(String) } : {}),
    ...(entry.env && typeof entry.env === 'object' ? { env: entry.env } : {}),
    ...(typeof entry.cwd === 'string' ? { cwd: entry.cwd } : {}),
    ...(typeof entry.url === 'string' ? { url: entry.url } : {}),
    ...(entry.headers && typeof entry.headers === 'object' ? { headers: entry.headers } : {}),
  };
  const parsed = McpServerConfig.safeParse(candidate);
  return parsed.success ? parsed.data : null;
}

export async function mcpImport(homeOpt: string | undefined, file: string | undefined, force: boolean): Promise<number> {
  const sources = file ? [file] : IMPORT_SOURCES;
  const config = await readConfig(homeOpt);
  let added = 0;
  for (const src of sources) {
    let json: { mcpServers?: Record<string, Record<string, unknown>> };
    try {
      json = JSON.parse(await readFile(src, 'utf8')) as typeof json;
    } catch (err) {
      if (file) {
        process.stderr.write(`hermes: cannot read ${src}: ${(err as Error).message}\n`);
        return 1;
      }
      continue;
    }
    for (const [name, entry] of Object.entries(json.mcpServers ?? {})) {
      const clean = name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
      const server = fromClaude(entry);
      if (!server) {
        process.stderr.write(`skipped ${name} from ${src}: not a server entry hermes understands\n`);
        continue;
      }
      if (config.mcp?.servers?.[clean] && !force) {
        process.stderr.write(`skipped ${clean}: already configured (--force replaces it)\n`);
        continue;
      }
      if ((await configSet(homeOpt, `mcp.servers.${clean}`, JSON.stringify(server))) === 0) added++;
    }
  }
  process.stdout.write(added ? `imported ${added} MCP server(s); hermes mcp list shows them\n` : 'nothing imported\n');
  return 0;
}
