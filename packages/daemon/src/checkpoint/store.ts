import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_DEFAULTS, type CheckpointFile } from '@hermes/protocol';
import { nulFields, runGit, type GitTarget } from './git.js';
import { changedFiles, literalExcludeLine, treeEntries, type TreeEntry } from './parse.js';

/** The checkpoint limits' defaults, as the protocol's config defaults state them (one place). */
export const DEFAULT_CHECKPOINTS = CONFIG_DEFAULTS.checkpoints;

export interface SnapshotLimits {
  maxFileBytes: number;
  maxFiles: number;
  timeoutMs: number;
}

/** The file in a store that names its workspace. */
export const WORKSPACE_FILE = 'hermes-workspace';

/** Why a snapshot was not taken: the run goes on without checkpoints. */
export class CheckpointsOff extends Error {}

/** The shadow repository of one workspace: `HERMES_HOME/snapshots/<sha256(realpath)[:16]>/`. */
export function storeDir(home: string, workspaceReal: string): string {
  return path.join(home, 'snapshots', createHash('sha256').update(workspaceReal).digest('hex').slice(0, 16));
}

/** Git's object id of a blob with this content (the shadow repository uses SHA-1 objects). */
export function blobId(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** Serialises work per store inside this daemon: two sessions on one workspace never share the index at once. */
const queues = new Map<string, Promise<unknown>>();
function serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = queues.get(key) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  const settled = next.catch(() => {});
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return next;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Snapshots of a workspace as git trees in a repository of hermes's own. The user's `.git` is
 * never read by git here (GIT_DIR points at the shadow store), only its `info/exclude` is copied.
 */
export class ShadowStore {
  readonly target: GitTarget;

  constructor(
    readonly dir: string,
    readonly workspace: string,
  ) {
    this.target = { gitDir: dir, workTree: workspace };
  }

  private git(args: string[], opts: { input?: string | Buffer; timeoutMs?: number } = {}): Promise<Buffer> {
    return runGit(this.target, ['--literal-pathspecs', ...args], opts);
  }

  private async ensureInit(timeoutMs: number): Promise<void> {
    const exists = await fs.stat(path.join(this.dir, 'HEAD')).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
      await runGit(this.target, ['init', '-q', '--bare', this.dir], { timeoutMs, init: true });
      // For `hermes checkpoints status`: the folder name is only a hash of the path.
      await fs.writeFile(path.join(this.dir, WORKSPACE_FILE), this.workspace);
    }
    // Only this daemon drives this store, one operation at a time (serial): a lock left here is
    // from a git killed mid-way (kill -9, timeout), never a live one.
    await fs.rm(path.join(this.dir, 'index.lock'), { force: true });
  }

  /** Snapshots the workspace's tree (ignored and oversized files left out); returns the tree id. */
  snapshot(limits: SnapshotLimits): Promise<string> {
    return serial(this.dir, async () => {
      const deadline = Date.now() + limits.timeoutMs;
      const left = () => {
        const ms = deadline - Date.now();
        if (ms <= 0) throw new CheckpointsOff(`a snapshot took longer than ${limits.timeoutMs} ms`);
        return ms;
      };
      try {
        await this.ensureInit(left());
        const userExclude = await fs.readFile(path.join(this.workspace, '.git', 'info', 'exclude'), 'utf8').catch(() => '');
        await fs.mkdir(path.join(this.dir, 'info'), { recursive: true });
        await fs.writeFile(path.join(this.dir, 'info', 'exclude'), userExclude);
        const candidates = nulFields(
          await this.git(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { timeoutMs: left() }),
        );
        if (candidates.length > limits.maxFiles) {
          throw new CheckpointsOff(`the workspace has more than ${limits.maxFiles} files (checkpoints.maxFiles)`);
        }
        const sizes = await mapLimit(candidates, 32, (p) =>
          fs.lstat(path.join(this.workspace, p)).then(
            (s) => (s.isFile() ? s.size : 0),
            () => 0,
          ),
        );
        const big = candidates.filter((_, i) => sizes[i]! > limits.maxFileBytes);
        left();
        if (big.length) {
          await fs.writeFile(path.join(this.dir, 'info', 'exclude'), `${userExclude}\n${big.map(literalExcludeLine).join('\n')}\n`);
          await this.git(['update-index', '-z', '--force-remove', '--stdin'], { input: big.join('\0') + '\0', timeoutMs: left() });
        }
        await this.git(['add', '-A', '--ignore-errors', '--', '.'], { timeoutMs: left() }).catch(async (e: unknown) => {
          // `--ignore-errors` still exits 1 when a file vanished mid-way; what it added stands.
          if (e instanceof Error && /timed out/.test(e.message)) throw e;
        });
        return (await this.git(['write-tree'], { timeoutMs: left() })).toString('utf8').trim();
      } catch (e) {
        if (e instanceof Error && /timed out/.test(e.message))
          throw new CheckpointsOff(`a snapshot took longer than ${limits.timeoutMs} ms`);
        throw e;
      }
    });
  }

  /** The files that differ between two trees, with line counts. */
  async diff(before: string, after: string): Promise<CheckpointFile[]> {
    const [numstat, names] = await Promise.all([
      this.git(['diff-tree', '-r', '-z', '--no-renames', '--numstat', before, after]),
      this.git(['diff-tree', '-r', '-z', '--no-renames', '--name-status', before, after]),
    ]);
    return changedFiles(nulFields(numstat), nulFields(names));
  }

  /** The unified diff between two trees, for display. */
  async patch(before: string, after: string): Promise<string> {
    return (await this.git(['diff-tree', '-r', '-p', '--no-renames', '--no-color', before, after])).toString('utf8');
  }

  /** Keeps a run's trees from any future gc: a commit (after, parent before) under refs/hermes/. */
  async pin(ref: string, before: string, after: string): Promise<void> {
    await serial(this.dir, async () => {
      const base = (await this.git(['commit-tree', before, '-m', 'before'])).toString('utf8').trim();
      const top = (await this.git(['commit-tree', after, '-p', base, '-m', 'after'])).toString('utf8').trim();
      await this.git(['update-ref', ref, top]);
    });
  }

  /** Keeps one tree (a rewind's pre-restore state) from any future gc. */
  async pinTree(ref: string, tree: string): Promise<void> {
    await serial(this.dir, async () => {
      const top = (await this.git(['commit-tree', tree, '-m', 'pre-restore'])).toString('utf8').trim();
      await this.git(['update-ref', ref, top]);
    });
  }

  /** The pins of session `from` named in `names` (run and rewind ids), also under session `to` (a fork). */
  async copyPins(from: string, to: string, names: Set<string>): Promise<void> {
    if (!names.size) return;
    const exists = await fs.stat(path.join(this.dir, 'HEAD')).then(
      () => true,
      () => false,
    );
    if (!exists) return;
    await serial(this.dir, async () => {
      const refs = (await this.git(['for-each-ref', '--format=%(objectname) %(refname)', `refs/hermes/${from}/`])).toString('utf8');
      const lines: string[] = [];
      for (const line of refs.split('\n')) {
        const m = /^([0-9a-f]{40}) refs\/hermes\/[^/]+\/(.+)$/.exec(line);
        if (m && names.has(m[2]!)) lines.push(`update refs/hermes/${to}/${m[2]} ${m[1]}`);
      }
      if (lines.length) await this.git(['update-ref', '--stdin'], { input: lines.join('\n') + '\n' });
    });
  }

  /** Every pin, with when it was made (unix seconds). */
  async pins(): Promise<{ ref: string; session: string; time: number }[]> {
    const out = (await this.git(['for-each-ref', '--format=%(refname) %(committerdate:unix)', 'refs/hermes/'])).toString('utf8');
    return out.split('\n').flatMap((line) => {
      const m = /^(refs\/hermes\/([^/]+)\/\S+) (\d+)$/.exec(line);
      return m ? [{ ref: m[1]!, session: m[2]!, time: Number(m[3]) }] : [];
    });
  }

  /** Drops pins, then what nothing pins any more (tmp packs a killed git left included). */
  async dropAndCollect(refs: string[], timeoutMs: number): Promise<void> {
    await serial(this.dir, async () => {
      await fs.rm(path.join(this.dir, 'index.lock'), { force: true });
      if (refs.length) await this.git(['update-ref', '--stdin'], { input: refs.map((r) => `delete ${r}`).join('\n') + '\n', timeoutMs });
      await this.git(['-c', 'gc.writeCommitGraph=false', '-c', 'pack.writeBitmaps=false', 'gc', '--quiet', '--prune=now'], { timeoutMs });
    });
  }

  /** The entries of `tree` at exactly these paths (absent paths are missing from the map). */
  async entries(tree: string, paths: string[]): Promise<Map<string, TreeEntry>> {
    if (!paths.length) return new Map();
    const out = await this.git(['ls-tree', '-r', '-z', '--full-tree', tree, '--', ...paths]);
    return new Map(treeEntries(nulFields(out)).map((e) => [e.path, e]));
  }

  async blob(oid: string): Promise<Buffer> {
    return this.git(['cat-file', 'blob', oid]);
  }

  /** Whether the store still has these trees (a prune may have collected a checkpoint's). */
  async hasTrees(oids: string[]): Promise<boolean> {
    for (const oid of new Set(oids)) {
      const ok = await this.git(['cat-file', '-e', `${oid}^{tree}`]).then(
        () => true,
        () => false,
      );
      if (!ok) return false;
    }
    return true;
  }
}
