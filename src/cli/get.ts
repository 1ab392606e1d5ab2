// `wasmtls get URL`: one HTTPS GET (src/http/): the body to stdout, the
// status line, header fields and handshake to stderr. Exit status 0 when a
// response arrived (whatever its status), 1 with `error: ...` otherwise.
import { readFileSync } from 'node:fs';
import { request } from '../http/node.js';
import type { GetArgs } from './args.js';
import { openRelay } from './connect-wisp.js';
import type { WispClient } from '../transport/wisp.js';
import { type Io, systemRoots } from './connect.js';
import { describeError, describeHandshake } from './describe.js';
import { keylogFromEnv } from './keylog.js';
import { renderTraceEvent } from '../trace/render-text.js';

/** Runs `wasmtls get`; resolves with the exit status. */
export async function runGet(args: GetArgs, io: Io): Promise<number> {
  // --trace: the same step-by-step rendering as `wasmtls demo`, on stderr.
  let previousStep: number | undefined;
  const color = (io.stderr as { isTTY?: boolean }).isTTY === true;
  let relay: WispClient | undefined;
  try {
    if (args.wisp !== undefined) relay = await openRelay(args.wisp);
    const res = await request(args.url, {
      ...(relay && { transport: relay.transport }),
      ca: args.ca === undefined ? systemRoots() : readFileSync(args.ca, 'utf8'),
      rejectUnauthorized: !args.insecure,
      ...(args.trace && {
        onTrace: (event) => {
          io.stderr.write(renderTraceEvent(event, { color, previousStep }));
          previousStep = event.step;
        },
      }),
      ...keylogFromEnv(),
    });
    io.stderr.write(`${describeHandshake(res.tls)}\n`);
    if (!res.tls.authorized) io.stderr.write(`warning: --insecure: the certificate was not verified (${describeError(res.tls.authorizationError)})\n`);
    io.stderr.write(`${res.status} ${res.statusText}\n`);
    for (const [name, value] of res.rawHeaders) io.stderr.write(`${name}: ${value}\n`);
    await new Promise<void>((resolve, reject) => io.stdout.write(res.body, (e) => (e ? reject(e) : resolve())));
    return 0;
  } catch (e) {
    io.stderr.write(`error: ${describeError(e)}\n`);
    return 1;
  } finally {
    relay?.close();
  }
}
