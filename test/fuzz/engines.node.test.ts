// Fuzzing the client and server engines with fast-check (issue 6). The
// trivial provider (test/helpers/trivial-provider.ts) lets mutated bytes past
// record protection and signatures, as rustls' fuzzers do, so they reach the
// handshake decoders and state machines. Seeds: wasmtls<->wasmtls exchanges
// captured here (plain and with HelloRetryRequest) and the openssl handshakes
// of test/vectors/openssl-handshakes.json, re-framed for the trivial provider.
//
// Two input shapes per side: the peer's record stream with record-level and
// byte-level mutations, and random sequences of real handshake messages
// (mutated or not) in plaintext or protected records, mixed with
// change_cipher_spec, alerts and application data. Each is delivered in
// random transport chunks, then the transport closes.
//
// Properties: no exception ever leaves the engine; no call takes a second;
// at most one error, always a TlsError and never internal_error; Failed iff
// an error; after the error nothing is sent but the alert; connected implies
// handshakeInfo; `handshake` fires at most once and before any `data`.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { TlsConnection } from '../../src/engine.js';
import { TlsError } from '../../src/errors.js';
import {
  type Capture,
  captureWasmtls,
  clientSessionId,
  MAX_CALL_MS,
  mutated,
  OPENSSL_CAPTURES,
  opensslCapture,
  params,
  recordOf,
  runs,
  timed,
  trivialClient,
  trivialInnerType,
  trivialRecord,
  trivialServer,
} from '../helpers/fuzz.js';
import { concatBytes } from '../helpers/tls-pair.js';
import { splitRecords } from '../helpers/vec.js';

const sessionId = clientSessionId(trivialClient());
const captures: Capture[] = [captureWasmtls(false), captureWasmtls(true), ...OPENSSL_CAPTURES.map((n) => opensslCapture(n, sessionId))];
const allMessages = captures.flatMap((c) => [...c.clientMessages, ...c.serverMessages]);

/** A fresh victim, its first flight taken. */
function victim(side: 'client' | 'server', capture: Capture): TlsConnection {
  if (side === 'client') {
    const c = trivialClient();
    c.takeOutput();
    return c;
  }
  return capture.name.includes('HRR') || capture.name.includes('hrr') ? trivialServer(['secp256r1']) : trivialServer();
}

// ---- inputs -------------------------------------------------------------------

type RecordOp = (recs: Uint8Array[]) => Uint8Array[];

const recordOp = (seed: readonly Uint8Array[]): fc.Arbitrary<RecordOp> => fc.oneof(
  // A byte-level mutation of one of the seed records (header included), put in its place.
  fc.nat({ max: seed.length - 1 }).chain((k) =>
    mutated(seed[k] as Uint8Array).map((m): RecordOp => (recs) => (k < recs.length ? recs.map((r, j) => (j === k ? m : r)) : [...recs, m])),
  ),
  fc.nat().map((i): RecordOp => (recs) => (recs.length === 0 ? recs : [...recs.slice(0, (i % recs.length) + 1), ...recs.slice(i % recs.length)])), // duplicate
  fc.nat().map((i): RecordOp => (recs) => recs.filter((_, j) => j !== i % Math.max(1, recs.length))), // drop
  fc.tuple(fc.nat(), fc.nat()).map(([i, j]): RecordOp => (recs) => {
    if (recs.length < 2) return recs;
    const out = recs.slice();
    const a = i % out.length;
    const b = j % out.length;
    [out[a], out[b]] = [out[b] as Uint8Array, out[a] as Uint8Array];
    return out;
  }), // reorder
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 60 })).map(([i, junk]): RecordOp => (recs) => [...recs.slice(0, i % (recs.length + 1)), junk, ...recs.slice(i % (recs.length + 1))]), // raw junk
  fc.tuple(fc.nat(), fc.nat()).map(([i, at]): RecordOp => (recs) => {
    // Split one plaintext record's fragment into two records.
    if (recs.length === 0) return recs;
    const k = i % recs.length;
    const r = recs[k] as Uint8Array;
    if (r.length < 7 || r[0] === 23) return recs;
    const frag = r.subarray(5);
    const cut = 1 + (at % (frag.length - 1));
    return [...recs.slice(0, k), recordOf(r[0] as number, frag.subarray(0, cut)), recordOf(r[0] as number, frag.subarray(cut)), ...recs.slice(k + 1)];
  }),
);

