#!/usr/bin/env node
import nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { setCliEntry } from './client/cli-entry.js';
import { chooseValidationMode, enableCompileCache } from './client/validation-mode.js';
import type { ChatOptions, SendOptions } from './commands/options.js';
import { commandNames, CommanderError, commanderExitCode, intArg as int, pointErrorsToHelp, typoOf, USAGE_EXIT } from './commands/usage.js';
import { CLI_VERSION } from './version.js';

/**
 * The `hermes` command. Each subcommand imports its implementation lazily, so `hermes send`
 * never loads the TUI stack (Ink, React) and starts fast.
 */
setCliEntry(fileURLToPath(import.meta.url));
chooseValidationMode(process.argv.slice(2));
enableCompileCache(nodeModule);

const program = new Command('hermes')
  .description('hermes: a terminal AI agent. Run with no command to chat.')
  .version(CLI_VERSION, '-V, --version')
  .addOption(new Option('--home <dir>', 'where hermes keeps its state (default: $HERMES_HOME or ~/.hermes)'))
  // Misuse exits 2 (not commander's 1); each command's errors point to its own --help.
  .exitOverride()
  // Commander's own messages read like ours: `hermes: unknown option '--bogus'`.
  .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'hermes: ')) })
  .enablePositionalOptions();

const home = (): string | undefined => program.opts<{ home?: string }>().home;
const collect = (v: string, prev: string[] = []) => [...prev, v];

// ── chat and attach (the Ink TUI) ────────────────────────────────────────────
program
  .command('chat [message...]', { isDefault: true })
  .description('open the chat TUI on a new session (or a resumed one); a message given here is sent first')
  .option('-s, --session <id>', 'resume this session (id, unique prefix or "latest")')
  .option('-c, --continue', 'resume the most recent session')
  .option('-m, --model <provider:model>', 'model for the session, e.g. openai:gpt-4.1')
  .option('-w, --workspace <dir>', 'folder the agent works in (default: the current folder)')
  .option('--no-instructions', 'read no instruction files (AGENTS.md & co) for the messages sent from here')
  .action(async (message: string[], opts: ChatOptions) => {
    // `hermes sesions` is a typo, not a one-word chat (`hermes chat sesions` still is).
    const typo = program.args[0] !== 'chat' && message.length === 1 ? typoOf(message[0]!, commandNames(program)) : null;
    if (typo) {
      process.stderr.write(
        `hermes: unknown command "${message[0]}" (did you mean \`hermes ${typo}\`?)\n  to chat with that as the message: hermes chat ${message[0]}\n`,
      );
      process.exitCode = USAGE_EXIT;
      return;
    }
    const { chatCommand } = await import('./commands/chat.js');
    process.exitCode = await chatCommand(home(), opts, message.join(' '));
  });
program
  .command('attach [session]')
  .description('open a second terminal on a session (default: the most recently active running one)')
  .action(async (session: string | undefined) => {
    const { attachCommand } = await import('./commands/chat.js');
    process.exitCode = await attachCommand(home(), session);
  });

