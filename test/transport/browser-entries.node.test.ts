// The browser entry points ('.', './websocket') must not pull in node:*
// modules: bundle them for the browser with esbuild and list every import
// the bundle left out.
import { build } from 'esbuild';
import { expect, test } from 'vitest';

test.each(['src/index.ts', 'src/transport/websocket.ts'])('%s imports no node:* module (esbuild, platform browser)', async (entry) => {
  const result = await build({ entryPoints: [entry], bundle: true, write: false, platform: 'browser', format: 'esm', metafile: true, logLevel: 'silent', external: ['node:*'] });
  const imports = Object.values(result.metafile.inputs).flatMap((i) => i.imports.map((x) => x.path));
  expect(imports.filter((p) => p.startsWith('node:') || p === 'ws')).toEqual([]);
  expect(Object.keys(result.metafile.inputs)).toContain(entry);
});

test('the check can fail: the Node entry of request() does import node:net', async () => {
  const result = await build({ entryPoints: ['src/http/node.ts'], bundle: true, write: false, platform: 'browser', format: 'esm', metafile: true, logLevel: 'silent', external: ['node:*'] });
  const imports = Object.values(result.metafile.inputs).flatMap((i) => i.imports.map((x) => x.path));
  expect(imports).toContain('node:net');
});
