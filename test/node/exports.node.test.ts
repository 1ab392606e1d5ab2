// The package's "./node" export exists under the "node" condition only: a
// browser bundle that imports wasmtls/node fails at build time with a
// message naming the condition, while a Node bundle resolves it to
// dist/src/node/index.js. Checked with esbuild (a devDependency) through the
// package's self-reference, so package.json's real exports map is used.
import { fileURLToPath } from 'node:url';
import { build, type BuildFailure } from 'esbuild';
import { describe, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function bundle(platform: 'browser' | 'node'): Promise<{ ok: true; inputs: string[] } | { ok: false; messages: string[] }> {
  try {
    const result = await build({
      stdin: { contents: "export { connect } from 'wasmtls/node';", resolveDir: root, loader: 'js' },
      bundle: true,
      write: false,
      platform,
      format: 'esm',
      metafile: true,
      logLevel: 'silent',
    });
    return { ok: true, inputs: Object.keys(result.metafile?.inputs ?? {}) };
  } catch (e) {
    const failure = e as BuildFailure;
    return { ok: false, messages: failure.errors.flatMap((m) => [m.text, ...m.notes.map((n) => n.text)]) };
  }
}

describe('package exports: wasmtls/node', () => {
  test('a browser build cannot resolve it, and is told why', async () => {
    const r = await bundle('browser');
    expect(r.ok).toBe(false);
    const text = r.ok ? '' : r.messages.join('\n');
    expect(text).toContain('Could not resolve "wasmtls/node"');
    expect(text).toContain('Consider enabling the "node" condition');
  });

  test('a Node build resolves it to dist/src/node/index.js', async () => {
    const r = await bundle('node');
    if (r.ok) expect(r.inputs).toContain('dist/src/node/index.js');
    // Without a prior `npm run build` the mapping is right but the file is absent.
    else expect(r.messages.join('\n')).toContain('"./dist/src/node/index.js" was not found');
  });
});
