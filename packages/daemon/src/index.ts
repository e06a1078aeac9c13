export type * from './agent/types.js';
export { startDaemon, readDaemonState, daemonAnswers, DaemonAlreadyRunning, DAEMON_VERSION } from './daemon.js';
export type { DaemonOptions, RunningDaemon } from './daemon.js';
export { resolveHome, homePaths } from './paths.js';
export type { HomePaths } from './paths.js';
export { writeFileAtomic, ensurePrivateDir } from './util/fs.js';
export { loadConfig, ConfigError } from './config/load.js';
export { createAgent } from './agent/index.js';
export { testServer } from './mcp/probe.js';