// ── send (scripts and pipes) ─────────────────────────────────────────────────
program
  .command('send [text...]')
  .description('send a message and stream the reply to stdout (reads piped stdin too)')
  .option('-f, --file <path>', 'attach a file (repeatable)', collect)
  .option('--no-stdin', 'do not read stdin even when it is a pipe')
  .option('-c, --continue', 'continue the most recent session')
  .option('-s, --session <id>', 'send to this session (id, unique prefix or "latest")')
  .option('-m, --model <provider:model>', 'model for this message')
  .option('-w, --workspace <dir>', 'folder the agent works in (default: the current folder)')
  .option('-t, --title <title>', 'title of a new session')
  .option('-q, --quiet', 'print only the final text')
  .option('--json', 'print the protocol events as NDJSON on stdout')
  .addOption(
    new Option('--approve <mode>', 'answer approvals: ask (prompt on the terminal), deny, yes')
      .choices(['ask', 'deny', 'yes'])
      .default('ask'),
  )
  .option('--approval-timeout <secs>', 'deny an approval nobody answered within this many seconds', int)
  .addOption(
    new Option(
      '--clarify <mode>',
      "the model's questions: ask (on the terminal, else dismissed), wait (the terminal, else another client answers), dismiss",
    )
      .choices(['ask', 'wait', 'dismiss'])
      .default('ask'),
  )
  .option('--detach', 'queue the message and return at once, printing the session id')
  .option('--no-instructions', 'read no instruction files (AGENTS.md & co) for this message')
  .option('--steer', "steer the session's run in progress: the message joins it after its current tool calls (no run: it just runs)")
  .option('--interrupt', "cancel the session's run in progress (its partial reply is kept), then run the message")
  .addHelpText(
    'after',
    `
Input: the arguments, then piped stdin and each --file in a delimited block (512 KiB in all).
Piped stdin is read to its end, however slow the producer (--no-stdin: do not read it).

Output: the reply on stdout; tool activity, notices, errors and the session id on stderr.

Approvals (--approve ask): prompted on /dev/tty, even with stdin piped; without a terminal
(or with HERMES_NO_TTY=1) send waits for another client (hermes attach) to answer.

Questions (the clarify tool): asked on /dev/tty (a number picks an option, other text is the
answer, an empty line dismisses); without a terminal they are dismissed at once and the model
goes on with its best guess (--clarify wait: another client answers; dismiss: never ask).

Exit codes: 0 done · 1 the run failed · 2 usage error · 3 an approval was denied
            4 the daemon could not be reached or started · 130 interrupted (Ctrl-C)

Examples:
  git diff | hermes send "review this"
  hermes send -c -q "and now the tests" > answer.md
  hermes send -c --steer "use pnpm, not npm"     (while the agent works in another terminal)
  hermes send --json --approve deny "summarise src/" | jq -r 'select(.type=="message.delta").data.text'`,
  )
  .action(async (text: string[], opts: SendOptions) => {
    const { sendCommand } = await import('./commands/send/index.js');
    process.exitCode = await sendCommand(home(), text, opts);
  });

program
  .command('init')
  .description('ask the agent to write an AGENTS.md for the project in this folder (a turn, like send)')
  .option('-w, --workspace <dir>', 'the project folder (default: the current folder)')
  .action(async (opts: { workspace?: string }) => {
    const { sendCommand } = await import('./commands/send/index.js');
    const { INIT_PROMPT } = await import('./ui/slash/init-prompt.js');
    process.exitCode = await sendCommand(home(), [INIT_PROMPT], {
      stdin: false,
      approve: 'ask',
      title: 'Write AGENTS.md',
      ...(opts.workspace ? { workspace: opts.workspace } : {}),
    });
  });

// ── acp (editors) ────────────────────────────────────────────────────────────
program
  .command('acp')
  .description('speak the Agent Client Protocol on stdin/stdout, for editors such as Zed (see docs/acp.md)')
  .action(async () => {
    const { acpCommand } = await import('./commands/acp.js');
    process.exitCode = await acpCommand(home());
  });

// ── sessions ─────────────────────────────────────────────────────────────────
const sessions = program.command('sessions').description('list, show, rename, remove and export sessions');
sessions
  .command('list', { isDefault: true })
  .description('list sessions, most recent first')
  .option('--json', 'print JSON')
  .option('-n, --limit <n>', 'at most N sessions (default 50)', int)
  .option('-a, --all', 'every session')
  .option('-s, --search <text>', 'only sessions whose title or first message contains TEXT')
  .action(async (opts: { json?: boolean; limit?: number; all?: boolean; search?: string }) => {
    const { sessionsList } = await import('./commands/sessions.js');
    process.exitCode = await sessionsList(home(), opts);
  });
sessions
  .command('search <text...>')
  .description("search every session's messages (yours and the assistant's), newest sessions first")
  .option('--json', 'print one JSON line per match, then a summary line')
  .option('-n, --limit <n>', 'stop after N matches (default 100)', int)
  .action(async (text: string[], opts: { json?: boolean; limit?: number }) => {
    const { sessionsSearch } = await import('./commands/sessions.js');
    process.exitCode = await sessionsSearch(home(), text.join(' '), opts);
  });
