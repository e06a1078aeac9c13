/**
 * `${VAR}` and `${VAR:-default}` in MCP server settings, from the environment (the daemon's,
 * merged with HERMES_HOME/.env), as Claude Code's `.mcp.json` does. An unset variable without a
 * default expands to nothing and is reported, so a typo is not a silent empty header.
 */
export function expandVars(text: string, env: Readonly<Record<string, string | undefined>>, missing: Set<string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, fallback: string | undefined) => {
    const v = env[name];
    if (v !== undefined && v !== '') return v;
    if (fallback !== undefined) return fallback;
    missing.add(name);
    return '';
  });
}

export function expandRecord(
  record: Readonly<Record<string, string>> | undefined,
  env: Readonly<Record<string, string | undefined>>,
  missing: Set<string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record ?? {})) out[k] = expandVars(v, env, missing);
  return out;
}
