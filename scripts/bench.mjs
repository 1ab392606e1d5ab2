// The one bench runner: bundles a TypeScript bench entry with esbuild (Node 20
// cannot run TypeScript) into build/ and runs it with the remaining arguments.
//   node scripts/bench.mjs                  bench/run.ts (npm run bench)
//   node scripts/bench.mjs bench/tls.ts     (npm run bench:tls)
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const args = process.argv.slice(2);
const entry = args[0]?.endsWith('.ts') ? (args.shift() ?? 'bench/run.ts') : 'bench/run.ts';
const outfile = `build/bench-${basename(entry, '.ts')}.mjs`;
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
const r = spawnSync(process.execPath, [outfile, ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