sessions
  .command('show <id>')
  .description('print a session as readable text')
  .option('--json', 'print the session and its transcript as JSON')
  .action(async (id: string, opts: { json?: boolean }) => {
    const { sessionsShow } = await import('./commands/sessions.js');
    process.exitCode = await sessionsShow(home(), id, opts);
  });
sessions
  .command('rm <id>')
  .alias('delete')
  .description('delete a session')
  .option('--force', 'cancel its run (and queued messages) first, if one is in progress')
  .action(async (id: string, opts: { force?: boolean }) => {
    const { sessionsRm } = await import('./commands/session-stop.js');
    process.exitCode = await sessionsRm(home(), id, opts);
  });
sessions
  .command('cancel <id>')
  .description('cancel the run in progress in a session (queued messages then run, unless --all)')
  .option('--all', 'also withdraw the messages queued behind the run')
  .action(async (id: string, opts: { all?: boolean }) => {
    const { sessionsCancel } = await import('./commands/session-stop.js');
    process.exitCode = await sessionsCancel(home(), id, opts);
  });
sessions
  .command('rename <id> <title...>')
  .description('set the title of a session')
  .action(async (id: string, title: string[]) => {
    const { sessionsRename } = await import('./commands/sessions.js');
    process.exitCode = await sessionsRename(home(), id, title.join(' '));
  });
sessions
  .command('compact <id>')
  .description('summarise the history of a session now, to free context (not while a run is active)')
  .option('--focus <text>', 'what the summary should keep in focus')
  .action(async (id: string, opts: { focus?: string }) => {
    const { sessionsCompact } = await import('./commands/session-compact.js');
    process.exitCode = await sessionsCompact(home(), id, opts);
  });
sessions
  .command('rewind <id>')
  .description('undo messages and/or the file edits of their runs: back to before a message (default: the last one)')
  .option('--to <message>', 'the message: N (as `sessions show` numbers them), -N from the end, or its id (default -1)')
  .option('--mode <mode>', 'both (default), conversation (files stay) or code (the conversation stays)')
  .option('--force', 'restore files someone else changed since too')
  .option('--json', "print the daemon's answer as JSON")
  .action(async (id: string, opts: { to?: string; mode?: string; force?: boolean; json?: boolean }) => {
    const { sessionsRewind } = await import('./commands/session-rewind.js');
    process.exitCode = await sessionsRewind(home(), id, opts);
  });
sessions
  .command('unrewind <id>')
  .description('take the latest rewind back (its messages and files), while no message was sent since')
  .option('--force', 'put back files someone else changed since too')
  .option('--json', "print the daemon's answer as JSON")
  .action(async (id: string, opts: { force?: boolean; json?: boolean }) => {
    const { sessionsUnrewind } = await import('./commands/session-rewind.js');
    process.exitCode = await sessionsUnrewind(home(), id, opts);
  });
sessions
  .command('fork <id>')
  .description('copy a session into a new one (up to before a message with --at); it works in the same workspace')
  .option('--at <message>', 'fork before this message: N, -N or its id (default: the whole conversation)')
  .option('--title <title>', 'the new session\'s title (default "<title> (fork)")')
  .option('--json', 'print the new session as JSON')
  .action(async (id: string, opts: { at?: string; title?: string; json?: boolean }) => {
    const { sessionsFork } = await import('./commands/session-rewind.js');
    process.exitCode = await sessionsFork(home(), id, opts);
  });
sessions
  .command('export <id>')
  .description('export a session')
  .addOption(new Option('--format <format>', 'md, json or jsonl (the raw event log)').choices(['md', 'json', 'jsonl']).default('md'))
  .option('-o, --output <file>', 'write to a file instead of stdout')
  .action(async (id: string, opts: { format: 'md' | 'json' | 'jsonl'; output?: string }) => {
    const { sessionsExport } = await import('./commands/sessions.js');
    process.exitCode = await sessionsExport(home(), id, opts);
  });

