import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { writeFileAtomic } from '../util/fs.js';

/** The most workspaces remembered; the oldest approvals go first. */
const MAX_WORKSPACES = 500;

const Stored = z.object({
  workspaces: z.record(z.string(), z.object({ sha256: z.string(), approvedAt: z.string(), servers: z.array(z.string()) })),
});
type Stored = z.infer<typeof Stored>;

export const APPROVALS_FILE = 'mcp-project-approvals.json';

/**
 * "Always" answers to a workspace's `.mcp.json`: per workspace (its real path), the sha256 of
 * the content approved. Kept in HERMES_HOME (0600), never in the workspace, so a repository
 * cannot approve itself; a changed file has another hash and is asked about again.
 */
export class ProjectApprovals {
  private readonly file: string;
  private writing: Promise<void> = Promise.resolve();

  constructor(home: string) {
    this.file = path.join(home, APPROVALS_FILE);
  }

  private async read(): Promise<Stored> {
    try {
      const parsed = Stored.safeParse(JSON.parse(await readFile(this.file, 'utf8')));
      return parsed.success ? parsed.data : { workspaces: {} };
    } catch {
      // Missing or damaged: nothing is approved (the safe side).
      return { workspaces: {} };
    }
  }

  async isApproved(workspace: string, sha256: string): Promise<boolean> {
    return (await this.read()).workspaces[workspace]?.sha256 === sha256;
  }

  /** Records the approval (replacing the workspace's earlier one). Writes are serialised. */
  approve(workspace: string, sha256: string, servers: string[]): Promise<void> {
    const next = this.writing.then(async () => {
      const stored = await this.read();
      delete stored.workspaces[workspace];
      stored.workspaces[workspace] = { sha256, approvedAt: new Date().toISOString(), servers };
      const keys = Object.keys(stored.workspaces);
      for (const k of keys.slice(0, Math.max(0, keys.length - MAX_WORKSPACES))) delete stored.workspaces[k];
      await writeFileAtomic(this.file, JSON.stringify(stored, null, 2) + '\n', 0o600);
    });
    this.writing = next.catch(() => {});
    return next;
  }
}
