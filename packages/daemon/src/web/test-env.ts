import type { GuardOptions } from './guard.js';

/**
 * The test-only switch: `HERMES_TEST_FETCH_LOOPBACK=1` in the daemon's environment lets
 * web_fetch reach loopback (127.0.0.0/8, ::1), so end-to-end tests can fetch a fixture server
 * on 127.0.0.1. It is not a config key and is never meant to be set in use; private, link-local
 * and every other range stay refused with it, and so does the daemon's own port.
 */
export const TEST_FETCH_LOOPBACK_ENV = 'HERMES_TEST_FETCH_LOOPBACK';

export function webFetchRules(env: NodeJS.ProcessEnv, ownPort: number | undefined): GuardOptions {
  return { allowLoopback: env[TEST_FETCH_LOOPBACK_ENV] === '1', ownPorts: ownPort === undefined ? [] : [ownPort] };
}
