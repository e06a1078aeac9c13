/**
 * What one command of a list changes for the next ones: the directory (`cd ~/.ssh && …`) and
 * files just downloaded (`curl -o /tmp/x … && sh /tmp/x` is `curl … | sh` in two steps).
 */
import type { SimpleCommand } from '../shell-parse.js';
import { stripPrefix } from './args.js';
import { basename, homeRelative, resolveIn } from './paths.js';
import { DOWNLOADERS, INTERPRETERS, PRIVILEGE, SHELLS } from './tables.js';
import type { Ctx } from './types.js';

/** The directory after `cmd` when it is a `cd`/`pushd`; `false` when `cmd` does not move. */
export function cwdAfter(cmd: SimpleCommand, ctx: Ctx): string | null | undefined | false {
  const words = stripPrefix(cmd.words);
  const prog = words[0]?.text;
  if (prog !== 'cd' && prog !== 'pushd' && prog !== 'popd') return false;
  if (prog === 'popd') return null;
  const ops = words.slice(1).filter((w) => !/^-[LPe@]+$/.test(w.text));
  const target = ops[0];
  if (!target) return prog === 'cd' ? '~' : null;
  if (target.text === '-' || /^[+-]\d+$/.test(target.text)) return null;
  const t = homeRelative(target.text, ctx.home);
  if (t.startsWith('~') || t.startsWith('/')) return t;
  if (target.dynamic || ctx.cwd === null) return null;
  return resolveIn(t, ctx.cwd);
}

/** Files `cmd` downloads to (`curl -o F`, `wget -O F`, `curl … > F`). */
export function downloadsOf(cmd: SimpleCommand, ctx: Ctx): string[] {
  const words = stripPrefix(cmd.words);
  const prog = words[0] ? basename(words[0].text) : '';
  if (!DOWNLOADERS.has(prog)) return [];
  const texts = words.map((w) => w.text);
  const out: string[] = [];
  const urls = texts.filter((t) => /^[a-z][a-z0-9+.-]*:\/\//i.test(t));
  texts.forEach((t, i) => {
    // curl -O / --remote-name saves under the URL's own file name; wget -O takes the name.
    if (prog === 'curl' && (t === '-O' || t === '--remote-name' || /^-[a-zA-Z]*O$/.test(t)))
      out.push(...urls.map((u) => basename(u.replace(/[?#].*$/, ''))));
    else if (/^(?:-o|--output|-O|--output-document)$/.test(t) && texts[i + 1] && texts[i + 1] !== '-') out.push(texts[i + 1]!);
    const eq = /^--(?:output|output-document)=(.+)$/.exec(t);
    if (eq) out.push(eq[1]!);
  });
  for (const r of cmd.redirects) if (r.op.includes('>')) out.push(r.target.text);
  return out.map((p) => resolveIn(p, ctx.cwd));
}

/** The downloaded file `cmd` runs, if any: as the program, or as the script of a shell or interpreter. */
export function runsDownloaded(cmd: SimpleCommand, downloads: ReadonlySet<string>, ctx: Ctx): string | undefined {
  if (!downloads.size) return undefined;
  const words = stripPrefix(cmd.words);
  const paths = words.map((w) => resolveIn(w.text, ctx.cwd));
  const prog = words[0] ? basename(words[0].text) : '';
  if (paths[0] !== undefined && (downloads.has(paths[0]) || downloads.has(paths[0].replace(/^\.\//, '')))) return paths[0];
  const runner =
    SHELLS.has(prog) || INTERPRETERS.has(prog) || PRIVILEGE.has(prog) || /^(?:source|\.|exec|env|nohup|python\d.*)$/.test(prog);
  return runner ? paths.slice(1).find((p) => downloads.has(p)) : undefined;
}
