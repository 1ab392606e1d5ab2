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
