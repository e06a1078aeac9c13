import { describe, expect, it } from 'vitest';
import { classifyRead, classifyWrite, type PathScope } from './paths.js';

const scope: PathScope = {
  workspace: '/w',
  hermesHome: '/h',
  readable: [],
  toolOutput: '/h/tool-output/S1',
};

describe('reading saved tool outputs', () => {
  it("allows exactly the session's tool-output folder inside HERMES_HOME", () => {
    expect(classifyRead({ requested: '/h/tool-output/S1/call_1.txt', real: '/h/tool-output/S1/call_1.txt' }, scope).level).toBe('safe');
  });

  it("refuses the rest of HERMES_HOME, another session's outputs, and links out of the folder", () => {
    for (const [requested, real] of [
      ['/h/config.json', '/h/config.json'],
      ['/h/tool-output/S2/call_1.txt', '/h/tool-output/S2/call_1.txt'],
      ['/h/tool-output/S1x/call_1.txt', '/h/tool-output/S1x/call_1.txt'],
      ['/h/tool-output/S1/link.txt', '/h/daemon.json'],
      ['/w/innocent.txt', '/h/tool-output/S1/../../daemon.json'.replace('/tool-output/S1/../..', '')],
    ] as const) {
      expect(classifyRead({ requested, real }, scope).level, requested).toBe('refuse');
    }
  });

  it('never allows writing there', () => {
    expect(classifyWrite({ requested: '/h/tool-output/S1/call_1.txt', real: '/h/tool-output/S1/call_1.txt' }, scope).level).toBe('refuse');
  });
});
