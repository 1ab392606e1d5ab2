// `wasmtls connect HOST:PORT --wisp URL` and the relay behind
// `wasmtls get URL --wisp URL`: the same TLS client as `connect`, its TCP
// stream opened through a Wisp relay (src/transport/wisp.ts) instead of a
// socket. Exit statuses and messages as in connect.ts.
import { readFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import { wisp, type WispClient, type WispWebSocketConstructor } from '../transport/wisp.js';
import type { ConnectArgs } from './args.js';
import { type Io, systemRoots } from './connect.js';
import { describeError, describeHandshake } from './describe.js';
import { keylogFromEnv } from './keylog.js';

/** Opens a Wisp relay with the `ws` package as the WebSocket. */
export function openRelay(url: string): Promise<WispClient> {
  return wisp(url, { WebSocket: WebSocket as unknown as WispWebSocketConstructor });
}

/** Runs `wasmtls connect --wisp`; resolves with the exit status. */
export async function runConnectWisp(args: ConnectArgs & { wisp: string }, io: Io): Promise<number> {
  let relay: WispClient | undefined;
  try {
    relay = await openRelay(args.wisp);
    const tls = relay.connect(args.host, args.port, {
      serverName: args.servername ?? args.host,
      ca: args.ca === undefined ? systemRoots() : readFileSync(args.ca, 'utf8'),
      rejectUnauthorized: !args.insecure,
      ...(args.alpn && { alpn: args.alpn }),
      ...(args.ciphers && { cipherSuites: args.ciphers }),
      ...(args.groups && { groups: args.groups }),
      ...keylogFromEnv(),
    });
    const info = await tls.opened;
    io.stderr.write(`${describeHandshake(info)} (through Wisp v${relay.version} relay ${args.wisp})\n`);
    if (!info.authorized) io.stderr.write(`warning: --insecure: the certificate was not verified (${describeError(info.authorizationError)})\n`);
    const writer = tls.writable.getWriter();
    const { stdin, stdout } = io;
    let writing = Promise.resolve();
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : new Uint8Array(chunk);
      stdin.pause();
      writing = writer.write(bytes).then(() => void stdin.resume(), () => undefined);
    };
    const onEnd = (): void => {
      void writing.then(() => writer.close()).catch(() => undefined);
    };
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.resume();
    try {
      for await (const chunk of tls.readable as unknown as AsyncIterable<Uint8Array>) {
        if (!stdout.write(chunk)) await new Promise((r) => stdout.once('drain', r));
      }
      await tls.closed;
    } finally {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.pause();
    }
    if (stdout.writable) await new Promise<void>((resolve) => stdout.write('', () => resolve()));
    return 0;
  } catch (e) {
    io.stderr.write(`error: ${describeError(e)}\n`);
    return 1;
  } finally {
    relay?.close();
  }
}
