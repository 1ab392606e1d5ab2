// Shared harness for the hostile-input tests (issue 6, test/hostile/ and
// test/handshake/states.test.ts): engine pairs with test hooks, a watch on
// every call into an engine (time taken, exceptions escaping), and the one
// verdict every bad input must reach: the named alert, sent to the peer, the
// engine closed, within a second, with nothing but TlsError ever raised.
import { expect } from 'vitest';
import { type TlsClientOptions, type TlsConnection, TlsServer, type TlsServerOptions } from '../../src/engine.js';
import { TlsError } from '../../src/errors.js';
import { TEST_HOOKS, type TestHooks } from '../../src/handshake/common.js';
import { hkdfExpandLabel } from '../../src/keyschedule.js';
import { SHA256 } from '../../src/provider-wasm.js';
import type { CryptoProvider } from '../../src/provider.js';
import { fromHex, toHex, utf8 } from './hex.js';
import { PROVIDERS } from './providers.js';
import { concatBytes, type Identity, IDENTITIES, pair, type Recorder, record } from './tls-pair.js';
import { splitRecords } from './vec.js';

export { PROVIDERS };

/** The slowest an engine may take to refuse bad input. */
export const MAX_REFUSAL_MS = 1000;

/** What {@link watch} saw of the calls into one engine. */
interface Watch {
  /** Duration of the call during which the engine failed. */
  failMs: number | undefined;
  /** Anything thrown out of receive/write/close/transportClosed/takeOutput. */
  thrown: unknown[];
}

const WATCHES = new WeakMap<TlsConnection, Watch>();

/**
 * Wraps the engine's entry points on this instance: each call is timed and
 * anything it throws is recorded (and rethrown). Call before feeding input.
 */
export function watch(c: TlsConnection): void {
  if (WATCHES.has(c)) return;
  const w: Watch = { failMs: undefined, thrown: [] };
  WATCHES.set(c, w);
  for (const name of ['receive', 'write', 'close', 'transportClosed', 'takeOutput', 'keyUpdate'] as const) {
    const original = c[name] as (...a: unknown[]) => unknown;
    Object.defineProperty(c, name, {
      configurable: true,
      value: (...args: unknown[]) => {
        const before = c.stateName;
        const t0 = performance.now();
        try {
          return original.apply(c, args);
        } catch (e) {
          w.thrown.push(e);
          throw e;
        } finally {
          if (before !== 'Failed' && c.stateName === 'Failed') w.failMs = performance.now() - t0;
        }
      },
    });
  }
}

export function hooked<T extends object>(options: T, hooks: TestHooks | undefined): T {
  return hooks === undefined ? options : ({ ...options, [TEST_HOOKS]: hooks } as T);
}

/** A watched pair (see {@link pair}). */
export function watchedPair(id: Identity, client: Partial<TlsClientOptions> = {}, server: Partial<TlsServerOptions> = {}): ReturnType<typeof pair> {
  const p = pair(id, client, server);
  watch(p.client);
  watch(p.server);
  return p;
}

/** A watched server for the p256 identity and its recorder. */
export function watchedServer(provider: CryptoProvider): { server: TlsServer; r: Recorder } {
  const server = new TlsServer({ cert: IDENTITIES.p256.cert, key: IDENTITIES.p256.key, provider });
  const r = record(server);
  watch(server);
  return { server, r };
}

export interface Run {
  p: ReturnType<typeof pair>;
  keys: Map<string, Uint8Array>;
}

export type RunOptions = { id?: Identity; client?: Partial<TlsClientOptions>; server?: Partial<TlsServerOptions>; clientHooks?: TestHooks; serverHooks?: TestHooks; piece?: number };

/** A handshake between the engines with optional hooks on either side; the client's key log is kept. */
export function run(provider: CryptoProvider, o: RunOptions = {}): Run {
  const keys = new Map<string, Uint8Array>();
  const p = watchedPair(
    o.id ?? IDENTITIES.p256,
    hooked({ provider, keylog: (l: string) => keys.set(l.split(' ')[0] as string, fromHex(l.split(' ')[2] as string)), ...o.client }, o.clientHooks),
    hooked({ provider, ...o.server }, o.serverHooks),
  );
  p.pump(o.piece ?? 0);
  return { p, keys };
}

/**
 * The endpoint failed locally with `alert` within {@link MAX_REFUSAL_MS}, the
 * peer got the alert (or, without a peer, it is the last record queued), no
 * exception escaped, and the engine stays closed: input is ignored and
 * nothing more is sent.
 */
export function expectFailed(victim: TlsConnection, v: Recorder, alert: string, peer?: Recorder): void {
  expect(v.errors.map((e) => `${e.alert} ${e.side}`), v.errors[0]?.message).toEqual([`${alert} local`]);
  expect(v.errors[0]).toBeInstanceOf(TlsError);
  expect(victim.stateName).toBe('Failed');
  expect(victim.error).toBe(v.errors[0]);
  expect(victim.connected).toBe(false);
  expect(victim.writeClosed).toBe(true);
  const w = WATCHES.get(victim);
  expect(w, 'the victim must be watched (watch(), run(), watchedPair(), watchedServer())').toBeDefined();
  expect(w?.thrown).toEqual([]);
  expect(w?.failMs).toBeDefined();
  expect(w?.failMs as number).toBeLessThan(MAX_REFUSAL_MS);
  if (peer !== undefined) expect(peer.errors.map((e) => `${e.alert} ${e.side}`)).toEqual([`${alert} remote`]);
  else {
    // The alert is the last record queued: plaintext (21) or protected (23).
    const records = victim.takeOutput().flatMap((o) => splitRecords(o));
    const last = records[records.length - 1];
    expect([21, 23]).toContain(last?.type);
    if (last?.type === 21) expect(toHex(last.fragment)).toBe(toHex(Uint8Array.of(2, (v.errors[0] as TlsError).code)));
  }
  // Closed: input is ignored, nothing more is sent, no exception.
  victim.receive(fromHex('16030100040100ffff'));
  victim.write(utf8('ignored'));
  victim.close();
  expect(victim.takeOutput()).toEqual([]);
  expect(v.errors.length).toBe(1);
  expect(w?.thrown).toEqual([]);
}

export function plaintextRecord(type: number, body: Uint8Array, version = 0x0303): Uint8Array {
  return concatBytes([Uint8Array.of(type, version >> 8, version & 0xff, body.length >> 8, body.length & 0xff), body]);
}

/** A record protected with a traffic secret the test learned from the key log (AES-128-GCM-SHA256). */
export function forge(provider: CryptoProvider, secret: Uint8Array, seq: number, inner: Uint8Array): Uint8Array {
  const key = hkdfExpandLabel(SHA256, secret, 'key', new Uint8Array(0), 16);
  const iv = hkdfExpandLabel(SHA256, secret, 'iv', new Uint8Array(0), 12);
  for (let i = 0; i < 4; i++) iv[11 - i] = (iv[11 - i] as number) ^ ((seq >>> (8 * i)) & 0xff);
  const header = Uint8Array.of(23, 3, 3, (inner.length + 16) >> 8, (inner.length + 16) & 0xff);
  return concatBytes([header, provider.aead(0x1301, key).seal(iv, inner, header)]);
}

/** The record stream of a fresh client's first flight. */
export function encodeFirstFlight(provider: CryptoProvider): Uint8Array {
  const q = pair(IDENTITIES.p256, { provider }, { provider });
  return concatBytes(q.client.takeOutput());
}