/** The peer's records with 1 to 5 record operations. */
const mutatedStream = (recs: readonly Uint8Array[]) => fc.array(recordOp(recs), { minLength: 1, maxLength: 5 }).map((ops) => ops.reduce((r, op) => op(r), [...recs]));

/** One record of a random sequence. */
const anyRecord: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...allMessages).chain((m) => fc.oneof(fc.constant(m), mutated(m))), fc.boolean()).map(([m, prot]) => (prot ? trivialRecord(22, m) : recordOf(22, m))) },
  { weight: 1, arbitrary: fc.constant(recordOf(20, Uint8Array.of(1))) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(1, 2), fc.integer({ min: 0, max: 255 }), fc.boolean()).map(([l, d, prot]) => (prot ? trivialRecord(21, Uint8Array.of(l, d)) : recordOf(21, Uint8Array.of(l, d)))) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }).map((d) => trivialRecord(23, d)) },
);

/** A random sequence that starts like a real handshake (so it gets past the first state) most of the time. */
const randomSequence = (capture: Capture, side: 'client' | 'server') => {
  const first = (side === 'client' ? capture.fromServer : capture.fromClient)[0] as Uint8Array;
  return fc.tuple(fc.boolean(), fc.array(anyRecord, { minLength: 1, maxLength: 10 })).map(([lead, rest]) => (lead ? [first, ...rest] : rest));
};

const chunks = fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 12 });

// ---- the properties -------------------------------------------------------------

interface Outcome {
  /** The last state before the end (the one that failed, or where input ran out). */
  reached: string;
  errors: unknown[];
  handshakes: number;
  dataBeforeHandshake: boolean;
}

function feed(v: TlsConnection, records: readonly Uint8Array[], cuts: readonly number[]): Outcome {
  const o: Outcome = { reached: v.stateName, errors: [], handshakes: 0, dataBeforeHandshake: false };
  v.on('error', (e) => o.errors.push(e));
  v.on('handshake', (info) => {
    o.handshakes++;
    expect(v.handshakeInfo).toBe(info);
  });
  v.on('data', () => {
    if (o.handshakes === 0) o.dataBeforeHandshake = true;
  });
  const bytes = concatBytes([...records]);
  let failedOutput: Uint8Array[] | undefined;
  const step = (f: () => void) => {
    const wasFailed = v.stateName === 'Failed';
    if (!wasFailed) o.reached = v.stateName;
    const { thrown, ms } = timed(f);
    if (thrown !== undefined) throw new Error(`the engine threw ${thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown)}`, { cause: thrown });
    expect(ms).toBeLessThan(MAX_CALL_MS);
    const out = v.takeOutput();
    if (wasFailed) expect(out, 'output after the error').toEqual([]);
    else if (v.stateName === 'Failed') failedOutput = out;
    // State consistency after every call.
    expect(v.stateName === 'Failed').toBe(o.errors.length > 0);
    if (v.connected) expect(v.handshakeInfo).toBeDefined();
  };
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = cuts[i % cuts.length] as number;
    const piece = bytes.subarray(at, at + n);
    step(() => v.receive(piece));
    at += n;
  }
  step(() => v.transportClosed());
  // Once failed: input is ignored and nothing is sent.
  step(() => v.receive(Uint8Array.of(22, 3, 3, 0, 4, 1, 0, 0, 0)));
  expect(o.errors.length).toBeLessThanOrEqual(1);
  const e = o.errors[0];
  if (e !== undefined) {
    expect(e).toBeInstanceOf(TlsError);
    const t = e as TlsError;
    // A bug would surface as our own internal_error: the engine must classify every bad input
    // (the peer's internal_error alert, side 'remote', is just input).
    if (t.side === 'local') expect(t.alert, t.message).not.toBe('internal_error');
    expect(v.error).toBe(t);
    expect(v.connected).toBe(false);
    // Nothing after the alert: the last record of the failing call is our alert (when we sent one).
    if (t.side === 'local' && t.alert !== 'close_notify' && failedOutput !== undefined && failedOutput.length > 0) {
      const recs = splitRecords(concatBytes(failedOutput));
      expect(trivialInnerType(recs[recs.length - 1] as { type: number; fragment: Uint8Array })).toBe(21);
    }
  }
  expect(o.handshakes).toBeLessThanOrEqual(1);
  expect(o.dataBeforeHandshake).toBe(false);
  return o;
}

