/** Variables is-in-ci reads (once, when Ink's modules are first imported). */
const CI_VARIABLES = ['CI', 'CONTINUOUS_INTEGRATION'] as const;

/**
 * Imports the Ink UI with the CI variables hidden. Ink decides at import time whether it runs in
 * CI, and if so draws nothing until it exits: a blank screen. The TUI only starts on a real
 * terminal, and CI=1 is common in a developer's shell (devcontainers, some IDE terminals), so it
 * must not decide that. The variables are put back at once, so tools, the daemon and $EDITOR
 * still see the user's environment.
 *
 * NODE_ENV is `production` during the import unless the user set it: React picks its build
 * from it once, when first imported, and without it ran its development build (extra checks on
 * every render and element; about half of a long session's first render in a CPU profile, see
 * docs/performance.md). Put back at once too: a daemon auto-started from here, and the tools
 * it runs, must not inherit a NODE_ENV the user never set.
 */
export async function importInkUi<T>(load: () => Promise<T>): Promise<T> {
  const saved = [...CI_VARIABLES, 'NODE_ENV'].map((name) => [name, process.env[name]] as const);
  for (const name of CI_VARIABLES) delete process.env[name];
  if (process.env.NODE_ENV === undefined) process.env.NODE_ENV = 'production';
  try {
    return await load();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
