#!/usr/bin/env node
// tlsfuzzer against `wasmtls serve` (issue 11), in the style of OpenSSL's
// test/recipes/95-test_external_tlsfuzzer: one JSON (test/tlsfuzzer/config.json)
// lists server groups (certificate and serve flags) and the scripts to run
// against each, with the probes expected to fail (`-x name -X message`) and
// why, or excluded (`-e name`).
//
//   node scripts/tlsfuzzer.mjs TLSFUZZER_DIR TLSLITE_NG_DIR [script-substring]
//
// TLSFUZZER_DIR and TLSLITE_NG_DIR are checkouts of tlsfuzzer/tlsfuzzer and
// tlsfuzzer/tlslite-ng; Debian's python3-ecdsa is the only other need
// (/usr/bin/python3, or $PYTHON). Prints one line per script (pass / xfail /
// fail / xpass counts from the script's own summary) and a Markdown table
// for docs/testing.md; exits 1 if any script failed.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const [fuzzerArg, tlsliteArg, only] = process.argv.slice(2);
if (fuzzerArg === undefined || tlsliteArg === undefined) {
  console.error('usage: node scripts/tlsfuzzer.mjs TLSFUZZER_DIR TLSLITE_NG_DIR [script-substring]');
  process.exit(2);
}
const fuzzer = resolve(fuzzerArg);
const tlslite = resolve(tlsliteArg);
const python = process.env.PYTHON ?? '/usr/bin/python3';
const out = join(root, 'build', 'tlsfuzzer');
mkdirSync(out, { recursive: true });

// The CLI, bundled once (bin/wasmtls.mjs needs dist/; this needs nothing built).
// Inside the repository so node_modules (ws) resolves for the external packages.
const cli = join(out, 'wasmtls.mjs');
await build({
  stdin: { contents: "import { main } from './src/cli/main.ts';\nprocess.exit(await main(process.argv.slice(2)));\n", resolveDir: root, sourcefile: 'tlsfuzzer-cli.ts', loader: 'ts' },
  bundle: true, platform: 'node', format: 'esm', outfile: cli, logLevel: 'warning', packages: 'external',
});

function freePort() {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

function startServer(args, port) {
  const child = spawn(process.execPath, [cli, 'serve', '--port', String(port), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  return new Promise((res, rej) => {
    let seen = '';
    const timer = setTimeout(() => rej(new Error(`server did not start: ${seen}${log}`)), 20_000);
    child.stdout.on('data', (d) => {
      seen += d;
      if (/listening on /.test(seen)) {
        clearTimeout(timer);
        res({ child, log: () => log });
      }
    });
    child.on('exit', (code) => rej(new Error(`server exited ${code}: ${log}`)));
  });
}

function runScript(script, port, args, timeoutMs) {
  return new Promise((res) => {
    const child = spawn(python, [join(fuzzer, 'scripts', script), '-h', '127.0.0.1', '-p', String(port), ...args], {
      cwd: fuzzer,
      env: { ...process.env, PYTHONPATH: [fuzzer, tlslite].join(':') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const n = (k) => Number(new RegExp(`^${k}: (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
      res({ code: code ?? (signal === 'SIGKILL' ? 'timeout' : signal), total: n('TOTAL'), pass: n('PASS'), xfail: n('XFAIL'), fail: n('FAIL'), xpass: n('XPASS'), skip: n('SKIP'), text });
    });
  });
}

const config = JSON.parse(readFileSync(join(root, 'test', 'tlsfuzzer', 'config.json'), 'utf8'));
const rows = [];
let bad = 0;
for (const group of config.groups) {
  const tests = group.tests.filter((t) => only === undefined || t.name.includes(only));
  if (tests.length === 0) continue;
  const port = await freePort();
  const serverArgs = group.server.map((a) => a.replace('{root}', root));
  const server = await startServer(serverArgs, port);
  try {
    for (const t of tests) {
      if (!existsSync(join(fuzzer, 'scripts', t.name))) {
        console.log(`${t.name}: missing from ${fuzzer}/scripts`);
        bad++;
        continue;
      }
      const args = [...(t.arguments ?? [])];
      for (const x of t.expected_failures ?? []) args.push('-x', x.probe, ...(x.message === undefined ? [] : ['-X', x.message]));
      for (const e of t.exclude ?? []) args.push('-e', e.probe);
      const r = await runScript(t.name, port, args, (t.timeout_s ?? 600) * 1000);
      const ok = r.code === 0;
      if (!ok) bad++;
      writeFileSync(join(out, `${t.name}.log`), r.text);
      const line = `${t.name} [${group.name}]: ${ok ? 'ok' : `FAILED (exit ${r.code})`} pass ${r.pass} xfail ${r.xfail} fail ${r.fail} xpass ${r.xpass} skip ${r.skip} of ${r.total}`;
      console.log(line);
      rows.push({ name: t.name, group: group.name, ...r, ok });
    }
  } finally {
    server.child.kill('SIGTERM');
  }
}
console.log('\n| script | server | total | pass | expected fail | fail | xpass | skipped |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.name} | ${r.group} | ${r.total} | ${r.pass} | ${r.xfail} | ${r.fail} | ${r.xpass} | ${r.skip} |`);
writeFileSync(join(out, 'results.json'), JSON.stringify(rows.map(({ text, ...r }) => r), null, 2));
process.exit(bad === 0 ? 0 : 1);
