// Fuzzing the TLS 1.2 parts (issue 12) with fast-check and the trivial
// provider (test/helpers/trivial-provider.ts): the new decoders
// (ServerKeyExchange, ClientKeyExchange, ServerHelloDone, HelloRequest, the
// TLS 1.2 Certificate and NewSessionTicket, the TLS 1.2 hello extensions)
// and the TLS 1.2 client and server states, fed a captured wasmtls TLS 1.2
// exchange with record-level and byte-level mutations and random message
// sequences mixed with ChangeCipherSpec.
//
// Properties: decoders return or throw TlsError and re-encode what they
// decode byte for byte; engines never throw, never take a second per call,
// report at most one error, a TlsError that is never a local internal_error,
// and fire `handshake` at most once, before any data.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { TlsClient, type TlsConnection, TlsServer } from '../../src/engine.js';
import { TlsError } from '../../src/errors.js';
import { checkEcPointFormats, hasExtendedMasterSecret, readRenegotiationInfo } from '../../src/wire/extensions/tls12.js';
import { decodeHandshake, encodeHandshake, parseHandshakeFrame } from '../../src/wire/handshake.js';
import { MAX_CALL_MS, mutated, params, recordOf, recordsOf, runs, timed } from '../helpers/fuzz.js';
import { concatBytes, IDENTITIES } from '../helpers/tls-pair.js';
import { unsafeTrivialProvider } from '../helpers/trivial-provider.js';
import { splitRecords } from '../helpers/vec.js';
import { AT } from '../helpers/x509-fixtures.js';

const id = IDENTITIES.p256;
const client12 = () => new TlsClient({ serverName: id.serverName, ca: id.ca, now: AT, provider: unsafeTrivialProvider(), maxVersion: 'TLSv1.2', alpn: ['h2', 'http/1.1'] });
const server12 = () => new TlsServer({ cert: id.cert, key: id.key, provider: unsafeTrivialProvider(), alpn: ['h2'] });

/** A TLS 1.2 exchange under the trivial provider: handshake, data both ways, close_notify both ways. */
function capture(): { fromClient: Uint8Array[]; fromServer: Uint8Array[]; messages: Uint8Array[] } {
  const messages: Uint8Array[] = [];
  const c = new TlsClient({
    serverName: id.serverName, ca: id.ca, now: AT, provider: unsafeTrivialProvider(), maxVersion: 'TLSv1.2', alpn: ['h2', 'http/1.1'],
    trace: (e) => e.kind === 'handshake' && messages.push(e.bytes),
  });
  const s = server12();
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
  if (c.handshakeInfo?.version !== 'TLSv1.2' || !s.connected) throw new Error(`TLS 1.2 capture did not connect: ${c.error?.message ?? s.error?.message}`);
  c.write(new TextEncoder().encode('hello'));
  s.write(new TextEncoder().encode('world'));
  move();
  c.close();
  s.close();
  move();
  return { fromClient, fromServer, messages };
}

const cap = capture();

/** A record protected by the trivial provider under a GCM suite: 8-byte explicit nonce, content, 16 zero bytes. */
const trivial12 = (type: number, content: Uint8Array) => recordOf(type, concatBytes([new Uint8Array(8), content, new Uint8Array(16)]));

describe('TLS 1.2 decoders', () => {
  const seeds = cap.messages;
  test('the capture has every TLS 1.2 message', () => {
    expect(new Set(seeds.map((m) => m[0]))).toEqual(new Set([1, 2, 11, 12, 14, 16, 20]));
  });
  test(`handshake messages in their TLS 1.2 forms (${runs(3000)} runs)`, () => {
    const extra = [Uint8Array.of(0, 0, 0, 0), Uint8Array.of(4, 0, 0, 8, 0, 0, 0, 60, 0, 2, 1, 2)];
    fc.assert(
      fc.property(fc.constantFrom(...seeds, ...extra).chain((m) => fc.oneof(fc.constant(m), mutated(m))), (bytes) => {
        let frame;
        try {
          frame = parseHandshakeFrame(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(TlsError);
          return;
        }
        const { thrown, ms } = timed(() => {
          const m = decodeHandshake(frame, { hashLength: 12, tls12: true });
          // What decodes re-encodes byte for byte (ClientHello and ServerHello keep unknown extensions raw).
          if (m.type !== 'new_session_ticket') expect(encodeHandshake(m)).toEqual(bytes);
        });
        expect(ms).toBeLessThan(MAX_CALL_MS);
        if (thrown !== undefined) expect(thrown, String(thrown)).toBeInstanceOf(TlsError);
      }),
      params(3000, 1201),
    );
  });
  test(`renegotiation_info, extended_master_secret, ec_point_formats bodies (${runs(2000)} runs)`, () => {
    fc.assert(
      fc.property(fc.constantFrom(0xff01, 23, 11), fc.uint8Array({ maxLength: 12 }), (code, data) => {
        const list = [{ type: 'raw', code, data }];
        for (const f of [() => readRenegotiationInfo(list, 'X'), () => hasExtendedMasterSecret(list, 'X'), () => checkEcPointFormats(list, 'X')]) {
          try {
            f();
          } catch (e) {
            expect(e).toBeInstanceOf(TlsError);
          }
        }
      }),
      params(2000, 1202),
    );
  });
});

// ---- the engines ------------------------------------------------------------------

function feed(v: TlsConnection, records: readonly Uint8Array[], cuts: readonly number[]): unknown[] {
  const errors: unknown[] = [];
  let handshakes = 0;
  let dataBeforeHandshake = false;
  v.on('error', (e) => errors.push(e));
  v.on('handshake', () => handshakes++);
  v.on('data', () => {
    if (handshakes === 0) dataBeforeHandshake = true;
  });
  const bytes = concatBytes([...records]);
  const step = (f: () => void) => {
    const wasFailed = v.stateName === 'Failed';
    const { thrown, ms } = timed(f);
    if (thrown !== undefined) throw new Error(`the engine threw ${thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown)}`, { cause: thrown });
    expect(ms).toBeLessThan(MAX_CALL_MS);
    const out = v.takeOutput();
    if (wasFailed) expect(out).toEqual([]);
    expect(v.stateName === 'Failed').toBe(errors.length > 0);
  };
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = cuts[i % cuts.length] as number;
    step(() => v.receive(bytes.subarray(at, at + n)));
    at += n;
  }
  step(() => v.transportClosed());
  expect(errors.length).toBeLessThanOrEqual(1);
  const e = errors[0];
  if (e !== undefined) {
    expect(e).toBeInstanceOf(TlsError);
    if ((e as TlsError).side === 'local') expect((e as TlsError).alert, (e as TlsError).message).not.toBe('internal_error');
  }
  expect(handshakes).toBeLessThanOrEqual(1);
  expect(dataBeforeHandshake).toBe(false);
  return errors;
}

