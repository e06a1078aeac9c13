#!/usr/bin/env node
// Standalone scripted provider: `node test/provider-server/cli.mjs [--port 0] [--script file.json] [--tps N] [--key K]`.
// Prints the base URL on stdout (one line), then serves until killed.
import { readFileSync } from 'node:fs';
import { startProviderServer } from './index.mjs';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
};
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write('usage: cli.mjs [--port N] [--host H] [--script file.json] [--tps tokens/s] [--key API_KEY]\n');
  process.exit(0);
}

const server = await startProviderServer({
  port: Number(opt('port') ?? 0),
  host: opt('host') ?? '127.0.0.1',
  ...(opt('tps') ? { tokensPerSecond: Number(opt('tps')) } : {}),
  ...(opt('key') ? { apiKey: opt('key') } : {}),
});

const file = opt('script');
if (file) {
  const script = JSON.parse(readFileSync(file, 'utf8'));
  if (Array.isArray(script)) server.script(script);
  else {
    if (Array.isArray(script.turns)) server.script(script.turns);
    for (const [model, turns] of Object.entries(script.models ?? {})) server.script(turns, { model });
    for (const [marker, turns] of Object.entries(script.markers ?? {})) server.script(turns, { marker });
  }
}

process.stdout.write(`${server.url}\n`);
process.stderr.write(
  `scripted provider on ${server.url}\n` +
    `  openai-compatible: baseUrl ${server.openaiBaseUrl}  (POST /v1/chat/completions)\n` +
    `  anthropic:         baseUrl ${server.anthropicBaseUrl}  (POST /v1/messages)\n` +
    `  try: /tool terminal {"command":"ls"}  /think why  /long 20000  /error 429  /stall 3000  /cut\n`,
);

const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
