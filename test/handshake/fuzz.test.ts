// Bounded mutation fuzzing of both engines (issue 6): a real handshake with
// the trivial provider is captured, then each side is fed mutated copies of
// the other side's records (bytes flipped, inserted, deleted, records
// duplicated, dropped, truncated, split). The only failure allowed is a
// TlsError through the `error` event; receive() never throws; no input takes
// more than a second; the engine ends either connected, still waiting, or
// Failed with exactly one error.
import { describe, expect, test } from 'vitest';
import { TlsClient, type TlsConnection, TlsServer } from '../../src/engine.js';
import { TlsError } from '../../src/errors.js';
import { unsafeTrivialProvider } from '../helpers/trivial-provider.js';
import { concatBytes, IDENTITIES } from '../helpers/tls-pair.js';
import { splitRecords } from '../helpers/vec.js';
import { AT } from '../helpers/x509-fixtures.js';

/** 400 per side in the suite; set FUZZ_ITERATIONS for a longer run (Node). */
const ITERATIONS = Number((globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.FUZZ_ITERATIONS ?? 400);
const id = IDENTITIES.p256;

function client(): TlsClient {
  return new TlsClient({ serverName: id.serverName, ca: id.ca, now: AT, provider: unsafeTrivialProvider(), alpn: ['h2'] });
}

function server(): TlsServer {
  return new TlsServer({ cert: id.cert, key: id.key, provider: unsafeTrivialProvider(), alpn: ['h2'] });
}

/** The records each side sends in a clean handshake plus one data exchange and close. */
function capture(): { fromClient: Uint8Array[]; fromServer: Uint8Array[] } {
  const c = client();
  const s = server();
  const fromClient: Uint8Array[] = [];
  const fromServer: Uint8Array[] = [];
  const move = () => {
    for (let i = 0; i < 10; i++) {
      const a = c.takeOutput();
      const b = s.takeOutput();
      if (a.length + b.length === 0) return;
      for (const o of a) {
        fromClient.push(...splitRecords(o).map((r) => recordBytes(r)));
        s.receive(o);
      }
      for (const o of b) {
        fromServer.push(...splitRecords(o).map((r) => recordBytes(r)));
        c.receive(o);
      }
    }
  };
  move();
  expect(c.connected && s.connected).toBe(true);
  c.write(new TextEncoder().encode('hello'));
  s.write(new TextEncoder().encode('world'));
  c.keyUpdate(true);
  move();
  c.close();
  s.close();
  move();
  return { fromClient, fromServer };
}

function recordBytes(r: { type: number; version: number; fragment: Uint8Array }): Uint8Array {
  return concatBytes([Uint8Array.of(r.type, r.version >> 8, r.version & 0xff, r.fragment.length >> 8, r.fragment.length & 0xff), r.fragment]);
}

/** xorshift32. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

function mutate(records: readonly Uint8Array[], next: () => number): Uint8Array[] {
  const out: Uint8Array[] = records.map((r) => r.slice());
  const edits = 1 + (next() % 4);
  for (let e = 0; e < edits; e++) {
    const i = next() % out.length;
    const r = out[i] as Uint8Array;
    switch (next() % 8) {
      case 0: // flip bits anywhere, header included
      case 1: {
        const at = next() % r.length;
        r[at] = (r[at] as number) ^ (1 << next() % 8);
        break;
      }
      case 2: // random byte in the body
        if (r.length > 5) r[5 + (next() % (r.length - 5))] = next() & 0xff;
        break;
      case 3: // truncate
        out[i] = r.subarray(0, next() % r.length);
        break;
      case 4: // duplicate
        out.splice(i, 0, r.slice());
        break;
      case 5: // drop
        if (out.length > 1) out.splice(i, 1);
        break;
      case 6: // insert random bytes
        out.splice(i, 0, Uint8Array.from({ length: 1 + (next() % 40) }, () => next() & 0xff));
        break;
      default: {
        // set a length byte of the record header to something odd
        r[3 + (next() % 2)] = next() & 0xff;
      }
    }
  }
  return out;
}

function feed(victim: TlsConnection, records: readonly Uint8Array[], next: () => number): { errors: unknown[]; ms: number } {
  const errors: unknown[] = [];
  victim.on('error', (e) => errors.push(e));
  const bytes = concatBytes([...records]);
  const t0 = performance.now();
  // Deliver in random transport chunks.
  for (let at = 0; at < bytes.length; ) {
    const n = 1 + (next() % 300);
    victim.receive(bytes.subarray(at, at + n));
    victim.takeOutput();
    at += n;
  }
  victim.transportClosed();
  return { errors, ms: performance.now() - t0 };
}

describe('mutation fuzzing with the trivial provider', () => {
  const { fromClient, fromServer } = capture();

  test('the capture replays cleanly', () => {
    const c = client();
    c.takeOutput();
    const r = feed(c, fromServer, rng(1));
    expect(r.errors).toEqual([]);
    expect(c.readClosed).toBe(true);
  });

  for (const [side, make, input] of [
    ['client', () => { const c = client(); c.takeOutput(); return c; }, fromServer],
    ['server', server, fromClient],
  ] as const) {
    test(`${side}: ${ITERATIONS} mutated peer streams`, () => {
      const next = rng(side === 'client' ? 0xc0ffee : 0xbadbeef);
      const alerts = new Map<string, number>();
      let slowest = 0;
      for (let i = 0; i < ITERATIONS; i++) {
        const victim = make();
        let r: { errors: unknown[]; ms: number };
        try {
          r = feed(victim, mutate(input, next), next);
        } catch (e) {
          throw new Error(`iteration ${i}: receive() threw ${String(e)}`);
        }
        slowest = Math.max(slowest, r.ms);
        expect(r.ms).toBeLessThan(1000);
        expect(r.errors.length).toBeLessThanOrEqual(1);
        for (const e of r.errors) {
          expect(e).toBeInstanceOf(TlsError);
          const t = e as TlsError;
          // A bug would surface as internal_error: the engine must classify every bad input.
          expect(t.alert, t.message).not.toBe('internal_error');
          alerts.set(t.alert, (alerts.get(t.alert) ?? 0) + 1);
        }
        expect(victim.stateName === 'Failed').toBe(r.errors.length === 1);
      }
      console.log(`${side}: ${ITERATIONS} mutated streams, slowest ${slowest.toFixed(1)} ms, alerts ${JSON.stringify(Object.fromEntries(alerts))}`);
    });
  }
});
