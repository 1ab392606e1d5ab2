/**
 * The `wasmtls` command line (bin/wasmtls.mjs runs {@link main}): `connect`,
 * `serve`, `get`, `tunnel` and `demo`, each with `--help`; `--version`.
 * Parsing is all in args.ts; this file dispatches. Node only.
 * @module
 */
import { readFileSync } from 'node:fs';
import { EXIT, parseCommandLine, UsageError } from './args.js';
import { type Io, runConnect } from './connect.js';
import { runDemo } from './demo.js';
import { runDemoWeb } from './demo-web.js';
import { runGet } from './get.js';
import { runConnectWisp } from './connect-wisp.js';
import { runServe } from './serve.js';
import { runTunnel } from './tunnel.js';

function processIo(): Io {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
}

/** A promise that resolves on the first SIGINT or SIGTERM. */
function signalled(): Promise<void> {
  return new Promise((resolve) => {
    const on = () => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve();
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/** The package's version: from the package.json above this file (src/cli/ in a checkout, dist/src/cli/ when built). */
export function packageVersion(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'wasmtls' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // Not this one.
    }
  }
  return 'unknown';
}

/**
 * Runs one command; resolves with the exit status: {@link EXIT} (0 success,
 * 1 failure, 2 a usage error).
 * @example process.exit(await main(process.argv.slice(2)));
 */
export async function main(argv: readonly string[], io: Io = processIo(), stop: () => Promise<void> = signalled): Promise<number> {
  try {
    const command = parseCommandLine(argv);
    switch (command.kind) {
      case 'help':
        io.stdout.write(command.text);
        return EXIT.ok;
      case 'version':
        io.stdout.write(`wasmtls ${packageVersion()}\n`);
        return EXIT.ok;
      case 'connect': {
        const { wisp } = command.args;
        return await (wisp === undefined ? runConnect(command.args, io) : runConnectWisp({ ...command.args, wisp }, io));
      }
      case 'serve':
        return await runServe(command.args, io, stop());
      case 'get':
        return await runGet(command.args, io);
      case 'tunnel':
        return await runTunnel(command.args, io, stop());
      case 'demo':
        return command.args.web ? await runDemoWeb(command.args, io, stop()) : await runDemo(command.args, io);
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    const help = e.command === undefined ? 'wasmtls --help' : `wasmtls ${e.command} --help`;
    io.stderr.write(`error: ${e.message}\nRun "${help}" for usage.\n`);
    return EXIT.usage;
  }
}
