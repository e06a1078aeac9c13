import os from 'node:os';
import path from 'node:path';
import type { ModelListing } from '@hermes/protocol';

/** A file in HERMES_HOME as the user knows it: `~/.hermes/.env` for the default home, else its path. */
export function homeFile(home: string, name: string): string {
  return path.resolve(home) === path.join(os.homedir(), '.hermes') ? `~/.hermes/${name}` : path.join(home, name);
}

/**
 * The model a session runs on, as the status line, `sessions list` and `sessions show` name it:
 * its own, else the configured default, marked as such (`undefined`: a daemon that does not
 * say which it is).
 */
export function modelLabel(own: string | null, defaultModel: string | null | undefined): string {
  if (own) return own;
  if (defaultModel) return `${defaultModel} (default)`;
  return defaultModel === null ? 'no model configured' : 'default model';
}

/** The MODEL column of `sessions list`: as modelLabel, `-` when nothing is configured. */
export function modelColumn(own: string | null, defaultModel: string | null | undefined): string {
  return own || defaultModel ? modelLabel(own, defaultModel) : '-';
}

/**
 * What the chat's first screen says when no model is configured (null when one is): how to set
 * one, or which local model a run would use instead.
 */
export function noModelNotice(listing: ModelListing, home: string): string | null {
  if (listing.default) return null;
  const local = listing.models.find((m) => m.id.startsWith('ollama:'));
  if (local)
    return `No model is configured; runs will use the local Ollama model ${local.id}. Pick another with /model, or for every session: hermes config set model <provider:model>`;
  return (
    'No model is configured yet, so a message cannot be answered. Set one for every session: ' +
    `hermes config set model openai:gpt-4.1 (or anthropic:…, openrouter:…, ollama:…), with its key (e.g. OPENAI_API_KEY) in the environment or in ${homeFile(home, '.env')}; ` +
    'or for this session: /model <provider:model>'
  );
}