// ── checkpoints ──────────────────────────────────────────────────────────────
const checkpoints = program.command('checkpoints').description("the snapshots of workspaces that rewind restores (hermes's own store)");
checkpoints
  .command('status', { isDefault: true })
  .description('store size per workspace, counts and the pruning limits')
  .option('--json', 'print as JSON')
  .action(async (opts: { json?: boolean }) => {
    const { checkpointsStatus } = await import('./commands/checkpoints.js');
    process.exitCode = await checkpointsStatus(home(), opts);
  });
checkpoints
  .command('prune')
  .description('prune now: old and surplus checkpoints go, then whatever exceeds checkpoints.maxTotalMB (not while a run is active)')
  .option('--json', 'print as JSON')
  .action(async (opts: { json?: boolean }) => {
    const { checkpointsPrune } = await import('./commands/checkpoints.js');
    process.exitCode = await checkpointsPrune(home(), opts);
  });

// ── config ───────────────────────────────────────────────────────────────────
const config = program.command('config').description('read and change HERMES_HOME/config.json');
config
  .command('get <key>')
  .description('print a value (dotted keys: approvals.mode)')
  .option('--effective', 'the value in effect: the one set, else the default')
  .action(async (key: string, opts: { effective?: boolean }) => {
    const { configGet } = await import('./commands/config.js');
    process.exitCode = await configGet(home(), key, opts);
  });
config
  .command('set <key> <value>')
  .description('set a value, validated against the config schema (JSON values accepted)')
  .addHelpText(
    'after',
    `
Examples:
  hermes config set model openai:gpt-4.1
  hermes config set approvals.timeout 120
  hermes config set providers.local '{"type":"openai","baseUrl":"http://127.0.0.1:11434/v1"}'
  hermes config set 'prices.openai:gpt-4\\.1' '{"inputPerMTok":2,"outputPerMTok":8}'   (\\. is a dot inside a name)`,
  )
  .action(async (key: string, value: string) => {
    const { configSet } = await import('./commands/config.js');
    process.exitCode = await configSet(home(), key, value);
  });
config
  .command('unset <key>')
  .description('remove a value')
  .action(async (key: string) => {
    const { configUnset } = await import('./commands/config.js');
    process.exitCode = await configUnset(home(), key);
  });
config
  .command('path')
  .description('print where the config file is')
  .action(async () => {
    const { configPath } = await import('./commands/config.js');
    process.exitCode = await configPath(home());
  });
config
  .command('list')
  .description('print the whole config')
  .option('--json', 'print JSON')
  .option('--defaults', 'with the defaults of what is not set (marked "(default)")')
  .action(async (opts: { json?: boolean; defaults?: boolean }) => {
    const { configList } = await import('./commands/config.js');
    process.exitCode = await configList(home(), opts);
  });

// ── daemon ───────────────────────────────────────────────────────────────────
const daemon = program.command('daemon').description('run and manage the background daemon that owns sessions and runs');
daemon
  .command('run')
  .description('run the daemon in the foreground (what auto-start spawns)')
  .option('--port <port>', 'port on 127.0.0.1 (default: any free port)', int)
  .option('--home <dir>', 'state directory')
  .action(async (opts: { port?: number; home?: string }) => {
    const { daemonRun } = await import('./commands/daemon.js');
    process.exitCode = await daemonRun(opts.home ?? home(), opts.port);
  });
daemon
  .command('start')
  .description('start the daemon in the background if it is not running')
  .action(async () => {
    const { daemonStart } = await import('./commands/daemon.js');
    process.exitCode = await daemonStart(home());
  });
daemon
  .command('stop')
  .description('stop the daemon (refuses while runs are in progress, unless --force)')
  .option('--force', 'stop even while runs are active (they end as interrupted)')
  .action(async (opts: { force?: boolean }) => {
    const { daemonStop } = await import('./commands/daemon.js');
    process.exitCode = await daemonStop(home(), opts.force ?? false);
  });
daemon
  .command('status')
  .description('show whether the daemon is running (exit 3 when not), with its port, pid and version')
  .option('--json', 'print JSON')
  .action(async (opts: { json?: boolean }) => {
    const { daemonStatus } = await import('./commands/daemon.js');
    process.exitCode = await daemonStatus(home(), opts.json ?? false);
  });
