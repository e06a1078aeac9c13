import { realpath } from 'node:fs/promises';
import type { ApprovalAnswer, ApprovalAsk, HermesConfig, McpScope, McpServerConfig, NoticeLevel } from '@hermes/protocol';
import { ProjectApprovals } from './approvals.js';
import { describeServers, PROJECT_FILE, readProjectFile, variablesOf, visible, type ProjectFile } from './project.js';
import { SessionServers } from './session-servers.js';

/** One server a run may use, and where it came from. */
export interface ServerSpec {
  name: string;
  config: McpServerConfig;
  scope: McpScope;
}

/** What resolving a run's servers may do: ask the user (the run's approval flow), tell them. */
export interface RunIo {
  ask(ask: ApprovalAsk): Promise<ApprovalAnswer>;
  notice(level: NoticeLevel, message: string): Promise<void>;
}

export interface RunScope {
  config: HermesConfig;
  workspace: string;
  sessionId: string;
}

/** Answers that do not say what the user wants (the run ended, nobody answered): not remembered. */
const NOT_A_CHOICE = new Set(['cancel', 'timeout', 'shutdown', 'restart']);

/** The approval card of a project file. */
export function projectAsk(file: ProjectFile): ApprovalAsk {
  const names = Object.keys(file.servers);
  const vars = variablesOf(file.servers);
  const reasons = [
    `a repository's ${PROJECT_FILE} can run any program: start ${names.length === 1 ? 'it' : 'them'} only if you trust this workspace`,
  ];
  if (vars.length) reasons.push(`reads your environment variables ${vars.join(', ')}`);
  reasons.push(...file.problems.map(visible));
  return {
    kind: 'mcp_project',
    toolCallId: `mcp-project-${file.sha256.slice(0, 12)}`,
    tool: PROJECT_FILE,
    summary: [
      `${file.path} would start ${names.length} MCP ${names.length === 1 ? 'server' : 'servers'}:`,
      ...describeServers(file.servers),
    ].join('\n'),
    reasons,
    choices: ['once', 'session', 'always', 'deny'],
  };
}

/**
 * Where a run's MCP servers come from, in order of precedence on a name clash: the session's
 * own (an editor's), the user's config, the workspace's `.mcp.json` once approved. The project
 * file is read once per run; the approval is bound to its bytes' hash and its workspace.
 */
export class ServerSources {
  readonly approvals: ProjectApprovals;
  readonly sessions: SessionServers;
  /** `session` and `deny` answers, and notices already given: per session, per workspace and hash. */
  private readonly decided = new Map<string, 'allow' | 'deny' | 'noticed'>();

  constructor(home: string) {
    this.approvals = new ProjectApprovals(home);
    this.sessions = new SessionServers(home);
  }

  async forRun(scope: RunScope, io: RunIo): Promise<ServerSpec[]> {
    const out = new Map<string, ServerSpec>();
    for (const spec of await this.project(scope, io)) out.set(spec.name, spec);
    const user = Object.entries(scope.config.mcp?.servers ?? {});
    const shadowed = user.filter(([name]) => out.get(name)?.scope === 'project').map(([name]) => name);
    if (shadowed.length)
      await io.notice(
        'info',
        `${PROJECT_FILE}: ${shadowed.join(', ')} ${shadowed.length === 1 ? 'is' : 'are'} also in your config; yours ${shadowed.length === 1 ? 'is' : 'are'} used`,
      );
    for (const [name, config] of user) out.set(name, { name, config, scope: 'user' });
    for (const [name, config] of Object.entries(await this.sessions.get(scope.sessionId)))
      out.set(name, { name, config, scope: 'session' });
    return [...out.values()];
  }

  private remember(key: string, v: 'allow' | 'deny' | 'noticed'): void {
    if (this.decided.size > 5000) this.decided.clear();
    this.decided.set(key, v);
  }

  private async project(scope: RunScope, io: RunIo): Promise<ServerSpec[]> {
    const read = await readProjectFile(scope.workspace);
    if (read.kind === 'none') return [];
    const key = `${scope.sessionId}\u0000${scope.workspace}\u0000${read.kind === 'file' ? read.file.sha256 : 'invalid'}`;
    /** A notice given once per session and content (and reason: `never`, `deny` mode, unreadable). */
    const once = async (why: string, level: NoticeLevel, message: string) => {
      if (this.decided.has(`${key}\u0000${why}`)) return;
      this.remember(`${key}\u0000${why}`, 'noticed');
      await io.notice(level, message);
    };
    if (read.kind === 'invalid') {
      await once('invalid', 'warn', `${read.path} is not used: ${read.error}`);
      return [];
    }
    const file = read.file;
    const specs = Object.entries(file.servers).map(([name, config]): ServerSpec => ({ name, config, scope: 'project' }));
    if (specs.length === 0) return [];
    if (scope.config.mcp?.projectServers === 'never') {
      await once('never', 'info', `${file.path} is ignored (mcp.projectServers is never)`);
      return [];
    }
    const decided = this.decided.get(key);
    if (decided === 'allow') return specs;
    if (decided === 'deny') return [];
    const real = await realpath(scope.workspace).catch(() => scope.workspace);
    if (await this.approvals.isApproved(real, file.sha256)) return specs;
    if (scope.config.approvals?.mode === 'deny') {
      await once('deny-mode', 'info', `${file.path} is not used: approvals.mode is deny, and its servers were never approved`);
      return [];
    }
    const answer = await io.ask(projectAsk(file));
    if (answer.decision === 'deny') {
      if (!NOT_A_CHOICE.has(answer.by)) {
        this.remember(key, 'deny');
        await io.notice('info', `${PROJECT_FILE}: its MCP servers are not started in this session`);
      }
      return [];
    }
    if (answer.decision === 'session') this.remember(key, 'allow');
    if (answer.decision === 'always') await this.approvals.approve(real, file.sha256, Object.keys(file.servers));
    return specs;
  }
}
