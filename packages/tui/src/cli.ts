#!/usr/bin/env node
import { Command, Option } from 'commander';
import { CLI_VERSION } from './version.js';

/**
 * The `hermes` command. Each subcommand imports its implementation lazily, so `hermes send`
 * never loads the TUI stack (Ink, React) and starts fast.
 */
const program = new Command('hermes')
  .description('hermes: a terminal AI agent. Run with no command to chat.')
  .version(CLI_VERSION, '-V, --version')
  .addOption(new Option('--home <dir>', 'where hermes keeps its state (default: $HERMES_HOME or ~/.hermes)'))
  .showHelpAfterError('(run `hermes --help` for usage)')
  .enablePositionalOptions();

const home = (): string | undefined => program.opts<{ home?: string }>().home;

const daemon = program.command('daemon').description('run and manage the background daemon that owns sessions and runs');
daemon
  .command('run')
  .description('run the daemon in the foreground (what auto-start spawns)')
  .option('--port <port>', 'port on 127.0.0.1 (default: any free port)', (v) => Number.parseInt(v, 10))
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
  .description('stop the daemon (runs in progress end as interrupted)')
  .action(async () => {
    const { daemonStop } = await import('./commands/daemon.js');
    process.exitCode = await daemonStop(home());
  });
daemon
  .command('status')
  .description('show whether the daemon is running, and its port, pid, version and sessions')
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
  .option('-n, --lines <n>', 'last N lines', (v) => Number.parseInt(v, 10), 50)
  .option('-f, --follow', 'keep printing new lines')
  .action(async (opts: { lines: number; follow?: boolean }) => {
    const { daemonLogs } = await import('./commands/daemon.js');
    process.exitCode = await daemonLogs(home(), opts.lines, opts.follow ?? false);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`hermes: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