daemon
  .command('restart')
  .description('stop the daemon and start a new one')
  .option('--force', 'restart even while runs are active (they end as interrupted)')
  .action(async (opts: { force?: boolean }) => {
    const { daemonRestart } = await import('./commands/daemon.js');
    process.exitCode = await daemonRestart(home(), opts.force ?? false);
  });
daemon
  .command('logs')
  .description("print the daemon's log")
  .option('-n, --lines <n>', 'last N lines', int, 50)
  .option('-f, --follow', 'keep printing new lines')
  .action(async (opts: { lines: number; follow?: boolean }) => {
    const { daemonLogs } = await import('./commands/daemon.js');
    process.exitCode = await daemonLogs(home(), opts.lines, opts.follow ?? false);
  });

// ── mcp ──────────────────────────────────────────────────────────────────────
const mcp = program.command('mcp').description('MCP servers whose tools the agent can use');
mcp
  .command('add <name> [command...]')
  .description('add a server: hermes mcp add NAME -- COMMAND ARGS…, or hermes mcp add NAME --url URL')
  .option('--url <url>', 'a remote server (Streamable HTTP, falling back to SSE)')
  .option('--header <K=V>', 'an HTTP header for --url (repeatable; ${VAR} expands)', collect)
  .option('-e, --env <K=V>', 'an environment variable for the command (repeatable; ${VAR} expands)', collect)
  .addOption(new Option('--transport <kind>', 'force a transport').choices(['stdio', 'http', 'sse']))
  .addOption(
    new Option('--trust <level>', 'ask before every tool (default), not for read-only ones, or never').choices(['ask', 'readOnly', 'all']),
  )
  .action(async (name: string, command: string[], opts: import('./commands/mcp.js').AddOptions) => {
    const { mcpAdd } = await import('./commands/mcp.js');
    process.exitCode = await mcpAdd(home(), name, command, opts);
  });
mcp
  .command('list')
  .description('configured servers, and their state in the daemon')
  .option('--json', 'print JSON')
  .action(async (opts: { json?: boolean }) => {
    const { mcpList } = await import('./commands/mcp.js');
    process.exitCode = await mcpList(home(), opts.json ?? false);
  });
mcp
  .command('remove <name>')
  .description('remove a server from the config')
  .action(async (name: string) => {
    const { mcpRemove } = await import('./commands/mcp.js');
    process.exitCode = await mcpRemove(home(), name);
  });
mcp
  .command('test <name>')
  .description('start the server here, list its tools with timings, stop it')
  .action(async (name: string) => {
    const { mcpTest } = await import('./commands/mcp.js');
    process.exitCode = await mcpTest(home(), name);
  });
mcp
  .command('import [file]')
  .description('copy servers from a Claude Desktop / Claude Code config or a .mcp.json (default: the usual places)')
  .option('--force', 'replace servers that already exist')
  .action(async (file: string | undefined, opts: { force?: boolean }) => {
    const { mcpImport } = await import('./commands/mcp.js');
    process.exitCode = await mcpImport(home(), file, opts.force ?? false);
  });

// ── sandbox ──────────────────────────────────────────────────────────────────
const sandbox = program.command('sandbox').description('the sandbox terminal commands run in');
sandbox
  .command('status')
  .description(
    'which sandbox, whether it works, what commands can write and read, network on/off (exit 1 when it should work but does not)',
  )
  .option('--json', 'print JSON')
  .action(async (opts: { json?: boolean }) => {
    const { sandboxStatusCommand } = await import('./commands/sandbox.js');
    process.exitCode = await sandboxStatusCommand(home(), opts.json ?? false);
  });

pointErrorsToHelp(program);

program.parseAsync(process.argv).catch(async (err: unknown) => {
  // Commander has printed its message (and the help hint) already.
  if (err instanceof CommanderError) {
    process.exitCode = commanderExitCode(err);
    return;
  }
  const { reportError } = await import('./commands/report-error.js');
  process.exitCode = reportError(err);
});
