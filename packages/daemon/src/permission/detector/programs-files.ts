/** Checks for programs that delete, overwrite or re-permission files and disks. */
import { checkWriteTarget, hasLong, splitArgs, stripPrefix } from './args.js';
import { basename, broadPath, homeRelative, isHomeLike, isRootLike, lexicalAbs, resolveIn, sensitiveWriteReason } from './paths.js';
import { secretReadReason } from './secrets.js';
import { each, type ProgramCall, type ProgramCheck } from './program-call.js';
import { BLOCK_DEVICE, DESTRUCTIVE_FOR_XARGS, HARDLINE_RM_DIRS } from './tables.js';
import type { Ctx, Findings } from './types.js';

const rm: ProgramCheck = ({ args }, f, ctx) => {
  const { short, long } = splitArgs(args);
  const operands = splitArgs(args).operands.map((o) => resolveIn(o, ctx.cwd));
  const recursive = short.has('r') || short.has('R') || hasLong(long, 'recursive', 3);
  const before = f.list.length;
  if (hasLong(long, 'no-preserve-root', 4)) f.add('hardline', 'rm --no-preserve-root');
  for (const op of operands) {
    const p = homeRelative(op, ctx.home);
    if (isRootLike(op)) {
      if (recursive || op.includes('*')) f.add('hardline', 'recursive delete of the filesystem root');
      else f.add('dangerous', 'deletes at the filesystem root');
    } else if (isHomeLike(op, ctx.home)) {
      if (recursive || op.includes('*')) f.add('hardline', 'recursive delete of the home directory');
      else f.add('dangerous', 'deletes in the home directory');
    } else if (p.startsWith('/') && HARDLINE_RM_DIRS.has(lexicalAbs(p.replace(/\/\*$/, ''))) && recursive) {
      f.add('hardline', `recursive delete of the system directory ${lexicalAbs(p.replace(/\/\*$/, ''))}`);
    } else if (p.startsWith('/') || p.startsWith('~')) {
      f.add('dangerous', recursive ? `recursive delete of ${op}` : `deletes ${op} outside the workspace`);
    } else if (/^(?:\.\/)?(?:\*|\.\*|\*\.\*|\.|\.\.)\/?$/.test(op) || /^(?:\.\.\/)+\*?$/.test(op)) {
      f.add('dangerous', `deletes everything matching ${op}`);
    }
  }
  // The generic reason only when no operand gave a more precise one.
  if (recursive && f.list.length === before) f.add('dangerous', 'recursive delete');
  const sensitive = operands.map((o) => sensitiveWriteReason(o, ctx.home)).find((r) => r && r.level === 'dangerous');
  if (sensitive) f.add('dangerous', `deletes: ${sensitive.reason.replace(/^writes to /, '')}`);
};

const destroyContents: ProgramCheck = ({ prog, operands }, f, ctx) => {
  f.add('dangerous', `${prog} destroys file contents`);
  operands.forEach((o) => checkWriteTarget(o, prog, f, ctx));
};

const chmod: ProgramCheck = ({ short, long, operands: raw }, f, ctx) => {
  const recursive = short.has('R') || hasLong(long, 'recursive');
  const operands = raw.map((o, i) => (i === 0 ? o : resolveIn(o, ctx.cwd)));
  const mode = operands[0] ?? '';
  const worldWritable =
    /^0?[0-7]?[0-7][0-7][2367]$/.test(mode) || /(?:^|,)[ugo]*[ao][ugo]*[+=][rwxXst]*w/.test(mode) || /^[+=][rwxXst]*w/.test(mode);
  const targets = operands.slice(1);
  const broad = targets.some((t) => broadPath(t, ctx.home));
  if (recursive && worldWritable && targets.some((t) => isRootLike(t))) f.add('hardline', 'chmod -R 777 on the filesystem root');
  if (worldWritable) f.add('dangerous', `chmod ${mode} makes files world-writable`);
  if (recursive && broad) f.add('dangerous', 'recursive chmod on a broad path');
  if (targets.some((t) => /^~\/\.ssh/.test(homeRelative(t, ctx.home)))) f.add('dangerous', 'changes permissions of SSH files');
};

const chown: ProgramCheck = ({ prog, short, long, operands }, f, ctx) => {
  const recursive = short.has('R') || hasLong(long, 'recursive');
  const targets = operands.slice(1).map((o) => resolveIn(o, ctx.cwd));
  if (recursive) f.add('dangerous', `recursive ${prog}`);
  // Re-owning every file of the system leaves it unbootable, like chmod -R 777 /.
  if (recursive && (prog === 'chown' || prog === 'chgrp') && targets.some((t) => isRootLike(t)))
    f.add('hardline', `${prog} -R on the filesystem root`);
  if (targets.some((t) => broadPath(t, ctx.home))) f.add('dangerous', `${prog} on a system or broad path`);
};

const dd: ProgramCheck = ({ texts }, f, ctx) => {
  for (const t of texts) {
    if (!t.startsWith('of=')) continue;
    const target = resolveIn(t.slice(3), ctx.cwd);
    const r = sensitiveWriteReason(target, ctx.home);
    if (r) f.add(r.level, `dd ${r.reason.replace(/^writes to /, 'onto ')}`);
    else if (target.startsWith('/')) f.add('dangerous', `dd writes to ${target}`);
  }
};

