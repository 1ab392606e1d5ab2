// Every fenced code block in README.md and docs/*.md is run, so the
// documentation cannot rot (issue 16). New docs/*.md files are picked up
// as they are added.
//   ```js / ```ts   written to .docs-run/ inside the repository (so that
//                   `import 'wasmtls'` resolves to the built package through
//                   its own export map, and `ws` from node_modules), ts
//                   stripped by esbuild, run by Node: must exit 0 within
//                   60 s. The ts blocks are also type-checked, strict.
//   ```sh           run by bash -euo pipefail in an empty directory, with
//                   `wasmtls` on the PATH (bin/wasmtls.mjs); same rules.
//   ```text         output, trees, and commands that cannot run here
//                   (installs, the internet, the whole test suite): skipped
//                   by design.
// Any other fence (or none) fails: say which of the above it is. Snippets
// start their own servers on 127.0.0.1 with port 0. Relative links must
// point at files that exist. Needs `npm run build` (dist/) first.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { transformSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const RUN = join(ROOT, '.docs-run');
const TIMEOUT_MS = 60_000;

interface Block {
  /** e.g. docs/node.md:42 (the line of the opening fence). */
  readonly where: string;
  readonly file: string;
  readonly lang: string;
  readonly code: string;
}

const NODE_LANGS = new Set(['js', 'javascript', 'mjs', 'ts', 'typescript']);
const SHELL_LANGS = new Set(['sh', 'bash', 'shell']);

function docFiles(): string[] {
  const docs = existsSync(join(ROOT, 'docs')) ? readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => join('docs', f)) : [];
  return ['README.md', ...docs];
}

/** The fenced blocks of one Markdown file (``` or ~~~, three or more). */
function extractBlocks(file: string, text: string): Block[] {
  const out: Block[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/.exec(lines[i] as string);
    if (open === null) continue;
    const fence = open[2] as string;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !(lines[i] as string).trimStart().startsWith(fence); i++) body.push(lines[i] as string);
    if (i === lines.length) throw new Error(`${file}:${start + 1}: the code block is never closed`);
    out.push({ where: `${file}:${start + 1}`, file, lang: (open[3] as string).toLowerCase(), code: body.join('\n') + '\n' });
  }
  return out;
}

const blocks = docFiles().flatMap((f) => extractBlocks(f, readFileSync(join(ROOT, f), 'utf8')));
const slug = (b: Block) => b.where.replace(/[^\w]+/g, '-');

function exec(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env, timeout: TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const timedOut = error !== null && (error as { killed?: boolean }).killed === true;
      resolve({ code: error === null ? 0 : timedOut ? null : ((error as { code?: number }).code ?? 1), out: `${stdout}${stderr}` });
    });
  });
}

function explain(b: Block, r: { code: number | null; out: string }): string {
  const numbered = b.code.trimEnd().split('\n').map((l, i) => `${String(i + 1).padStart(3)} | ${l}`).join('\n');
  const why = r.code === null ? `did not exit within ${TIMEOUT_MS / 1000} s (close every server and socket it opens)` : `exited ${r.code}`;
  return `${b.where} (${b.lang}) ${why}\n--- block ---\n${numbered}\n--- output ---\n${r.out.slice(-4000)}`;
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'src', 'index.js'))) throw new Error('the code blocks run against the built package: run `npm run build` first');
  rmSync(RUN, { recursive: true, force: true });
  mkdirSync(join(RUN, 'bin'), { recursive: true });
  writeFileSync(join(RUN, 'bin', 'wasmtls'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'bin', 'wasmtls.mjs')}" "$@"\n`, { mode: 0o755 });
});
afterAll(() => rmSync(RUN, { recursive: true, force: true }));

