#!/usr/bin/env node
// Per-feature totals of a BoGo run: node scripts/bogo-summary.mjs build/bogo/results.json
// A test's feature is the first dash-separated word of its name (BoGo names
// start with the area: TLS13, KeyUpdate, CurveTest, ALPN..., Basic, ...);
// results: PASS, FAIL, SKIP (= unimplemented: the shim exited 89).
// Prints a Markdown table for docs/testing.md.
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (file === undefined) {
  console.error('usage: node scripts/bogo-summary.mjs results.json');
  process.exit(2);
}
const { tests } = JSON.parse(readFileSync(file, 'utf8'));
const features = new Map();
const totals = { PASS: 0, FAIL: 0, SKIP: 0 };
for (const [name, r] of Object.entries(tests)) {
  const feature = name.split('-')[0] || name;
  const row = features.get(feature) ?? { PASS: 0, FAIL: 0, SKIP: 0 };
  row[r.actual] = (row[r.actual] ?? 0) + 1;
  totals[r.actual] = (totals[r.actual] ?? 0) + 1;
  features.set(feature, row);
}
console.log('| feature | pass | fail | unimplemented |');
console.log('|---|---:|---:|---:|');
for (const [feature, row] of [...features].sort((a, b) => a[0].localeCompare(b[0]))) {
  console.log(`| ${feature} | ${row.PASS} | ${row.FAIL} | ${row.SKIP} |`);
}
console.log(`| **total** | **${totals.PASS}** | **${totals.FAIL}** | **${totals.SKIP}** |`);
const failed = Object.entries(tests).filter(([, r]) => r.actual === 'FAIL').map(([n]) => n).sort();
if (failed.length > 0) console.log(`\nfailed: ${failed.join(' ')}`);

// Disabled entries of test/bogo/config.json by reason, with how many entries each covers.
const config = JSON.parse(readFileSync(new URL('../test/bogo/config.json', import.meta.url), 'utf8'));
const reasons = new Map();
for (const reason of Object.values(config.DisabledTests)) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
console.log('\n| disabled entries | reason |');
console.log('|---:|---|');
for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`| ${n} | ${reason} |`);

// Why the shim said "unimplemented" (exit 89), from the shim's log beside the results.
const logFile = new URL('unimplemented.jsonl', new URL(`file://${file.startsWith('/') ? file : `${process.cwd()}/${file}`}`));
let lines = [];
try {
  lines = readFileSync(logFile, 'utf8').split('\n').filter(Boolean);
} catch {
  // no log: the run was not made by scripts/bogo.mjs
}
if (lines.length > 0) {
  const why = new Map();
  for (const l of lines) {
    const w = JSON.parse(l).why.replace(/^(flag -[a-z0-9-]+)[^]*$/, '$1').replace(/^(configuration: [^:]+)[^]*$/, '$1').replace(/^(TLS version) .*$/, '$1 below 1.3 (TLS 1.2 is issue 12)');
    why.set(w, (why.get(w) ?? 0) + 1);
  }
  console.log('\n| unimplemented runs | first thing the shim does not implement |');
  console.log('|---:|---|');
  for (const [w, n] of [...why].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`| ${n} | ${w} |`);
}
