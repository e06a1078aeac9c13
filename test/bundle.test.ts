import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI } from './support/daemon.js';

interface Output {
  entryPoint?: string;
  imports: Array<{ path: string; kind: string; external?: boolean }>;
  inputs: Record<string, unknown>;
}

/** The package a bundled input file belongs to (`node_modules/@a/b/x.js` → `@a/b`), or null for our code. */
function packageOfInput(input: string): string | null {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  return m ? m[1]! : null;
}
const DIST = path.dirname(CLI);
const ROOT = path.resolve(DIST, '../../..');
const meta = JSON.parse(readFileSync(path.join(DIST, 'bundle-meta.json'), 'utf8')) as { outputs: Record<string, Output> };

/** Every package a command loads before it runs: the entry, the command's chunk, their static imports. */
function loadedBy(command: string): Set<string> {
  return load(command).packages;
}

/** The same walk: the packages, and every bundled input file (node_modules/… or packages/…). */
function load(command: string): { packages: Set<string>; inputs: Set<string> } {
  const outputs = meta.outputs;
  const entries = [`packages/tui/dist/commands/${command}.js`, `packages/tui/dist/commands/${command}/index.js`];
  const byEntry = Object.entries(outputs).find(([, o]) => o.entryPoint !== undefined && entries.includes(o.entryPoint));
  if (!byEntry) throw new Error(`no chunk for ${command}`);
  const todo = [path.relative(ROOT, CLI), byEntry[0]];
  const seen = new Set<string>();
  const packages = new Set<string>();
  const inputs = new Set<string>();
  while (todo.length) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    // Packages bundled into the chunk count as loaded too (Ink and React are bundled).
    for (const input of Object.keys(outputs[file]?.inputs ?? {})) {
      inputs.add(input);
      const pkg = packageOfInput(input);
      if (pkg) packages.add(pkg);
    }
    for (const imp of outputs[file]?.imports ?? []) {
      if (imp.kind === 'dynamic-import') continue;
      if (imp.external) packages.add(imp.path);
      else todo.push(imp.path);
    }
  }
  return { packages, inputs };
}

describe('the bundled hermes command', () => {
  it('send, sessions, config and acp never load the TUI stack or the daemon', () => {
    for (const command of ['send', 'sessions', 'config', 'acp']) {
      const loaded = [...loadedBy(command)];
      expect({ command, loaded: loaded.filter((p) => /^(ink|react|marked|lowlight|undici)(\/|$)/.test(p)) }).toEqual({
        command,
        loaded: [],
      });
    }
  });

  it('send loads only the part of zod and of the protocol it uses', () => {
    // \`import * as z\` everywhere (a value import of \`{ z }\` anywhere drags all of zod into the
    // shared chunk) and the protocol's \`sideEffects: false\` let the bundler leave these out.
    const inputs = [...load('send').inputs];
    const unwanted = /zod\/v4\/(classic\/from-json-schema|core\/compile)\.js$|packages\/protocol\/dist\/(config|reducer)\.js$/;
    expect(inputs.filter((i) => unwanted.test(i))).toEqual([]);
    expect(inputs.some((i) => /zod\/v4\/core\/schemas\.js$/.test(i))).toBe(true);
  });

  it("loading Ink does not load Node's built-in undici (yoga's WebAssembly is decoded without fetch)", async () => {
    const run = Object.entries(meta.outputs).find(([, o]) => o.entryPoint === 'packages/tui/dist/ui/run.js')?.[0];
    expect(run).toBeDefined();
    const url = pathToFileURL(path.join(ROOT, run!)).href;
    const code = `await import(${JSON.stringify(url)}); console.log(JSON.stringify(process.moduleLoadList.filter((m) => /undici/.test(m))))`;
    const { execFile } = await import('node:child_process');
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--input-type=module', '-e', code], (e, o) => (e ? reject(e) : resolve(o))),
    );
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual([]);
  });

  it('Ink measures text with our exact front for string-width (format/width.ts), wrap-ansi with its own copy', () => {
    const inputs = (meta as unknown as { inputs: Record<string, { imports: Array<{ path: string }> }> }).inputs;
    const widthOf = (importer: RegExp) =>
      Object.entries(inputs)
        .filter(([file]) => importer.test(file))
        .flatMap(([, i]) => i.imports.map((x) => x.path).filter((p) => /string-width/.test(p)));
    expect(widthOf(/node_modules\/ink\/build\/output\.js$/)).toEqual(['packages/tui/dist/format/string-width-shim.js']);
    expect(widthOf(/node_modules\/widest-line\/index\.js$/)).toEqual(['packages/tui/dist/format/string-width-shim.js']);
    expect(widthOf(/packages\/tui\/dist\/format\/width\.js$/)).toEqual(['node_modules/string-width/index.js']);
  });

  it('only acp loads the ACP SDK', () => {
    expect(loadedBy('acp').has('@agentclientprotocol/sdk')).toBe(true);
    for (const command of ['send', 'sessions', 'config', 'chat'])
      expect({ command, sdk: loadedBy(command).has('@agentclientprotocol/sdk') }).toEqual({ command, sdk: false });
  });

  it('the chat command does load Ink and React (bundled, production builds only), lazily', () => {
    expect(loadedBy('chat').has('ink')).toBe(false);
    const run = Object.values(meta.outputs).find((o) => o.entryPoint === 'packages/tui/dist/ui/run.js');
    const inputs = Object.keys(run?.inputs ?? {});
    expect(inputs.some((i) => packageOfInput(i) === 'ink')).toBe(true);
    expect(inputs.some((i) => /react-reconciler\.production\.js$/.test(i))).toBe(true);
    expect(inputs.filter((i) => /\.development\.js$/.test(i))).toEqual([]);
  });
});

describe('the hermes bin in the checkout', () => {
  it('is linked as node_modules/.bin/hermes after npm install, and runs', async () => {
    const { execFile } = await import('node:child_process');
    const bin = path.join(ROOT, 'node_modules/.bin/hermes');
    const out = await new Promise<string>((resolve, reject) => execFile(bin, ['--version'], (e, o) => (e ? reject(e) : resolve(o))));
    expect(out.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
