import { readFile, stat } from 'node:fs/promises';

/** An index bigger than this is not read (a monorepo's index is a few MB; this is far past it). */
const MAX_INDEX_BYTES = 128 * 1024 * 1024;
const GITLINK = 0o160000;

/**
 * The paths recorded as gitlinks (submodules, mode 160000) in a git index file, read directly
 * rather than by running `git`: the repository is one a sandboxed command could write, and
 * `git ls-files` there could run its fsmonitor. Versions 2–4 (v4 compresses path prefixes).
 * `null` when the file is missing, too big or not an index.
 */
export function parseGitlinks(buf: Buffer, oidBytes = 20): string[] | null {
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'DIRC') return null;
  const version = buf.readUInt32BE(4);
  if (version < 2 || version > 4) return null;
  const count = buf.readUInt32BE(8);
  const links: string[] = [];
  let at = 12;
  let previous: Buffer = Buffer.alloc(0);
  for (let i = 0; i < count; i++) {
    const start = at;
    // ctime, mtime (8 each), dev, ino, mode, uid, gid, size (4 each), the object id, flags (2).
    const flagsAt = start + 40 + oidBytes;
    if (flagsAt + 2 > buf.length) return null;
    const mode = buf.readUInt32BE(start + 24);
    const flags = buf.readUInt16BE(flagsAt);
    let nameAt = flagsAt + 2;
    if (version >= 3 && flags & 0x4000) nameAt += 2;
    let name: string;
    if (version === 4) {
      // git's offset varint: how many bytes to drop from the end of the previous path.
      if (nameAt >= buf.length) return null;
      let c = buf[nameAt++]!;
      let strip = c & 0x7f;
      while (c & 0x80) {
        if (nameAt >= buf.length) return null;
        c = buf[nameAt++]!;
        strip = ((strip + 1) << 7) | (c & 0x7f);
      }
      const end = buf.indexOf(0, nameAt);
      if (end < 0 || strip > previous.length) return null;
      const bytes = Buffer.concat([previous.subarray(0, previous.length - strip), buf.subarray(nameAt, end)]);
      previous = bytes;
      name = bytes.toString('utf8');
      at = end + 1;
    } else {
      const end = buf.indexOf(0, nameAt);
      if (end < 0) return null;
      previous = buf.subarray(nameAt, end);
      name = previous.toString('utf8');
      // Entries are NUL-padded to a multiple of eight bytes (at least one NUL).
      at = start + ((nameAt - start + (end - nameAt) + 8) & ~7);
    }
    if ((mode & 0o170000) === GITLINK) links.push(name);
  }
  return links;
}

export async function readGitlinks(indexPath: string, oidBytes = 20): Promise<string[] | null> {
  try {
    if ((await stat(indexPath)).size > MAX_INDEX_BYTES) return null;
    return parseGitlinks(await readFile(indexPath), oidBytes);
  } catch {
    return null;
  }
}
