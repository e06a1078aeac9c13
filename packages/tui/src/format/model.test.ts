import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { homeFile, noModelNotice } from './model.js';

describe('noModelNotice (the chat first screen with nothing configured, issue 12 item 2)', () => {
  it('says how to configure a model, naming the real home', () => {
    const text = noModelNotice({ models: [], errors: [], default: null }, '/srv/h');
    expect(text).toContain('No model is configured yet');
    expect(text).toContain('hermes config set model');
    expect(text).toContain('/srv/h/.env');
  });
  it('names the local Ollama model a run would use', () => {
    expect(noModelNotice({ models: [{ id: 'ollama:qwen3:8b', source: 'provider' }], errors: [], default: null }, '/h')).toContain(
      'ollama:qwen3:8b',
    );
  });
  it('is silent when a model is configured', () => {
    expect(noModelNotice({ models: [], errors: [], default: 'openai:gpt-4.1' }, '/h')).toBeNull();
  });
  it('shows the default home as ~/.hermes', () => {
    expect(homeFile(path.join(os.homedir(), '.hermes'), '.env')).toBe('~/.hermes/.env');
  });
});
