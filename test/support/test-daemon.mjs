// Runs a real daemon process with the scripted test agent: `node test-daemon.mjs --home DIR`.
import { startDaemon } from '../../packages/daemon/dist/index.js';
import { createScriptedAgent } from './scripted-agent.mjs';

const args = process.argv.slice(2);
const home = args[args.indexOf('--home') + 1];
const byteCap = process.env.HERMES_TEST_BYTE_CAP ? Number(process.env.HERMES_TEST_BYTE_CAP) : undefined;
const protocol = process.env.HERMES_TEST_PROTOCOL ? Number(process.env.HERMES_TEST_PROTOCOL) : undefined;
const daemon = await startDaemon({
  home,
  agent: createScriptedAgent(),
  ...(byteCap ? { stream: { byteCap } } : {}),
  ...(protocol !== undefined ? { protocol } : {}),
});
process.once('SIGTERM', () => void daemon.stop());
process.once('SIGINT', () => void daemon.stop());
await daemon.stopped;
process.exit(0);
