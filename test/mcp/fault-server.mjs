// A minimal MCP server over stdio that misbehaves on purpose: `node fault-server.mjs MODE`.
// exit-mid-call: tools/call makes it exit; garbage: prints junk on stdout; flood: 20 MB of stderr;
// marker FILE: writes FILE as it starts (proof that it was started), then behaves.
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
const mode = process.argv[2];
if (mode === 'marker') writeFileSync(process.argv[3], `started ${process.pid}\n`);
const send = (msg) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...msg }) + '\n');
if (mode === 'garbage') process.stdout.write('this is not json-rpc\n{"broken":\n');
if (mode === 'flood') {
  const chunk = 'x'.repeat(64 * 1024) + '\n';
  let left = 320;
  const pump = () => {
    while (left > 0 && process.stderr.write(chunk)) left--;
    if (left > 0) process.stderr.once('drain', pump);
  };
  pump();
}
createInterface({ input: process.stdin }).on('line', (line) => {
  let req;
  try {
    req = JSON.parse(line);
  } catch {
    return;
  }
  if (req.method === 'initialize') {
    if (mode === 'garbage') return; // garbage only
    send({
      id: req.id,
      result: { protocolVersion: req.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'fault', version: '1' } },
    });
  } else if (req.method === 'tools/list') {
    send({
      id: req.id,
      result: { tools: [{ name: 'die', description: 'exits when called', inputSchema: { type: 'object', properties: {} } }] },
    });
  } else if (req.method === 'tools/call') {
    if (mode === 'exit-mid-call') process.exit(3);
    send({ id: req.id, result: { content: [{ type: 'text', text: 'still here' }] } });
  } else if (req.id !== undefined) {
    send({ id: req.id, result: {} });
  }
});
