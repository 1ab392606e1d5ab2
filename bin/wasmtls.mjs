#!/usr/bin/env node
// The `wasmtls` command (src/cli/main.ts, compiled to dist/ by `npm run build`,
// which `npm install` runs through the `prepare` script).
let cli;
try {
  cli = await import('../dist/src/cli/main.js');
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes('dist')) throw e;
  const root = new URL('..', import.meta.url).pathname;
  process.stderr.write(`error: wasmtls is not built (no ${root}dist/). Run "npm install" (or "npm run build") in ${root}.\n`);
  process.exit(1);
}
process.exit(await cli.main(process.argv.slice(2)));