const diskTool: ProgramCheck = ({ prog, operands }, f) => {
  const onDevice = operands.some((o) => BLOCK_DEVICE.test(o));
  if (prog === 'mke2fs' && onDevice) f.add('hardline', 'formats a disk device');
  if ((prog === 'wipefs' || prog === 'blkdiscard') && onDevice) f.add('hardline', `${prog} erases a disk device`);
  if (prog === 'diskutil' && operands.some((o) => /^(?:erase\w*|zerodisk|randomdisk|secureerase|reformat|partitiondisk)$/i.test(o)))
    f.add('hardline', 'diskutil erases a disk');
  f.add('dangerous', `${prog} can destroy disk data`);
};

/** `mkfs`, `mkfs.ext4`, `newfs_hfs`…: matched by name pattern in programs.ts. */
export const mkfs: ProgramCheck = ({ prog, operands }, f) => {
  f.add('dangerous', `${prog} formats a filesystem`);
  if (operands.some((o) => BLOCK_DEVICE.test(o))) f.add('hardline', 'formats a disk device');
};

/** The destination of cp/mv/install/ln/rsync/scp: `-t dir`, `--target-directory=dir`, or the last operand. */
function destination({ texts, long, operands }: ProgramCall): string | undefined {
  const t = long.find((l) => l.startsWith('--target-directory='));
  if (t) return t.split('=')[1];
  const ti = texts.indexOf('-t');
  if (ti !== -1) return texts[ti + 1];
  return operands.at(-1);
}

const copy: ProgramCheck = (call, f, ctx) => {
  const { prog, texts, long, operands } = call;
  const dest = destination(call);
  if (dest && (operands.length >= 2 || texts.includes('-t') || long.some((l) => l.startsWith('--target-directory')))) {
    checkWriteTarget(dest, prog, f, ctx);
    if (prog === 'mv' && dest === '/dev/null') f.add('dangerous', 'mv onto /dev/null replaces the device (and loses the file)');
  }
  if (prog === 'rsync' && long.some((l) => l.startsWith('--delete') || l === '--remove-source-files'))
    f.add('dangerous', 'rsync --delete removes files at the destination');
  const sources = operands.slice(0, -1).map((o) => resolveIn(o, ctx.cwd));
  if (
    prog === 'mv' &&
    sources.some((o) => isRootLike(o) || isHomeLike(o, ctx.home) || sensitiveWriteReason(o, ctx.home)?.level === 'dangerous')
  ) {
    f.add('dangerous', 'moves a system, home or secrets path away');
  }
  // A link to a sensitive file lets a later, innocent-looking write change it.
  const linked = prog === 'ln' ? sources.find((o) => sensitiveWriteReason(o, ctx.home) || secretReadReason(o, ctx.home)) : undefined;
  if (linked) f.add('dangerous', `links to a sensitive file (${linked}): writing through the link changes it`);
};

const extract: ProgramCheck = ({ prog, texts }, f, ctx) => {
  // Extracting into a system folder or home overwrites what is there.
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i]!;
    const dest =
      t === '-C' || t === '--directory' || (prog === 'unzip' && t === '-d')
        ? texts[i + 1]
        : t.startsWith('--directory=')
          ? t.slice(12)
          : undefined;
    if (dest) checkWriteTarget(dest, `${prog} extract`, f, ctx);
    if (dest && (isRootLike(dest) || isHomeLike(dest, ctx.home))) f.add('dangerous', `${prog} extracts into ${dest}`);
  }
};

const find: ProgramCheck = ({ args, texts }, f, ctx: Ctx) => {
  if (texts.includes('-delete')) f.add('dangerous', 'find -delete');
  for (let i = 0; i < texts.length; i++) {
    if (!/^-(?:exec|execdir|ok|okdir)$/.test(texts[i]!)) continue;
    const end = texts.findIndex((t, j) => j > i && (t === ';' || t === '+'));
    const inner = args.slice(i + 1, end === -1 ? undefined : end);
    const innerProg = inner[0] ? basename(inner[0].text) : '';
    if (DESTRUCTIVE_FOR_XARGS.has(innerProg)) f.add('dangerous', `find -exec ${innerProg}`);
    f.merge(ctx.analyser.words(stripPrefix(inner), ctx));
  }
  texts.forEach((t, i) => {
    if (!/^-f(?:print0?|printf|ls)$/.test(t)) return;
    f.add('dangerous', `find ${t} writes a file`);
    if (texts[i + 1]) checkWriteTarget(texts[i + 1]!, `find ${t}`, f, ctx);
  });
};

export const FILE_PROGRAMS: Record<string, ProgramCheck> = {
  rm,
  ...each(['shred', 'truncate', 'wipe', 'srm'], destroyContents),
  unlink: ({ operands }: ProgramCall, f: Findings, ctx: Ctx) => operands.forEach((o) => checkWriteTarget(o, 'unlink', f, ctx)),
  chmod,
  ...each(['chown', 'chgrp', 'chattr', 'setfacl'], chown),
  dd,
  ...each(
    [
      'mkswap',
      'wipefs',
      'blkdiscard',
      'sgdisk',
      'sfdisk',
      'fdisk',
      'gdisk',
      'parted',
      'cfdisk',
      'diskutil',
      'newfs',
      'mke2fs',
      'cryptsetup',
      'zpool',
      'lvremove',
      'vgremove',
      'pvremove',
    ],
    diskTool,
  ),
  tee: ({ operands }, f, ctx) => operands.forEach((o) => checkWriteTarget(o, 'tee', f, ctx)),
  ...each(['cp', 'mv', 'install', 'ln', 'rsync', 'scp'], copy),
  ...each(['tar', 'unzip', 'bsdtar'], extract),
  sed: ({ short, long, operands }, f, ctx) => {
    if (short.has('i') || long.some((l) => l.startsWith('--in-place')))
      operands.slice(1).forEach((o) => checkWriteTarget(o, 'sed -i', f, ctx));
  },
  find,
};
