/**
 * Programs that run a command given in their options or their script (`awk 'BEGIN{system(…)}'`,
 * `tar --to-command`, `rsync -e`, `man -P`, `vim -c '!…'`, `sed 'e …'`), and hermes itself.
 */
import { analysePayload, checkWriteTarget } from './args.js';
import { stdinTexts } from './interpreters.js';
import { basename } from './paths.js';
import { each, type ProgramCall, type ProgramCheck } from './program-call.js';
import type { Ctx, Findings } from './types.js';

/** Values of the options named (`--to-command=X`, `--to-command X`, `-I X`, `-IX`). */
function optionValues({ texts }: ProgramCall, long: readonly string[], short = ''): string[] {
  const out: string[] = [];
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i]!;
    if (t === '--') break;
    if (t.startsWith('--')) {
      const eq = t.indexOf('=');
      const name = t.slice(2, eq === -1 ? undefined : eq);
      if (!long.includes(name)) continue;
      const v = eq === -1 ? texts[++i] : t.slice(eq + 1);
      if (v !== undefined) out.push(v);
    } else if (short && /^-[^-]/.test(t) && short.includes(t[1]!)) {
      const v = t.length > 2 ? t.slice(2) : texts[++i];
      if (v !== undefined) out.push(v);
    }
  }
  return out;
}

