// Bundles the `hermes` command into packages/tui/dist/hermes.js (+ lazily loaded chunks).
//
// Why: `hermes send` is started for every message a script sends, and most of its start-up was
// Node resolving and loading ~100 small ES modules (zod alone is ~45 ms unbundled, ~15 bundled).
// Our code and the small pure-JS libraries on the start-up path are bundled; the rest (Ink,
// React, undici, …) stay ordinary imports, resolved from node_modules when a command needs them.
// Dynamic imports stay dynamic (splitting), so `send` still never loads the TUI.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { build } from 'esbuild';

const ROOT = new URL('..', import.meta.url);
const OUT = new URL('packages/tui/dist/', ROOT);
// ipaddr.js is bundled: the daemon needs 2.x, and an older 1.x (express's) sits at the top of node_modules.
const BUNDLED = /^(zod|commander|chalk|eventsource-parser|ipaddr\.js|@hermes\/(protocol|daemon))(\/|$)/;
// The TUI stack (Ink, React and their dependencies, the markdown renderer): unbundled, `hermes
// attach` spent a quarter of its start-up resolving, reading and compiling ~300 small modules.
// Only loaded by `chat`/`attach` (lazily, so `send` still never loads them). ws and the React
// devtools stay out: Ink imports them only with DEV=true.
const TUI_STACK = new Set(
  'ink @alcalzone/ansi-tokenize ansi-styles color-convert color-name is-fullwidth-code-point get-east-asian-width ansi-escapes environment auto-bind supports-color has-flag cli-boxes cli-cursor restore-cursor onetime mimic-fn signal-exit cli-truncate slice-ansi string-width strip-ansi ansi-regex code-excerpt convert-to-spaces es-toolkit indent-string is-in-ci patch-console react-reconciler scheduler react stack-utils escape-string-regexp terminal-size widest-line wrap-ansi yoga-layout marked lowlight devlop dequal highlight.js'.split(
    ' ',
  ),
);
const packageOf = (spec) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

const externalizeTheRest = {
  name: 'externalize-the-rest',
  setup(b) {
    b.onResolve({ filter: /^[^./#]/ }, (args) =>
      BUNDLED.test(args.path) || TUI_STACK.has(packageOf(args.path)) ? undefined : { path: args.path, external: true },
    );
  },
};

// zod re-exports every locale (`z.locales`, 366 KB) though it only configures English; hermes
// never switches locale, so the bundle carries English alone: a third of the start-up parse.
const englishOnlyZodLocales = {
  name: 'english-only-zod-locales',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core)$/.test(args.resolveDir) ? { path: 'zod-locales', namespace: 'hermes' } : undefined,
    );
    b.onLoad({ filter: /^zod-locales$/, namespace: 'hermes' }, () => ({
      contents: "export { default as en } from 'zod/v4/locales/en.js';",
      resolveDir: ROOT.pathname,
    }));
  },
};

// React's entry files pick a build from NODE_ENV at run time; decided here, the development
// builds (checks on every element and render, 1 MB) are not even in the bundle.
const reactProduction = {
  name: 'react-production',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/](react|react-reconciler|scheduler)[\\/][^\\/]+\.js$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8')).replaceAll('process.env.NODE_ENV', '"production"'),
      loader: 'js',
    }));
  },
};

// yoga-layout (Ink's layout engine) carries its WebAssembly as a base64 data: URL and, when a
// global fetch exists, loads it with fetch(): in Node that first call loads all of Node's
// built-in undici (fetch, WebSocket, EventSource...), a tenth of attach's start-up in a CPU
// profile, only to decode a string it then decodes itself anyway when the fetch fails. Told
// there is no fetch, it decodes the base64 at once. The build fails if yoga changes so that
// the pattern is gone (rather than the cost coming back unseen).
const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(b) {
    b.onLoad({ filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const patched = source.replaceAll('"function"!=typeof fetch', 'true');
      if (patched === source) throw new Error(`yoga-without-fetch: no fetch test found in ${args.path}`);
      return { contents: patched, loader: 'js' };
    });
  },
};

// Ink measures every row of the live region on every frame with string-width, whose path off
// ASCII (a grapheme segmenter and an emoji regex per character) is slow, and nearly every row
// of ours has a › │ or ─. Where the TUI stack imports this very string-width, it gets our
// exact front for it (format/width.ts: the same widths, a test checks them) instead; wrap-ansi
// keeps its own older copy, untouched.
const STRING_WIDTH = new URL('node_modules/string-width/', ROOT).pathname;
const STRING_WIDTH_SHIM = new URL('packages/tui/dist/format/string-width-shim.js', ROOT).pathname;
const WIDTH = new URL('packages/tui/dist/format/width.js', ROOT).pathname;
const fastStringWidth = {
  name: 'fast-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData === 'fast-string-width' || args.importer === WIDTH) return undefined;
      const real = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: 'fast-string-width',
      });
      return real.path.startsWith(STRING_WIDTH) ? { path: STRING_WIDTH_SHIM } : real;
    });
  },
};

await rm(new URL('chunks/', OUT), { recursive: true, force: true });
const { metafile } = await build({
  absWorkingDir: ROOT.pathname,
  entryPoints: { hermes: 'packages/tui/dist/cli.js' },
  outdir: OUT.pathname,
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.18',
  plugins: [englishOnlyZodLocales, reactProduction, yogaWithoutFetch, fastStringWidth, externalizeTheRest],
  // commander is CommonJS: its require() of Node built-ins needs a real require in ESM output.
  banner: {
    js: "import { createRequire as __hermesCreateRequire } from 'node:module'; const require = __hermesCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
  metafile: true,
});
// What each output imports: a test checks from it that `send` never loads the TUI stack.
await writeFile(new URL('bundle-meta.json', OUT), JSON.stringify(metafile));
