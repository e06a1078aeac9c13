import { readFile, stat } from 'node:fs/promises';
import { checkModel, checkWorkspace, UsageError } from '../common.js';
import type { SendOptions } from '../options.js';
import { InputTooLargeError, MAX_SEND_BYTES, tooLarge, type Attachment } from './compose.js';

/** Checks the flags together; returns the absolute `--workspace`, if given. */
export async function checkOptions(opts: SendOptions): Promise<string | undefined> {
  if (opts.continue && opts.session) throw new UsageError('give either --continue or --session, not both');
  if (opts.json && opts.quiet) throw new UsageError('give either --json or --quiet, not both');
  if (opts.detach && (opts.json || opts.quiet)) throw new UsageError('--detach prints only the session id; drop --json/--quiet');
  if (opts.steer && opts.interrupt) throw new UsageError('give either --steer or --interrupt, not both');
  if ((opts.steer || opts.interrupt) && !opts.continue && opts.session === undefined) {
    throw new UsageError(
      `--${opts.steer ? 'steer' : 'interrupt'} acts on the run in progress of a session: give --session <id> or --continue`,
    );
  }
  checkModel(opts.model);
  if (opts.approvalTimeout !== undefined && opts.approvalTimeout <= 0) throw new UsageError('--approval-timeout must be at least 1 second');
  return checkWorkspace(opts.workspace);
}

/** Every `--file`, read as text (a missing, binary or too large file is a usage error). */
export async function readAttachments(files: string[]): Promise<Attachment[]> {
  const out: Attachment[] = [];
  for (const file of files) {
    let buf: Buffer;
    try {
      const st = await stat(file);
      if (!st.isFile()) throw new UsageError(`--file ${file}: not a regular file`);
      if (st.size > MAX_SEND_BYTES) throw new InputTooLargeError(`--file ${file}: ${tooLarge(st.size)}`);
      buf = await readFile(file);
    } catch (err) {
      if (err instanceof UsageError || err instanceof InputTooLargeError) throw err;
      throw new UsageError(`--file ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    }
    if (buf.includes(0)) throw new UsageError(`--file ${file}: looks like a binary file; only text can be sent`);
    out.push({ label: file, content: buf.toString('utf8') });
  }
  return out;
}
