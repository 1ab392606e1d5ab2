// npm run bench: every suite, every implementation side by side in one run,
// printed as ops/s, MB/s and the ratio to node:crypto. Pass suite names to
// run only those (`npm run bench -- sha2 x25519`). Results also go to
// build/bench.json for bench/RESULTS.md.

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Bench } from 'tinybench';
import type { BenchSuite, BenchTarget } from './suite.js';
import { suites } from './suites/index.js';

interface Row {
  group: string;
  impl: string;
  opsPerSec: number;
  mbPerSec: number | null;
  vsNode: number | null;
  rme: number;
}

const only = process.argv.slice(2);
const selected: BenchSuite[] = only.length ? suites.filter((s) => only.includes(s.name)) : suites;
const time = Number(process.env.BENCH_TIME_MS ?? 500);
const rows: Row[] = [];
const targets: (BenchTarget & { group: string; ratio: number; met: boolean })[] = [];

for (const suite of selected) {
  for (const group of await suite.groups()) {
    const bench = new Bench({ name: group.name, time, warmupTime: 100 });
    for (const [impl, fn] of Object.entries(group.cases)) bench.add(impl, fn);
    await bench.run();
    const ops = new Map<string, { hz: number; rme: number }>();
    for (const task of bench.tasks) {
      const r = task.result;
      if (r.state !== 'completed') throw new Error(`${group.name} / ${task.name}: ${r.state}`);
      ops.set(task.name, { hz: r.throughput.mean, rme: r.latency.rme });
    }
    const base = ops.get('node:crypto')?.hz;
    for (const [impl, { hz, rme }] of ops) {
      rows.push({
        group: group.name,
        impl,
        opsPerSec: hz,
        mbPerSec: group.bytes ? (hz * group.bytes) / 1e6 : null,
        vsNode: base ? hz / base : null,
        rme,
      });
    }
    printGroup(rows.filter((r) => r.group === group.name));
    for (const t of group.targets ?? []) {
      const ours = ops.get('wasmtls')?.hz;
      const theirs = ops.get(t.peer)?.hz;
      if (ours === undefined || theirs === undefined) throw new Error(`${group.name}: target against ${t.peer} needs wasmtls and ${t.peer}`);
      const ratio = ours / theirs;
      targets.push({ ...t, group: group.name, ratio, met: ratio >= t.atLeast });
      console.log(`  target (${t.issue}): wasmtls >= ${t.atLeast}x ${t.peer}: ${fmt(ratio, 2)}x ${ratio >= t.atLeast ? 'met' : `MISSED by ${fmt((1 - ratio / t.atLeast) * 100, 0)} %`}`);
    }
  }
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function printGroup(group: Row[]): void {
  console.log(`\n${group[0]?.group}`);
  for (const r of group) {
    const mb = r.mbPerSec === null ? '' : `${fmt(r.mbPerSec, 1)} MB/s`;
    const ratio = r.vsNode === null ? '' : `${fmt(r.vsNode, 2)}x node`;
    console.log(
      `  ${r.impl.padEnd(22)} ${fmt(r.opsPerSec).padStart(12)} ops/s ${mb.padStart(14)} ${ratio.padStart(12)}  ±${fmt(r.rme, 1)}%`,
    );
  }
}

mkdirSync('build', { recursive: true });
const meta = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
};
writeFileSync('build/bench.json', JSON.stringify({ meta, rows, targets }, null, 2));
if (targets.length > 0) {
  console.log('\nTargets:');
  for (const t of targets) console.log(`  ${t.met ? 'met   ' : 'MISSED'} ${t.group}: wasmtls ${fmt(t.ratio, 2)}x ${t.peer} (target >= ${t.atLeast}x, ${t.issue})`);
}
console.log(`\n${meta.date}, Node ${meta.node}, ${meta.cpu} (${meta.cores} cores); written to build/bench.json`);
