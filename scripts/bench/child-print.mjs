// The minimal client used as a baseline: a bare Node process that reads a stream and prints
// its text to stdout as it arrives, with no hermes code at all.
//   node child-print.mjs provider <openaiBaseUrl> <model>   the provider's SSE, content deltas
//   node child-print.mjs replay <port> <token> <sessionId>  a daemon session's events up to the
//                                                           lastSeq of its `attached` frame
import http from 'node:http';

const [mode, a, b, c] = process.argv.slice(2);

/** Splits SSE frames out of a byte stream and hands each block to `onFrame`. */
function readSse(res, onFrame) {
  let buf = '';
  res.setEncoding('utf8');
  res.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      onFrame(block);
    }
  });
}

if (mode === 'provider') {
  const req = http.request(`${a}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
    readSse(res, (block) => {
      if (!block.startsWith('data: ') || block === 'data: [DONE]') return;
      const text = JSON.parse(block.slice(6)).choices?.[0]?.delta?.content;
      if (text) process.stdout.write(text);
    });
    res.on('end', () => process.stdout.write('\n'));
  });
  req.end(JSON.stringify({ model: b, stream: true, messages: [{ role: 'user', content: 'bench' }] }));
} else if (mode === 'replay') {
  const req = http.request(
    { host: '127.0.0.1', port: Number(a), path: `/v1/sessions/${c}/events`, headers: { authorization: `Bearer ${b}` } },
    (res) => {
      let until = Infinity;
      readSse(res, (block) => {
        const data = block.slice(block.indexOf('data: ') + 6);
        if (block.startsWith('event: attached')) {
          until = JSON.parse(data).lastSeq;
          return;
        }
        if (!block.startsWith('id: ')) return;
        const e = JSON.parse(data);
        if (e.type === 'message.user') process.stdout.write(`\n> ${e.data.text}\n\n`);
        else if (e.type === 'message.delta') process.stdout.write(e.data.text);
        if (e.seq >= until) {
          process.stdout.write('\n');
          req.destroy();
        }
      });
    },
  );
  req.end();
} else {
  process.stderr.write('usage: child-print.mjs provider URL MODEL | replay PORT TOKEN SESSION\n');
  process.exitCode = 2;
}
