// In-memory client/server pairs for engine tests: fixtures, a pump that moves
// bytes both ways (optionally in n-byte pieces), and recorded events.
import { TlsClient, type TlsClientOptions, type TlsConnection, TlsServer, type TlsServerOptions } from '../../src/engine.js';
import type { HandshakeInfo } from '../../src/handshake/common.js';
import type { TlsError } from '../../src/errors.js';
import { AT, certPem, keyPem } from './x509-fixtures.js';

/** A server identity from the fixtures, chained through an intermediate. */
export interface Identity {
  readonly name: string;
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
  readonly serverName: string;
}

export const IDENTITIES: Record<'p256' | 'rsa2048' | 'ed25519' | 'p384', Identity> = {
  p256: { name: 'ECDSA P-256', cert: certPem('leaf-localhost') + certPem('int-p256'), key: keyPem('leaf-localhost', 'pkcs8'), ca: certPem('root-p256'), serverName: 'localhost' },
  rsa2048: { name: 'RSA-2048', cert: certPem('leaf-example') + certPem('int-rsa'), key: keyPem('leaf-example', 'pkcs8'), ca: certPem('root-rsa'), serverName: 'example.com' },
  ed25519: { name: 'Ed25519', cert: certPem('leaf-ipv4') + certPem('int-ed25519'), key: keyPem('leaf-ipv4', 'pkcs8'), ca: certPem('root-ed25519'), serverName: '127.0.0.1' },
  p384: { name: 'ECDSA P-384', cert: certPem('leaf-wildcard') + certPem('int-p384'), key: keyPem('leaf-wildcard', 'pkcs8'), ca: certPem('root-p384'), serverName: 'a.example.com' },
};

/** Everything one endpoint emitted. */
export interface Recorder {
  handshake: HandshakeInfo | undefined;
  data: Uint8Array[];
  closed: boolean;
  errors: TlsError[];
  /** Bytes it sent, record stream as is. */
  sent: Uint8Array[];
}

export function record(c: TlsConnection): Recorder {
  const r: Recorder = { handshake: undefined, data: [], closed: false, errors: [], sent: [] };
  c.on('handshake', (i) => {
    r.handshake = i;
  });
  c.on('data', (d) => {
    r.data.push(d.slice());
  });
  c.on('close', () => {
    r.closed = true;
  });
  c.on('error', (e) => {
    r.errors.push(e);
  });
  return r;
}

function feed(to: TlsConnection, bytes: Uint8Array, piece: number): void {
  if (piece <= 0 || piece >= bytes.length) {
    to.receive(bytes);
    return;
  }
  for (let i = 0; i < bytes.length; i += piece) to.receive(bytes.subarray(i, i + piece));
}

/** Moves output both ways until neither side has any; `piece` > 0 feeds that many bytes per receive(). */
export function pump(a: TlsConnection, b: TlsConnection, piece = 0, ra?: Recorder, rb?: Recorder): void {
  for (let round = 0; round < 1000; round++) {
    const ao = a.takeOutput();
    const bo = b.takeOutput();
    if (ao.length === 0 && bo.length === 0) return;
    for (const o of ao) {
      ra?.sent.push(o);
      feed(b, o, piece);
    }
    for (const o of bo) {
      rb?.sent.push(o);
      feed(a, o, piece);
    }
  }
  throw new Error('pump: no quiescence after 1000 rounds');
}

export interface Pair {
  client: TlsClient;
  server: TlsServer;
  c: Recorder;
  s: Recorder;
  pump(piece?: number): void;
}

/** A client and server for `id`, validated at the fixtures' test time. */
export function pair(id: Identity, client: Partial<TlsClientOptions> = {}, server: Partial<TlsServerOptions> = {}): Pair {
  const srv = new TlsServer({ cert: id.cert, key: id.key, ...server });
  const s = record(srv);
  const cli = new TlsClient({ serverName: id.serverName, ca: id.ca, now: AT, ...client });
  const c = record(cli);
  return { client: cli, server: srv, c, s, pump: (piece = 0) => pump(cli, srv, piece, c, s) };
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
