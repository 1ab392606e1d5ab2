// Bundles bench/browser-wisp.ts with esbuild (Node 20 cannot run TypeScript)
// and runs it: npm run bench:browser.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
await build({
  entryPoints: ['bench/browser-wisp.ts'],
  outfile: 'build/bench-browser.mjs',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
const r = spawnSync(process.execPath, ['build/bench-browser.mjs', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
