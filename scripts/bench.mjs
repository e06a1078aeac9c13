#!/usr/bin/env node
// `npm run bench`: measures hermes against baselines taken in the same run (see
// docs/performance.md). Options: --quick (smaller sizes, a CI smoke run), --only relay,send,...
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { cleanupAll, ROOT } from './bench/common.mjs';
import { formatTable, unavailable } from './bench/report.mjs';

const AREAS = ['relay', 'send', 'daemon', 'tui', 'attach', 'scale'];

function parseArgs(argv) {
  const opts = { quick: false, only: AREAS };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--only' || a.startsWith('--only=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : (argv[++i] ?? '');
      opts.only = v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const bad = opts.only.filter((x) => !AREAS.includes(x));
      if (bad.length) throw new Error(`unknown area ${bad.join(', ')}; areas: ${AREAS.join(', ')}`);
    } else if (a === '--help' || a === '-h') {
      process.stdout.write(`usage: node scripts/bench.mjs [--quick] [--only ${AREAS.join(',')}]\n`);
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

function machine() {
  const cpu = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return {
    nproc: os.availableParallelism(),
    cpu,
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    memGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    loadavg: os.loadavg().map((x) => +x.toFixed(2)),
  };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const rows = [];
  const errors = [];
  const m = machine();
  process.stderr.write(`bench: ${m.nproc} cpu (${m.cpu}), node ${m.node}, load ${m.loadavg.join(' ')}${opts.quick ? ', quick' : ''}\n`);
  for (const area of AREAS.filter((a) => opts.only.includes(a))) {
    const t0 = Date.now();
    process.stderr.write(`bench: ${area}…\n`);
    try {
      const mod = await import(`./bench/${area}.mjs`);
      rows.push(...(await mod.run(opts)));
    } catch (err) {
      // One area failing must not lose the others' figures.
      errors.push({ area, error: String(err?.stack ?? err) });
      process.stderr.write(`bench: ${area} failed: ${err?.stack ?? err}\n`);
      rows.push(unavailable(area, '(area failed)', '', String(err?.message ?? err).slice(0, 120)));
    } finally {
      await cleanupAll();
    }
    process.stderr.write(`bench: ${area} done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const table = formatTable(rows);
  process.stdout.write(table + '\n');
  const out = path.join(ROOT, 'bench-results');
  await mkdir(out, { recursive: true });
  const result = {
    date: new Date().toISOString(),
    quick: opts.quick,
    only: opts.only,
    durationS: (Date.now() - started) / 1000,
    machine: m,
    rows,
    errors,
    table,
  };
  await writeFile(path.join(out, 'latest.json'), JSON.stringify(result, null, 2) + '\n');
  process.stderr.write(`bench: wrote bench-results/latest.json (${result.durationS.toFixed(0)} s)\n`);
  if (errors.length) process.exitCode = 1;
}

// Ctrl-C or a kill still stops the daemons and PTYs this run started and removes its temp dirs.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => {
    process.stderr.write(`bench: ${sig}, cleaning up\n`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

main()
  .catch((err) => {
    process.stderr.write(`bench: ${err?.stack ?? err}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
