/**
 * zod compiles a fast parser (`new Function`) for each object schema the first time it parses
 * with it. That pays off after thousands of parses; a `hermes send` parses a few dozen values
 * and exits, and the compiling was ~15% of its start-up (docs/performance.md). Every command
 * but the long-lived daemon therefore validates with zod's interpreter ("jitless", the same
 * checks, only not compiled).
 *
 * It must be set before any schema is built (zod reads it per schema at construction), that is
 * before the protocol module is evaluated, and without loading zod here (`hermes --version`
 * should not pay for it): zod keeps its global config on `globalThis.__zod_globalConfig` and
 * fills in an object that is already there. `validation-mode.test.ts` checks that it still does.
 */
export function chooseValidationMode(argv: readonly string[]): 'jit' | 'jitless' {
  const i = argv.indexOf('daemon');
  if (i >= 0 && argv[i + 1] === 'run') return 'jit';
  const g = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
  // In place: a zod already loaded holds a reference to this very object.
  (g.__zod_globalConfig ??= {}).jitless = true;
  return 'jitless';
}

/**
 * Node 22.1+ can keep compiled code of the modules it loads on disk (`module.enableCompileCache`):
 * a later `hermes send` skips compiling its ~0.7 MB of chunks. Feature-detected: Node 20 has
 * no such call and compiles as before. Returns whether the cache is on.
 */
export function enableCompileCache(mod: object): boolean {
  const enable = (mod as { enableCompileCache?: () => { status?: number } }).enableCompileCache;
  if (typeof enable !== 'function') return false;
  try {
    enable();
    return true;
  } catch {
    // A read-only temp dir: compile as usual.
    return false;
  }
}
