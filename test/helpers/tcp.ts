// Test-only glue between a TLS engine and a Node socket: moves bytes both
// ways and records what happened. (The product's Node transport is separate
// work; this keeps the interop tests independent of it.)
import net from 'node:net';
import { type HandshakeInfo, TlsClient, type TlsClientOptions, type TlsConnection, TlsError, TlsServer, type TlsServerOptions } from '../../src/index.js';

/** What one side of a connection saw. */
export interface Outcome {
  info: HandshakeInfo | undefined;
  received: Uint8Array;
  error: TlsError | undefined;
  /** The peer sent close_notify before the transport ended. */
  peerClosed: boolean;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Runs `tls` over `socket`. Once the handshake completes, `onHandshake` may
 * write; `until(received)` decides when this side has what it wants and sends
 * close_notify. Resolves when the socket closes; rejects after `timeoutMs`.
 */
export function drive(
  socket: net.Socket,
  tls: TlsConnection,
  onHandshake: (tls: TlsConnection) => void,
  until: (received: Uint8Array) => boolean,
  timeoutMs = 15_000,
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    const outcome: Outcome = { info: undefined, received: new Uint8Array(0), error: undefined, peerClosed: false };
    let closing = false;
    const flush = (): void => {
      for (const c of tls.takeOutput()) if (!socket.destroyed) socket.write(c);
    };
    const finishIfDone = (): void => {
      outcome.received = concat(chunks);
      if (!closing && until(outcome.received)) {
        closing = true;
        tls.close();
        flush();
        socket.end();
      }
    };
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`timed out; received ${concat(chunks).length} bytes, error ${outcome.error?.message}`));
    }, timeoutMs);
    tls.on('handshake', (info) => {
      outcome.info = info;
      onHandshake(tls);
      flush();
      finishIfDone();
    });
    tls.on('data', (d) => {
      chunks.push(d.slice());
      finishIfDone();
    });
    tls.on('close', () => {
      outcome.peerClosed = true;
      finishIfDone();
      if (!closing) {
        closing = true;
        tls.close();
        flush();
        socket.end();
      }
    });
    tls.on('error', (e) => {
      outcome.error = e;
      flush();
      socket.end();
    });
    socket.on('data', (d) => {
      tls.receive(d);
      flush();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      clearTimeout(timer);
      outcome.received = concat(chunks);
      resolve(outcome);
    });
    flush();
  });
}

/** Connects a wasmtls client to 127.0.0.1:port and drives it. */
export async function clientTo(
  port: number,
  options: TlsClientOptions,
  onHandshake: (tls: TlsConnection) => void,
  until: (received: Uint8Array) => boolean,
): Promise<Outcome> {
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise<void>((res, rej) => {
    socket.once('connect', () => res());
    socket.once('error', rej);
  });
  return drive(socket, new TlsClient(options), onHandshake, until);
}

/** A loopback server whose every connection runs a wasmtls server that echoes. */
export async function echoServer(options: TlsServerOptions): Promise<{ port: number; outcomes: Promise<Outcome>[]; close(): Promise<void> }> {
  const outcomes: Promise<Outcome>[] = [];
  const server = net.createServer((socket) => {
    const tls = new TlsServer(options);
    tls.on('data', (d) => tls.write(d));
    outcomes.push(drive(socket, tls, () => {}, () => false));
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    outcomes,
    close: () => new Promise<void>((res) => server.close(() => res())),
  };
}

export { TlsError };