type RecordOp = (recs: Uint8Array[]) => Uint8Array[];
const recordOp = (seed: readonly Uint8Array[]): fc.Arbitrary<RecordOp> =>
  fc.oneof(
    fc.nat({ max: seed.length - 1 }).chain((k) => mutated(seed[k] as Uint8Array).map((m): RecordOp => (recs) => recs.map((r, j) => (j === k ? m : r)))),
    fc.nat().map((i): RecordOp => (recs) => [...recs.slice(0, (i % recs.length) + 1), ...recs.slice(i % recs.length)]),
    fc.nat().map((i): RecordOp => (recs) => recs.filter((_, j) => j !== i % recs.length)),
    fc.tuple(fc.nat(), fc.nat()).map(([i, j]): RecordOp => (recs) => {
      const out = recs.slice();
      const a = i % out.length;
      const b = j % out.length;
      [out[a], out[b]] = [out[b] as Uint8Array, out[a] as Uint8Array];
      return out;
    }),
    fc.tuple(fc.nat(), fc.constantFrom(recordOf(20, Uint8Array.of(1)), recordOf(21, Uint8Array.of(1, 100)))).map(([i, r]): RecordOp => (recs) => [...recs.slice(0, i % (recs.length + 1)), r, ...recs.slice(i % (recs.length + 1))]),
  );

const anyRecord: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...cap.messages).chain((m) => fc.oneof(fc.constant(m), mutated(m))), fc.boolean()).map(([m, prot]) => (prot ? trivial12(22, m) : recordOf(22, m))) },
  { weight: 2, arbitrary: fc.constant(recordOf(20, Uint8Array.of(1))) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }).map((d) => trivial12(23, d)) },
);
const chunks = fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 12 });

describe('TLS 1.2 engines under mutated and random input (trivial provider)', () => {
  test('the capture replays cleanly into both sides', () => {
    expect(feed(client12().on('error', () => {}), cap.fromServer, [1 << 20])).toEqual([]);
    expect(feed(server12(), cap.fromClient, [1 << 20])).toEqual([]);
  });
  for (const [side, records, make] of [
    ['client', cap.fromServer, () => { const c = client12(); c.takeOutput(); return c; }],
    ['server', cap.fromClient, server12],
  ] as const) {
    test(`${side}: mutated stream (${runs(300)} runs)`, () => {
      fc.assert(
        fc.property(fc.array(recordOp(records), { minLength: 1, maxLength: 5 }), chunks, (ops, cuts) => {
          const recs = ops.reduce((r, op) => (r.length === 0 ? r : op(r)), [...records]);
          feed(make(), recs, cuts);
        }),
        params(300, side === 'client' ? 1203 : 1204),
      );
    });
    test(`${side}: random message sequences (${runs(300)} runs)`, () => {
      fc.assert(
        fc.property(fc.boolean(), fc.array(anyRecord, { minLength: 1, maxLength: 10 }), chunks, (lead, rest, cuts) => {
          feed(make(), lead ? [records[0] as Uint8Array, ...rest] : rest, cuts);
        }),
        params(300, side === 'client' ? 1205 : 1206),
      );
    });
  }
  test('splitRecords sees the capture as TLS 1.2 records', () => {
    expect(splitRecords(concatBytes(cap.fromServer)).map((r) => r.type)).toContain(20);
  });
});
