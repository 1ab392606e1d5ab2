#!/usr/bin/env node
// BoringSSL's BoGo conformance suite against wasmtls (issue 11):
//
//   npm run bogo -- BORINGSSL_DIR [runner flags...]
//
// BORINGSSL_DIR is a checkout of google/boringssl (tested at d4393891) whose
// ssl/test/runner builds: with Debian's Go 1.19 and no network, add to its
// go.mod `replace golang.org/x/{crypto,net,sys,term} =>
// /usr/share/gocode/src/golang.org/x/...` lines (golang-golang-x-*-dev);
// this script then builds the runner with GOPROXY=off GOFLAGS=-mod=mod.
// It bundles test/bogo/shim.ts with esbuild, writes a launcher, and runs
// the runner in ssl/test/runner with test/bogo/config.json
// (-allow-unimplemented: a flag the shim does not implement exits 89 and is
// counted, not failed). Results: build/bogo/results.json (the runner's JSON)
// and a per-feature summary on stdout (scripts/bogo-summary.mjs).
// Extra arguments go to the runner, e.g. -test 'TLS13-*' or -num-workers 1.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const [dir, ...extra] = process.argv.slice(2);
if (dir === undefined) {
  console.error('usage: npm run bogo -- BORINGSSL_DIR [runner flags...]');
  process.exit(2);
}
const boringssl = resolve(dir);
const runnerDir = join(boringssl, 'ssl', 'test', 'runner');
if (!existsSync(join(runnerDir, 'runner.go'))) {
  console.error(`${runnerDir}/runner.go not found: is ${boringssl} a BoringSSL checkout?`);
  process.exit(2);
}
const out = join(root, 'build', 'bogo');
mkdirSync(out, { recursive: true });

const runner = join(out, 'runner.test');
if (!existsSync(runner) || process.env.BOGO_REBUILD === '1') {
  console.error('building the BoGo runner (go test -c)...');
  execFileSync('go', ['test', '-c', '-o', runner, '.'], {
    cwd: runnerDir,
    stdio: 'inherit',
    env: { ...process.env, GOPROXY: 'off', GOFLAGS: '-mod=mod' },
  });
}

execFileSync(
  join(root, 'node_modules', '.bin', 'esbuild'),
  [join(root, 'test', 'bogo', 'shim.ts'), '--bundle', '--platform=node', '--format=esm', `--outfile=${join(out, 'shim.mjs')}`, '--log-level=warning'],
  { stdio: 'inherit' },
);
const launcher = join(out, 'shim');
writeFileSync(launcher, `#!/bin/sh\nexec "${process.execPath}" "${join(out, 'shim.mjs')}" "$@"\n`);
chmodSync(launcher, 0o755);

const results = join(out, 'results.json');
const args = [
  '-test.run', 'TestAll', '-test.timeout', '0',
  '-shim-path', launcher,
  '-shim-config', join(root, 'test', 'bogo', 'config.json'),
  '-allow-unimplemented',
  '-json-output', results,
  '-num-workers', '2',
  '-pipe',
  ...extra,
];
console.error(`cd ${runnerDir} && ${runner} ${args.join(' ')}`);
const unimplementedLog = join(out, 'unimplemented.jsonl');
writeFileSync(unimplementedLog, '');
const r = spawnSync(runner, args, {
  cwd: runnerDir,
  stdio: ['ignore', 'pipe', 'inherit'],
  encoding: 'utf8',
  maxBuffer: 1 << 30,
  env: { ...process.env, WASMTLS_BOGO_LOG: unimplementedLog },
});
writeFileSync(join(out, 'runner.log'), r.stdout ?? '');
const tail = (r.stdout ?? '').split('\n').filter((l) => /^(FAILED|PASSED|UNIMPLEMENTED|\d+\/\d+)/.test(l) || / failed|tests? passed/i.test(l));
console.log(tail.slice(-5).join('\n'));
if (existsSync(results)) execFileSync(process.execPath, [join(root, 'scripts', 'bogo-summary.mjs'), results], { stdio: 'inherit' });
process.exit(r.status ?? 1);