const counts: Record<string, number> = {};
const alerts = new Map<string, number>();
const reached = new Map<string, number>();

describe('engines under mutated and random input (trivial provider)', () => {
  for (const capture of captures) {
    test(`${capture.name}: the capture replays cleanly into both sides`, () => {
      for (const side of ['client', 'server'] as const) {
        const v = victim(side, capture);
        const o = feed(v, side === 'client' ? capture.fromServer : capture.fromClient, [1 << 20]);
        // wasmtls captures complete; the openssl ones stop at Finished (their transcript is not ours).
        if (capture.name.startsWith('wasmtls')) {
          expect(o.errors.map(String)).toEqual([]);
          expect(v.readClosed).toBe(true);
        } else {
          expect((o.errors[0] as TlsError | undefined)?.alert).toBe('decrypt_error');
          expect(v.stateName).toBe('Failed');
        }
      }
    });
    for (const side of ['client', 'server'] as const) {
      const records = side === 'client' ? capture.fromServer : capture.fromClient;
      const base = capture.name.startsWith('wasmtls') ? 200 : 120;
      const seed = capture.name.length * 7 + (side === 'client' ? 1 : 2);
      for (const [kind, arb] of [
        ['mutated stream', mutatedStream(records)],
        ['random message sequence', randomSequence(capture, side)],
      ] as const) {
        const name = `${side} ← ${capture.name}: ${kind}`;
        counts[name] = runs(base);
        test(`${name} (${runs(base)} runs)`, () => {
          fc.assert(
            fc.property(arb, chunks, (recs, cuts) => {
              const o = feed(victim(side, capture), recs, cuts);
              for (const e of o.errors) alerts.set((e as TlsError).alert, (alerts.get((e as TlsError).alert) ?? 0) + 1);
              const where = `${side} ${o.reached}`;
              reached.set(where, (reached.get(where) ?? 0) + 1);
            }),
            params(base, seed + (kind === 'mutated stream' ? 0 : 100)),
          );
        });
      }
    }
  }
  test('iteration counts and alerts seen', () => {
    expect(Object.keys(counts).length).toBe(captures.length * 4);
    // The fuzzer reached the handshake states, not only the record layer.
    for (const a of ['decode_error', 'unexpected_message', 'illegal_parameter']) expect(alerts.get(a) ?? 0, a).toBeGreaterThan(0);
    // ... and every state of both sides, Connected included.
    for (const st of ['client ExpectServerHello', 'client ExpectEncryptedExtensions', 'client ExpectCertificateVerify', 'client ExpectFinished', 'client Connected', 'server ExpectClientHello', 'server ExpectFinished', 'server Connected']) {
      expect(reached.get(st) ?? 0, st).toBeGreaterThan(0);
    }
    console.log(`engine fuzz targets: ${Object.keys(counts).length}, runs ${JSON.stringify(counts)}, alerts ${JSON.stringify(Object.fromEntries(alerts))}, last state ${JSON.stringify(Object.fromEntries(reached))}`);
  });
});
