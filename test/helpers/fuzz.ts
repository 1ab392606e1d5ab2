// Shared parts of the fast-check fuzzers (issue 6, test/fuzz/): run counts,
// the seeds (a wasmtls<->wasmtls handshake captured here, and the openssl
// handshakes recorded by scripts/capture-openssl-handshake.mjs), byte-level
// mutations, and record framing under the trivial provider's "AEAD".
import fc from 'fast-check';
import { TlsClient, type TlsConnection, TlsServer } from '../../src/engine.js';
import { concatBytes, IDENTITIES } from './tls-pair.js';
import { unsafeTrivialProvider } from './trivial-provider.js';
import { fromHex } from './hex.js';
import { splitRecords } from './vec.js';
import { AT } from './x509-fixtures.js';
import openssl from '../vectors/openssl-handshakes.json' with { type: 'json' };

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};

/**
 * Runs per fuzz target: `base` in `npm test`, times FUZZ_SCALE when set
 * (`npm run fuzz` sets 50).
 */
export function runs(base: number): number {
  const scale = env.FUZZ_SCALE === undefined ? 1 : Number(env.FUZZ_SCALE);
  if (!Number.isFinite(scale) || scale <= 0) throw new RangeError(`FUZZ_SCALE must be a positive number, got ${env.FUZZ_SCALE}`);
  return Math.max(1, Math.round(base * scale));
}

/**
 * fast-check parameters: a fixed seed per target in `npm test`, so it is
 * repeatable; a random one in longer runs (FUZZ_SCALE), printed on failure;
 * FUZZ_SEED fixes it to replay a failure.
 */
export function params(base: number, seed: number): fc.Parameters<unknown> {
  const fixed = env.FUZZ_SEED !== undefined ? Number(env.FUZZ_SEED) : env.FUZZ_SCALE === undefined ? seed : undefined;
  return { numRuns: runs(base), ...(fixed === undefined ? {} : { seed: fixed }), endOnFailure: true };
}

/** The slowest any single call may take on any input. */
export const MAX_CALL_MS = 1000;

/** Calls `f`, returning what it threw (or undefined) and how long it took. */
export function timed(f: () => void): { thrown: unknown; ms: number } {
  const t0 = performance.now();
  try {
    f();
    return { thrown: undefined, ms: performance.now() - t0 };
  } catch (e) {
    return { thrown: e, ms: performance.now() - t0 };
  }
}

// ---- mutations ------------------------------------------------------------

type Edit = (b: Uint8Array) => Uint8Array;

/** One byte-level edit: bit flip, byte set, insert, delete, truncate, duplicate a span, interesting values. */
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })).map(([at, bit]): Edit => (b) => {
    if (b.length === 0) return b;
    const out = b.slice();
    out[at % b.length] = (out[at % b.length] as number) ^ (1 << bit);
    return out;
  }),
  fc.tuple(fc.nat(), fc.constantFrom(0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff)).map(([at, v]): Edit => (b) => {
    if (b.length === 0) return b;
    const out = b.slice();
    out[at % b.length] = v;
    return out;
  }),
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 16 })).map(([at, ins]): Edit => (b) => {
    const i = at % (b.length + 1);
    return concatBytes([b.subarray(0, i), ins, b.subarray(i)]);
  }),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 16 })).map(([at, n]): Edit => (b) => {
    if (b.length === 0) return b;
    const i = at % b.length;
    return concatBytes([b.subarray(0, i), b.subarray(i + n)]);
  }),
  fc.nat().map((at): Edit => (b) => b.subarray(0, at % (b.length + 1))),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 64 })).map(([at, n]): Edit => (b) => {
    if (b.length === 0) return b;
    const i = at % b.length;
    return concatBytes([b.subarray(0, i + n), b.subarray(i)]);
  }),
  // A 16- or 24-bit length field set to a boundary value.
  fc.tuple(fc.nat(), fc.constantFrom(0, 1, 0xff, 0x100, 0x3fff, 0x4000, 0x4001, 0xffff)).map(([at, v]): Edit => (b) => {
    if (b.length < 2) return b;
    const out = b.slice();
    const i = at % (b.length - 1);
    out[i] = v >> 8;
    out[i + 1] = v & 0xff;
    return out;
  }),
);

/** `seed` with 1 to 4 edits applied. */
export function mutated(seed: Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => edits.reduce((b, e) => e(b), seed));
}

/** Mutations of the seeds, untouched seeds, and random bytes. */
export function bytesLike(seeds: readonly Uint8Array[], maxRandom = 300): fc.Arbitrary<Uint8Array> {
  const pick = fc.constantFrom(...seeds);
  return fc.oneof(
    { weight: 6, arbitrary: pick.chain((s) => mutated(s)) },
    { weight: 1, arbitrary: pick },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: maxRandom }) },
  );
}

// ---- framing ----------------------------------------------------------------

export function recordOf(type: number, fragment: Uint8Array, version = 0x0303): Uint8Array {
  return concatBytes([Uint8Array.of(type, version >> 8, version & 0xff, fragment.length >> 8, fragment.length & 0xff), fragment]);
}

/** A record "protected" by the trivial provider: TLSInnerPlaintext and 16 zero tag bytes. */
export function trivialRecord(innerType: number, content: Uint8Array): Uint8Array {
  return recordOf(23, concatBytes([content, Uint8Array.of(innerType), new Uint8Array(16)]));
}

/** The content type of a record as the trivial provider's peer sees it (inner type for protected records). */
export function trivialInnerType(record: { type: number; fragment: Uint8Array }): number | undefined {
  if (record.type !== 23) return record.type;
  const inner = record.fragment.subarray(0, Math.max(0, record.fragment.length - 16));
  let end = inner.length - 1;
  while (end >= 0 && inner[end] === 0) end--;
  return end < 0 ? undefined : inner[end];
}

