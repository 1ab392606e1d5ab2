// Validation of a typical three-certificate chain (leaf, intermediate, root;
// P-256, as test/vectors/x509 has them) by two builds of src/x509 in the same
// run: a baseline (another git ref, `main` by default) and this tree. Run by
// scripts/bench-x509.mjs, which bundles both builds and passes their paths.
// Two verifiers: node:crypto (what a Node user pays, signatures included)
// and one that accepts every signature (the validator's own work only, the
// part this code changes).
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Bench } from 'tinybench';
import type * as X509 from '../src/x509/index.js';
import { nodeVerifier } from '../test/helpers/node-verifier.js';

const [baselinePath, currentPath, baselineName = 'baseline'] = process.argv.slice(2);
if (baselinePath === undefined || currentPath === undefined) throw new Error('usage: x509-validate.mjs BASELINE.mjs CURRENT.mjs [NAME]');
const builds: [string, typeof X509][] = [
  [baselineName, (await import(baselinePath)) as typeof X509],
  ['this tree', (await import(currentPath)) as typeof X509],
];

const pem = (name: string): string => readFileSync(new URL(`../test/vectors/x509/${name}.pem`, import.meta.url), 'utf8');
const at = new Date('2030-06-01T00:00:00Z');
const time = Number(process.env.BENCH_TIME_MS ?? 2000);
const accepting: X509.SignatureVerifier = { verify: () => true };

console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'})`);
for (const [vname, verifier] of [
  ['node:crypto verifier', nodeVerifier()],
  ['accept-all verifier', accepting],
] as const) {
  const bench = new Bench({ name: vname, time, warmupTime: 300 });
  // Interleaved rounds, the order swapped in the second, so load changes
  // and position in the run hit both builds alike.
  for (const round of [1, 2]) {
    for (const [name, x] of round === 1 ? builds : [...builds].reverse()) {
      const leaf = x.parseCertificatesPem(pem('leaf-localhost'))[0] as X509.Certificate;
      const int = x.parseCertificatesPem(pem('int-p256'))[0] as X509.Certificate;
      const root = x.parseCertificatesPem(pem('root-p256'))[0] as X509.Certificate;
      const options = { trustAnchors: [root], verifier, time: at, hostname: 'localhost' };
      x.validateChain([leaf, int], options);
      bench.add(`${name} #${round}`, () => x.validateChain([leaf, int], options));
    }
  }
  await bench.run();
  console.log(`\n${vname}: validateChain(leaf-localhost, int-p256 -> root-p256, hostname localhost)`);
  const rate: Record<string, number[]> = {};
  for (const t of bench.tasks) {
    const r = t.result as { throughput?: { mean: number; rme: number } } | undefined;
    const hz = r?.throughput?.mean ?? 0;
    const name = t.name.replace(/ #\d$/, '');
    (rate[name] ??= []).push(hz);
    console.log(`  ${t.name.padEnd(16)} ${hz.toFixed(0).padStart(9)} ops/s  ±${(r?.throughput?.rme ?? 0).toFixed(2)}%`);
  }
  const mean = (n: string): number => (rate[n] ?? []).reduce((a, b) => a + b, 0) / (rate[n]?.length ?? 1);
  const ratio = mean('this tree') / mean(baselineName);
  // Time per validation, this tree against the baseline: +x% = slower.
  console.log(`  this tree / ${baselineName} (ops/s): ${ratio.toFixed(3)}, time per validation ${((1 / ratio - 1) * 100).toFixed(1)}%`);
}
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} after`);
