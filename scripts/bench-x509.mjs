// npm run bench:x509 [-- REF]: bench/x509-validate.ts comparing this tree's
// src/x509 with the one at git REF (default main), both bundled by esbuild
// into build/ and run in one process. REF's files are taken with
// `git archive`, so the working tree is not touched.
import { build } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const ref = process.argv[2] ?? 'main';
const base = join(root, 'build', 'bench-x509-baseline');
rmSync(base, { recursive: true, force: true });
mkdirSync(base, { recursive: true });
const tar = execFileSync('git', ['archive', '--format=tar', ref, 'src', 'bindings'], { maxBuffer: 64 << 20 });
execFileSync('tar', ['-x', '-C', base], { input: tar });
// The generated WASM module is not in git; the x509 layer only uses its SHA-256.
copyFileSync(join(root, 'bindings', 'wasm.generated.ts'), join(base, 'bindings', 'wasm.generated.ts'));
const common = { bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning' };
await build({ ...common, entryPoints: [join(base, 'src', 'x509', 'index.ts')], outfile: 'build/bench-x509-baseline.mjs' });
await build({ ...common, entryPoints: ['src/x509/index.ts'], outfile: 'build/bench-x509-current.mjs' });
await build({ ...common, entryPoints: ['bench/x509-validate.ts'], outfile: 'build/bench-x509.mjs' });
const r = spawnSync(
  process.execPath,
  ['build/bench-x509.mjs', join(root, 'build/bench-x509-baseline.mjs'), join(root, 'build/bench-x509-current.mjs'), ref],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
