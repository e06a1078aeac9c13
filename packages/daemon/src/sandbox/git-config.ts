/**
 * Which git config files are inert: they can only hold settings that never make git run a
 * program or read more config. An allowlist, not a list of dangerous keys: git has dozens of
 * keys that run code (`core.fsmonitor`, `core.pager`, `diff.*.textconv`, `filter.*.process`,
 * `include.path`, …) and gains more; anything not known to be harmless counts as dangerous.
 */

/** `section.key` or `section.*.key` (any subsection), lowercased. */
const INERT = new Set([
  'core.repositoryformatversion',
  'core.filemode',
  'core.bare',
  'core.logallrefupdates',
  'core.ignorecase',
  'core.precomposeunicode',
  'core.symlinks',
  'core.autocrlf',
  'core.eol',
  'core.safecrlf',
  'core.quotepath',
  'core.worktree',
  'core.compression',
  'core.abbrev',
  'extensions.objectformat',
  'init.defaultbranch',
  'user.name',
  'user.email',
  'remote.*.url',
  'remote.*.fetch',
  'branch.*.remote',
  'branch.*.merge',
  'submodule.*.url',
  'submodule.*.active',
  'gc.auto',
]);

/**
 * The keys a git config file sets, as `section.key` / `section.*.key`, lowercased; `null` when a
 * line is not one git's syntax allows (treated as dangerous by the caller: git might read it
 * differently from us).
 */
export function configKeys(text: string): string[] | null {
  const keys: string[] = [];
  let section: string | null = null;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.replace(/\r$/, '');
    // A value continued on the next line: the key is on the first.
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i]!.replace(/\r$/, '');
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\](.*)$/.exec(trimmed);
    if (header) {
      const [, name, sub, rest] = header;
      // `[section.sub]` (the old form) has a subsection too.
      const dotted = !sub && name!.includes('.');
      section = `${(dotted ? name!.slice(0, name!.indexOf('.')) : name!).toLowerCase()}${sub !== undefined || dotted ? '.*' : ''}`;
      const after = rest!.trim();
      if (!after || after.startsWith('#') || after.startsWith(';')) continue;
      // A key may follow the header on the same line.
      const inline = /^([A-Za-z][A-Za-z0-9-]*)\s*(=|$|[#;])/.exec(after);
      if (!inline) return null;
      keys.push(`${section}.${inline[1]!.toLowerCase()}`);
      continue;
    }
    const entry = /^([A-Za-z][A-Za-z0-9-]*)\s*(=|$|[#;])/.exec(trimmed);
    if (!entry || section === null) return null;
    keys.push(`${section}.${entry[1]!.toLowerCase()}`);
  }
  return keys;
}

/** The keys that make a config dangerous (all of them when it cannot be read as git would). */
export function dangerousKeys(text: string): string[] {
  const keys = configKeys(text);
  if (keys === null) return ['(unparsable)'];
  return [...new Set(keys.filter((k) => !INERT.has(k)))];
}
