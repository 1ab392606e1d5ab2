// Same inputs, same bytes: a fixed script (a handshake, one request, one
// response, close_notify both ways) between a wasmtls client and server in
// memory, with every random byte drawn from a seeded generator through the
// provider (randomBytes and the ephemeral key shares) and a server identity
// written from seeded keys at fixed dates. ECDSA signing is deterministic
// (RFC 6979), so every byte either side sends is fixed by the seed. The
// digests are compared across Node, Chromium and Firefox.
//
// Browser-safe: no node: modules, no Vite-only imports (Firefox loads it
// through esbuild).
import { TlsClient, TlsServer, type TraceEvent } from '../../src/engine.js';
import { ecdsaP256, hkdfExpand, p256, sha256 } from '../../src/crypto.js';
import type { CryptoProvider } from '../../src/provider.js';
import { wasmProvider } from '../../src/provider-wasm.js';
import { writeCaCertificate, writeLeafCertificate } from '../../src/x509/writer.js';

const enc = new TextEncoder();

function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

function unhex(s: string): Uint8Array {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A deterministic byte stream: HKDF-Expand-SHA256(SHA-256(label), counter) blocks, in order. */
function seeded(label: string): (n: number) => Uint8Array {
  const prk = sha256(enc.encode(`wasmtls determinism ${label}`));
  let counter = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let at = 0; at < n; at += 32) {
      const block = hkdfExpand('sha256', prk, enc.encode(String(counter++)), 32);
      out.set(block.subarray(0, Math.min(32, n - at)), at);
    }
    return out;
  };
}

/** The WASM provider with its randomness replaced by a seeded stream. */
function seededProvider(label: string): CryptoProvider {
  const next = seeded(label);
  return {
    ...wasmProvider,
    randomBytes: next,
    keyExchange: (group, secretKey) => wasmProvider.keyExchange(group, secretKey ?? next(32)),
  };
}

const NOT_BEFORE = new Date('2026-01-01T00:00:00Z');
const NOT_AFTER = new Date('2036-01-01T00:00:00Z');
const NOW = new Date('2030-01-01T00:00:00Z');
const REQUEST = 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n';
const RESPONSE = 'HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nhello\n';

/** A CA and a localhost leaf, both ECDSA P-256, from seeded keys. */
function identity(): { caPem: string; certPem: string; key: { type: 'ec'; curve: 'P-256'; d: Uint8Array; publicKey: Uint8Array } } {
  const next = seeded('identity');
  const caKey = next(32);
  const leafKey = next(32);
  const sign = (tbs: Uint8Array) => ecdsaP256.sign(tbs, caKey);
  const ca = writeCaCertificate({
    subject: { commonName: 'wasmtls determinism CA', organization: 'wasmtls' },
    publicKey: p256.getPublicKey(caKey, false),
    sign,
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    serialNumber: Uint8Array.of(1),
  });
  const leafPublic = p256.getPublicKey(leafKey, false);
  const leaf = writeLeafCertificate({ dnsNames: ['localhost'], publicKey: leafPublic, issuer: ca.certificate, sign, notBefore: NOT_BEFORE, notAfter: NOT_AFTER, serialNumber: Uint8Array.of(2) });
  return { caPem: ca.pem, certPem: leaf.pem, key: { type: 'ec', curve: 'P-256', d: leafKey, publicKey: leafPublic } };
}

/** What one run produced. */
export interface DeterminismResult {
  /** The ClientHello message (with its header), hex. */
  readonly clientHello: string;
  /** SHA-256 of the client's handshake messages, sent and received, in order: the transcript. */
  readonly transcriptSha256: string;
  /** SHA-256 of every byte the client sent (records). */
  readonly clientBytesSha256: string;
  /** SHA-256 over the client's trace: each event's kind, name, direction and bytes. */
  readonly traceSha256: string;
  /** What the client received as application data. */
  readonly response: string;
}

function newClient(events: TraceEvent[]): TlsClient {
  const id = identity();
  const client = new TlsClient({ serverName: 'localhost', ca: id.caPem, now: NOW, alpn: ['http/1.1'], provider: seededProvider('client'), onTrace: (e) => events.push(e) });
  client.write(enc.encode(REQUEST));
  return client;
}

function summarize(events: readonly TraceEvent[], sent: readonly Uint8Array[], response: string): DeterminismResult {
  const handshake = events.filter((e) => e.kind === 'handshake');
  const ch = handshake[0];
  if (ch === undefined || ch.name !== 'ClientHello') throw new Error('the first traced message is not a ClientHello');
  const trace = events.map((e) => concat([enc.encode(`${e.kind}|${e.name}|${e.direction}|${e.bytes.length}|`), e.bytes]));
  return {
    clientHello: hex(ch.bytes),
    transcriptSha256: hex(sha256(concat(handshake.map((e) => e.bytes)))),
    clientBytesSha256: hex(sha256(concat(sent))),
    traceSha256: hex(sha256(concat(trace))),
    response,
  };
}

/**
 * The whole script with both ends in memory. Returns the client's result
 * and the server's byte stream to the client (hex), for {@link replayClient}.
 */
export function runPair(): DeterminismResult & { serverStream: string } {
  const id = identity();
  const server = new TlsServer({ cert: id.certPem, key: id.key, alpn: ['http/1.1'], provider: seededProvider('server') });
  const events: TraceEvent[] = [];
  const client = newClient(events);
  const sent: Uint8Array[] = [];
  const fromServer: Uint8Array[] = [];
  let response = '';
  let request = '';
  const errors: string[] = [];
  client.on('data', (d) => {
    response += new TextDecoder().decode(d);
  });
  client.on('close', () => client.close());
  client.on('error', (e) => errors.push(`client: ${e.message}`));
  server.on('data', (d) => {
    request += new TextDecoder().decode(d);
    if (request.endsWith('\r\n\r\n')) {
      server.write(enc.encode(RESPONSE));
      server.close();
    }
  });
  server.on('error', (e) => errors.push(`server: ${e.message}`));
  for (let round = 0; round < 20; round++) {
    const c = client.takeOutput();
    const s = server.takeOutput();
    if (c.length === 0 && s.length === 0) break;
    for (const b of c) {
      sent.push(b);
      server.receive(b);
    }
    for (const b of s) {
      fromServer.push(b);
      client.receive(b);
    }
  }
  if (errors.length > 0) throw new Error(errors.join('; '));
  return { ...summarize(events, sent, response), serverStream: hex(concat(fromServer)) };
}

/** The client alone, fed the server's recorded stream in one piece. */
export function replayClient(serverStream: string): DeterminismResult {
  const events: TraceEvent[] = [];
  const client = newClient(events);
  const errors: string[] = [];
  let response = '';
  client.on('data', (d) => {
    response += new TextDecoder().decode(d);
  });
  client.on('close', () => client.close());
  client.on('error', (e) => errors.push(e.message));
  const sent = client.takeOutput();
  client.receive(unhex(serverStream));
  sent.push(...client.takeOutput());
  if (errors.length > 0) throw new Error(errors.join('; '));
  return summarize(events, sent, response);
}