export function recordsOf(bytes: Uint8Array): Uint8Array[] {
  return splitRecords(bytes).map((r) => recordOf(r.type, r.fragment, r.version));
}

// ---- engines with the trivial provider ------------------------------------

const id = IDENTITIES.p256;

export function trivialClient(): TlsClient {
  return new TlsClient({ serverName: id.serverName, ca: id.ca, now: AT, provider: unsafeTrivialProvider(), alpn: ['h2', 'http/1.1'] });
}

export function trivialServer(groups?: ('x25519' | 'secp256r1')[]): TlsServer {
  return new TlsServer({ cert: id.cert, key: id.key, provider: unsafeTrivialProvider(), alpn: ['h2'], ...(groups === undefined ? {} : { groups }) });
}

/** Handshake messages (header and body) seen in a capture, by sender. */
export interface Capture {
  name: string;
  /** Records the client sent, as on the wire (for the trivial provider). */
  fromClient: Uint8Array[];
  fromServer: Uint8Array[];
  /** Plaintext handshake messages each side sent. */
  clientMessages: Uint8Array[];
  serverMessages: Uint8Array[];
}

/**
 * A wasmtls<->wasmtls exchange under the trivial provider: handshake (with a
 * HelloRetryRequest when `hrr`), data both ways, a KeyUpdate, close_notify.
 */
export function captureWasmtls(hrr: boolean): Capture {
  const clientMessages: Uint8Array[] = [];
  const serverMessages: Uint8Array[] = [];
  const c = new TlsClient({
    serverName: id.serverName,
    ca: id.ca,
    now: AT,
    provider: unsafeTrivialProvider(),
    alpn: ['h2', 'http/1.1'],
    trace: (e) => e.kind === 'handshake' && e.direction === 'sent' && clientMessages.push(e.bytes),
  });
  const s = new TlsServer({
    cert: id.cert,
    key: id.key,
    provider: unsafeTrivialProvider(),
    alpn: ['h2'],
    ...(hrr ? { groups: ['secp256r1' as const] } : {}),
    trace: (e) => e.kind === 'handshake' && e.direction === 'sent' && serverMessages.push(e.bytes),
  });
  const fromClient: Uint8Array[] = [];
  const fromServer: Uint8Array[] = [];
  const move = () => {
    for (let i = 0; i < 20; i++) {
      const a = c.takeOutput();
      const b = s.takeOutput();
      if (a.length + b.length === 0) return;
      for (const o of a) {
        fromClient.push(...recordsOf(o));
        s.receive(o);
      }
      for (const o of b) {
        fromServer.push(...recordsOf(o));
        c.receive(o);
      }
    }
  };
  move();
  if (!c.connected || !s.connected) throw new Error(`wasmtls capture did not connect: ${c.error?.message ?? s.error?.message}`);
  c.write(new TextEncoder().encode('hello'));
  s.write(new TextEncoder().encode('world'));
  c.keyUpdate(true);
  move();
  c.close();
  s.close();
  move();
  return { name: `wasmtls${hrr ? ' HRR' : ''}`, fromClient, fromServer, clientMessages, serverMessages };
}

interface OpensslRecord {
  record: string;
  epoch: 'plaintext' | 'handshake' | 'application';
  innerType?: number;
  inner?: string;
}

/**
 * An openssl capture re-framed for the trivial provider: plaintext records as
 * recorded, protected ones re-protected trivially with their recorded inner
 * content. `sessionId` replaces the ServerHello's legacy_session_id_echo (the
 * wasmtls client's own session id, or the client would stop right there).
 */
export function opensslCapture(name: string, sessionId?: Uint8Array): Capture {
  const h = openssl.handshakes.find((x) => x.name === name);
  if (h === undefined) throw new Error(`no openssl capture ${name}`);
  const reframe = (recs: readonly OpensslRecord[], patch: boolean) =>
    recs.map((r) => {
      if (r.epoch !== 'plaintext') return trivialRecord(r.innerType as number, fromHex(r.inner as string));
      const bytes = fromHex(r.record);
      // ServerHello: 5 record header, 4 handshake header, 2 version, 32 random, then the session id.
      if (patch && sessionId !== undefined && bytes[0] === 22 && bytes[5] === 2 && bytes[5 + 4 + 34] === sessionId.length) bytes.set(sessionId, 5 + 4 + 35);
      return bytes;
    });
  return {
    name: `openssl ${name}`,
    fromClient: reframe(h.client.records as OpensslRecord[], false),
    fromServer: reframe(h.server.records as OpensslRecord[], true),
    clientMessages: h.client.messages.map((m) => fromHex(m.message)),
    serverMessages: h.server.messages.map((m) => fromHex(m.message)),
  };
}

export const OPENSSL_CAPTURES: readonly string[] = openssl.handshakes.map((h) => h.name);

/** Every handshake message of every capture, by handshake type. */
export function messagesByType(captures: readonly Capture[]): Map<number, Uint8Array[]> {
  const out = new Map<number, Uint8Array[]>();
  for (const c of captures) {
    for (const m of [...c.clientMessages, ...c.serverMessages]) {
      const list = out.get(m[0] as number) ?? [];
      list.push(m);
      out.set(m[0] as number, list);
    }
  }
  return out;
}

/** The legacy_session_id of a fresh client's ClientHello. */
export function clientSessionId(c: TlsConnection): Uint8Array {
  const ch = splitRecords(concatBytes(c.takeOutput()))[0]?.fragment as Uint8Array;
  return ch.slice(4 + 35, 4 + 35 + (ch[4 + 34] as number));
}
