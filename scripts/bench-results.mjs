// Turns build/bench.json (written by `npm run bench`) into the Markdown table
// of bench/RESULTS.md, printed to stdout.
import { readFileSync } from 'node:fs';

const { meta, rows } = JSON.parse(readFileSync('build/bench.json', 'utf8'));
const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const out = [];
out.push(`Measured ${meta.date.slice(0, 10)} on ${meta.cpu} (${meta.cores} cores), Node ${meta.node}, one \`npm run bench\` run.`);
out.push('');
out.push('| operation | implementation | ops/s | MB/s | vs node:crypto | wasmtls is × faster | ±% |');
out.push('|---|---|---:|---:|---:|---:|---:|');
const groups = [...new Set(rows.map((r) => r.group))];
for (const g of groups) {
  const rs = rows.filter((r) => r.group === g);
  const ours = rs.find((r) => r.impl === 'wasmtls');
  for (const r of rs) {
    const mine = ours && r.impl !== 'wasmtls' ? `${fmt(ours.opsPerSec / r.opsPerSec, 2)}×` : '';
    out.push(
      `| ${g} | ${r.impl} | ${fmt(r.opsPerSec)} | ${r.mbPerSec === null ? '' : fmt(r.mbPerSec, 1)} | ${r.vsNode === null ? '' : `${fmt(r.vsNode, 2)}×`} | ${mine} | ${fmt(r.rme, 1)} |`,
    );
  }
}
console.log(out.join('\n'));
