/** Variables is-in-ci reads (once, when Ink's modules are first imported). */
const CI_VARIABLES = ['CI', 'CONTINUOUS_INTEGRATION'] as const;

/**
 * Imports the Ink UI with the CI variables hidden. Ink decides at import time whether it runs in
 * CI, and if so draws nothing until it exits: a blank screen. The TUI only starts on a real
 * terminal, and CI=1 is common in a developer's shell (devcontainers, some IDE terminals), so it
 * must not decide that. The variables are put back at once, so tools, the daemon and $EDITOR
 * still see the user's environment.
 */
export async function importInkUi<T>(load: () => Promise<T>): Promise<T> {
  const saved = CI_VARIABLES.map((name) => [name, process.env[name]] as const);
  for (const [name] of saved) delete process.env[name];
  try {
    return await load();
  } finally {
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
  }
}
