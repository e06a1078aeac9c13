import { readFile } from 'node:fs/promises';
import { HermesConfig } from '@hermes/protocol';
import * as z from 'zod';
import { writeFileAtomic } from '../util/fs.js';

export class ConfigError extends Error {}

/** Reads HERMES_HOME/config.json; a missing file is an empty config, a bad one a clear error. */
export async function loadConfig(file: string): Promise<HermesConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = HermesConfig.safeParse(json);
  if (!parsed.success) throw new ConfigError(`${file} is invalid:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Adds a pattern to `approvals.allowlist` (an `always` answer). */
export async function addToAllowlist(file: string, pattern: string): Promise<void> {
  const config = await loadConfig(file);
  const allowlist = config.approvals?.allowlist ?? [];
  if (allowlist.includes(pattern)) return;
  const next: HermesConfig = { ...config, approvals: { ...config.approvals, allowlist: [...allowlist, pattern] } };
  await writeFileAtomic(file, JSON.stringify(next, null, '\t') + '\n');
}