/** Judges an option's command; flags it unless it is one of the harmless helpers usually named there. */
function runsOption(what: string, cmd: string, harmless: RegExp, f: Findings, ctx: Ctx): void {
  analysePayload(cmd, f, ctx);
  const prog = basename(cmd.trim().split(/\s+/)[0] ?? '');
  if (!harmless.test(prog) || /[;&|`$<>()]/.test(cmd)) f.add('dangerous', `${what} runs the command ${JSON.stringify(cmd)}`);
}

const COMPRESSORS = /^(?:g?zip|gunzip|zstd|unzstd|xz|unxz|bzip2|bunzip2|lz4|lzip|lzop|pigz|pbzip2|pixz|brotli|cat|compress|uncompress)$/;

const tar: ProgramCheck = (call, f, ctx) => {
  for (const v of optionValues(call, ['to-command', 'use-compress-program', 'info-script', 'new-volume-script', 'rsh-command'], 'IF')) {
    runsOption('tar', v, COMPRESSORS, f, ctx);
  }
  for (const v of optionValues(call, ['checkpoint-action'])) {
    const m = /^exec=(.*)$/s.exec(v);
    if (m) runsOption('tar --checkpoint-action', m[1] ?? '', /^$/, f, ctx);
  }
};

const awk: ProgramCheck = (call, f, ctx) => {
  const { texts } = call;
  const programs: string[] = [...optionValues(call, ['source'], 'e')];
  const files = optionValues(call, ['file', 'exec'], 'fE');
  if (files.some((p) => /^(?:-|\/dev\/stdin|\/dev\/fd\/0)$/.test(p))) programs.push(...stdinTexts(call.cmd));
  if (!files.length && !programs.length) {
    // The program is the first operand after options (-F fs, -v var=val take a value).
    for (let i = 0; i < texts.length; i++) {
      const t = texts[i]!;
      if (t === '--') {
        if (texts[i + 1] !== undefined) programs.push(texts[i + 1]!);
        break;
      }
      if (/^-[Fvfil]$/.test(t) || /^--(?:field-separator|assign|include|load)$/.test(t)) i++;
      else if (!t.startsWith('-') || t === '-') {
        programs.push(t);
        break;
      }
    }
  }
  for (const code of programs) {
    if (/\bsystem\s*\(|\|\s*getline|\|&|\b(?:print|printf)\b[^;}]*\|\s*"/.test(code)) {
      f.add('dangerous', `${call.prog} code that runs commands`);
      for (const m of code.matchAll(/"((?:[^"\\]|\\.)*)"/g)) analysePayload(m[1] ?? '', f, ctx);
    }
    for (const m of code.matchAll(/>>?\s*"((?:[^"\\]|\\.)*)"/g)) checkWriteTarget(m[1] ?? '', `${call.prog} print >`, f, ctx);
  }
};

const sed: ProgramCheck = (call, f, ctx) => {
  const scripts = optionValues(call, ['expression'], 'e');
  if (!scripts.length) {
    const first = call.texts.find((t) => !t.startsWith('-'));
    if (first !== undefined) scripts.push(first);
  }
  for (const s of scripts) {
    // GNU sed: the `e` command and the `e` flag of `s` run shell commands; `w`/`W` write files.
    const eCommand = /(?:^|[;\n{}])\s*(?:\d+|\$|\/(?:[^/\\]|\\.)*\/)?\s*(?:,\s*(?:\d+|\$|\/(?:[^/\\]|\\.)*\/))?\s*e(?:\s+(.*))?$/m.exec(s);
    const eFlag = /(?:^|[;\n{}])\s*s(.)(?:(?!\1)[^\\]|\\.)*\1(?:(?!\1)[^\\]|\\.)*\1[gpiImM0-9w]*e/.exec(s);
    if (eCommand || eFlag) f.add('dangerous', 'sed script that runs shell commands');
    if (eCommand?.[1]) analysePayload(eCommand[1], f, ctx);
    for (const m of s.matchAll(/(?:^|[;\n{}]|\/[gpiImM0-9]*)\s*[wW]\s+(\S+)/g)) checkWriteTarget(m[1] ?? '', 'sed w', f, ctx);
  }
};

const PAGERS = /^(?:less|more|most|cat|bat|pager)$/;

const EXEC_PROGRAMS: Record<string, ProgramCheck> = {
  ...each(['tar', 'bsdtar', 'gtar'], tar),
  ...each(['awk', 'gawk', 'mawk', 'nawk', 'busybox-awk'], awk),
  sed,
  gsed: sed,
  zip: (call, f, ctx) => {
    const tt = call.texts.indexOf('-TT');
    const cmds = optionValues(call, ['unzip-command']).concat(tt !== -1 && call.texts[tt + 1] !== undefined ? [call.texts[tt + 1]!] : []);
    cmds.forEach((v) => runsOption('zip -TT', v, /^unzip$/, f, ctx));
  },
  rsync: (call, f, ctx) => optionValues(call, ['rsh'], 'e').forEach((v) => runsOption('rsync -e', v, /^ssh$/, f, ctx)),
  man: (call, f, ctx) => optionValues(call, ['pager', 'html'], 'PH').forEach((v) => runsOption('man -P', v, PAGERS, f, ctx)),
  ...each(['ssh', 'scp', 'sftp'], (call, f, ctx) => {
    for (const o of optionValues(call, [], 'o')) {
      const m = /^(ProxyCommand|LocalCommand|KnownHostsCommand|RemoteCommand)[=\s]+(.*)$/is.exec(o);
      if (m && m[1]!.toLowerCase() !== 'remotecommand') runsOption(`${call.prog} -o ${m[1]}`, m[2] ?? '', /^$/, f, ctx);
    }
    if (call.prog !== 'ssh') for (const v of optionValues(call, [], 'S')) runsOption(`${call.prog} -S`, v, /^ssh$/, f, ctx);
  }),
  ...each(['less', 'more'], ({ texts }, f, ctx) => {
    for (const t of texts) {
      const m = /^\+.*?[!|](.*)$/s.exec(t);
      if (m) runsOption(`less ${t}`, m[1] ?? '', /^$/, f, ctx);
    }
  }),
  ...each(['vi', 'vim', 'nvim', 'view', 'ex', 'rvim', 'gvim', 'vimdiff'], (call, f, ctx) => {
    const cmds = [...optionValues(call, ['cmd'], 'c'), ...call.texts.filter((t) => t.startsWith('+'))];
    for (const c of cmds) {
      const bang = /!(.*)$/s.exec(c);
      if (bang) runsOption(`${call.prog} ${c}`, bang[1] ?? '', /^$/, f, ctx);
      else if (
        /\b(?:system|systemlist|termopen|jobstart|terminal|sh(?:ell)?|py(?:thon)?3?|lua|perl|ruby|source|so|call|exe(?:cute)?)\b/.test(c)
      ) {
        f.add('dangerous', `${call.prog} ${c} runs commands`);
      }
    }
  }),
};

/** hermes itself: the agent must not change its own approval settings or talk to the daemon as the user. */
const hermes: ProgramCheck = ({ operands }, f) => {
  const [sub = '', verb = ''] = operands;
  const readOnly =
    (sub === 'config' && /^(?:get|path|list)$/.test(verb)) ||
    (sub === 'sessions' && /^(?:list|show|export|)$/.test(verb)) ||
    (sub === 'daemon' && /^(?:status|logs)$/.test(verb));
  if (sub === 'config' && /^(?:set|unset)$/.test(verb))
    f.add(
      'dangerous',
      `changes hermes settings (hermes config ${verb} ${operands[2] ?? ''}): they decide what gets approved`.replace(' )', ')'),
    );
  else if (!readOnly && sub !== '') f.add('dangerous', `runs hermes ${sub}: it acts on the daemon as the user`);
};

/**
 * `… config set approvals.mode yolo` however hermes is started (`node …/cli.js`, `npx hermes`,
 * a copied binary): any command line that sets an approvals/sandbox/tools key.
 */
export function checkSettingsChange(texts: readonly string[], f: Findings): void {
  const i = texts.findIndex((t, k) => t === 'config' && /^(?:set|unset)$/.test(texts[k + 1] ?? ''));
  if (i !== -1 && /^(?:approvals|sandbox|tools)(?:\.|$)/.test(texts[i + 2] ?? '')) {
    f.add('dangerous', `changes hermes' approval settings (config ${texts[i + 1]} ${texts[i + 2]})`);
  }
}

export const EXEC_AND_HERMES_PROGRAMS: Record<string, ProgramCheck> = {
  ...EXEC_PROGRAMS,
  ...each(['hermes', 'hermes.js'], hermes),
};
