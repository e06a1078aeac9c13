import { describe, expect, it } from 'vitest';
import { expandVars } from './expand.js';
import { MAX_TOOL_NAME, toolName, uniqueToolNames } from './names.js';
import { toToolResult } from './result.js';

describe('tool names', () => {
  it('are mcp__server__tool, sanitised', () => {
    expect(toolName('everything', 'echo')).toBe('mcp__everything__echo');
    expect(toolName('my.server', 'get weather!')).toBe('mcp__my_server__get_weather_');
  });

  it('stay within 64 characters, stably, with a hash of the full name', () => {
    const long = 'x'.repeat(90);
    const a = toolName('srv', long);
    expect(a.length).toBeLessThanOrEqual(MAX_TOOL_NAME);
    expect(toolName('srv', long)).toBe(a);
    expect(toolName('srv', 'y'.repeat(90))).not.toBe(a);
  });

  it('are unique when two servers or two sanitised names meet', () => {
    const names = uniqueToolNames([
      { server: 'a', tool: 'read' },
      { server: 'b', tool: 'read' },
      { server: 'c', tool: 'get.x' },
      { server: 'c', tool: 'get_x' },
      { server: 'd', tool: 'z'.repeat(90) },
      { server: 'd', tool: 'z'.repeat(91) },
    ]);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((n) => n.length <= MAX_TOOL_NAME && /^[A-Za-z0-9_-]+$/.test(n))).toBe(true);
    expect(names.slice(0, 2)).toEqual(['mcp__a__read', 'mcp__b__read']);
  });
});

describe('expandVars', () => {
  it('expands ${VAR} and ${VAR:-default}, and reports what is unset', () => {
    const missing = new Set<string>();
    expect(expandVars('Bearer ${TOKEN}', { TOKEN: 't1' }, missing)).toBe('Bearer t1');
    expect(expandVars('${HOST:-localhost}:${PORT:-80}', { PORT: '8080' }, missing)).toBe('localhost:8080');
    expect(expandVars('x${NOPE}y', {}, missing)).toBe('xy');
    expect([...missing]).toEqual(['NOPE']);
    expect(expandVars('$HOME and ${ not a var}', { HOME: '/h' }, missing)).toBe('$HOME and ${ not a var}');
  });
});

describe('toToolResult', () => {
  it('joins text, names images, prefers text over structured content, marks errors', () => {
    expect(
      toToolResult({
        content: [
          { type: 'text', text: 'a' },
          { type: 'image', mimeType: 'image/png', data: 'AAAA' },
          { type: 'text', text: 'b' },
        ],
      }),
    ).toEqual({
      ok: true,
      result: 'a\n[image: image/png, 3 B]\nb',
    });
    expect(toToolResult({ content: [], structuredContent: { n: 1 } }).result).toBe('{\n  "n": 1\n}');
    expect(toToolResult({ content: [{ type: 'text', text: 'bad' }], isError: true })).toEqual({ ok: false, result: 'bad' });
    expect(toToolResult({ content: [{ type: 'resource_link', uri: 'file:///x', name: 'x' }] }).result).toBe('[resource: x file:///x]');
  });

  it('caps the output with a note', () => {
    const r = toToolResult({ content: [{ type: 'text', text: 'é'.repeat(100) }] }, 51);
    expect(r.result).toMatch(/^é{25}\n\[… output cut at 51 bytes of 200\]$/);
  });
});