describe('code blocks in README.md and docs/*.md', () => {
  test('there are blocks to run, and each fence says what it is', () => {
    expect(blocks.filter((b) => NODE_LANGS.has(b.lang)).length).toBeGreaterThan(5);
    const unknown = blocks.filter((b) => !NODE_LANGS.has(b.lang) && !SHELL_LANGS.has(b.lang) && b.lang !== 'text');
    expect(unknown.map((b) => `${b.where}: fence "${b.lang}" (use js, ts or sh to have it run, text for output or commands that cannot run here)`)).toEqual([]);
  });

  test('relative links point at files that exist', () => {
    const broken: string[] = [];
    for (const f of docFiles()) {
      const text = readFileSync(join(ROOT, f), 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const m of text.matchAll(/\]\(([^)\s#]+)(#[^)\s]*)?\)/g)) {
        const target = m[1] as string;
        if (/^[a-z]+:/i.test(target)) continue;
        if (!existsSync(join(ROOT, dirname(f), target))) broken.push(`${f}: (${target})`);
      }
    }
    expect(broken).toEqual([]);
  });

  test("README's Layout has one line per top-level folder, and names every folder of src/", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const layout = /## Layout\n+```text\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(layout, 'README.md has a ## Layout section with a text block').toBeDefined();
    const listed = (layout as string).split('\n').filter((l) => l.trim() !== '').map((l) => l.split(/\s+/)[0]);
    const tracked = readdirSync(ROOT, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !['node_modules', 'dist', 'build', '.git', '.docs-run', 'test-results', '.vitest-attachments'].includes(d.name))
      .map((d) => `${d.name}/`)
      .sort();
    expect([...listed].sort()).toEqual(tracked);
    const srcLine = (layout as string).split('\n').find((l) => l.startsWith('src/')) ?? '';
    const srcDirs = readdirSync(join(ROOT, 'src'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `${d.name}/`);
    expect(srcDirs.filter((d) => !srcLine.includes(` ${d}`))).toEqual([]);
  });

  const runnable = blocks.filter((b) => NODE_LANGS.has(b.lang) || SHELL_LANGS.has(b.lang));
  test.concurrent.each(runnable.map((b) => [b.where, b] as const))('%s runs', async (_, b) => {
    if (SHELL_LANGS.has(b.lang)) {
      const dir = join(RUN, slug(b));
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'block.sh'), b.code);
      const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${join(RUN, 'bin')}:${process.env.PATH ?? ''}` };
      delete env.SSLKEYLOGFILE;
      const r = await exec('bash', ['-euo', 'pipefail', 'block.sh'], dir, env);
      expect(r.code, explain(b, r)).toBe(0);
      return;
    }
    const ts = b.lang === 'ts' || b.lang === 'typescript';
    if (ts) writeFileSync(join(RUN, `${slug(b)}.ts`), b.code);
    let js: string;
    try {
      js = ts ? transformSync(b.code, { loader: 'ts', format: 'esm', target: 'es2022' }).code : b.code;
    } catch (e) {
      throw new Error(`${b.where}: does not parse: ${e instanceof Error ? e.message : String(e)}`);
    }
    const file = join(RUN, `${slug(b)}.mjs`);
    writeFileSync(file, js);
    const r = await exec(process.execPath, [file], RUN);
    expect(r.code, explain(b, r)).toBe(0);
  });

  test('the ts blocks type-check (strict, NodeNext, against the built declarations)', async () => {
    const ts = blocks.filter((b) => b.lang === 'ts' || b.lang === 'typescript');
    expect(ts.length).toBeGreaterThan(0);
    const dir = join(RUN, 'typecheck');
    mkdirSync(dir, { recursive: true });
    // Each block is a module of its own (top-level await, names reused across blocks).
    for (const b of ts) writeFileSync(join(dir, `${slug(b)}.mts`), b.code.includes('import ') || b.code.includes('export ') ? b.code : `${b.code}\nexport {};\n`);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, target: 'ES2022', lib: ['ES2022', 'DOM'], module: 'NodeNext', moduleResolution: 'NodeNext', types: ['node'], skipLibCheck: true, typeRoots: [join(ROOT, 'node_modules', '@types')] },
        include: ['*.mts'],
      }),
    );
    const r = await exec(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], dir);
    // Map the temp file names back to the Markdown lines.
    const out = r.out.replace(/([\w-]+)\.mts\((\d+),(\d+)\)/g, (_, s: string, line: string) => {
      const b = ts.find((x) => slug(x) === s);
      return b === undefined ? `${s}(${line})` : `${b.file}:${Number(b.where.split(':')[1]) + Number(line)}`;
    });
    expect(r.code, `type errors in the docs' ts blocks:\n${out}`).toBe(0);
  });
});
