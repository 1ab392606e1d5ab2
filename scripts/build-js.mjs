// Compiles the TypeScript sources to dist/ (ESM, one file per source file)
// with esbuild, and the declarations with tsc.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: [...sources('src'), ...sources('bindings')],
  outdir: 'dist',
  outbase: '.',
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  bundle: false,
  sourcemap: false,
  logLevel: 'warning',
});
// The browser demo's page (`wasmtls demo --web`) loads these same modules from
// dist/ (src/cli/demo-web.ts), so no separate bundle is built or shipped.
// The core as a file (`wasmtls/wasm`), for runtimes that import it precompiled (src/workerd.ts).
copyFileSync('build/wasmtls.wasm', 'dist/wasmtls.wasm');
execFileSync(
  process.execPath,
  [join('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
  { stdio: 'inherit' },
);
console.log('dist: built');
