// Structured fuzzing of the server's ClientHello handling (issue 6): fast-check
// builds ClientHellos field by field (versions, suites, groups, key shares of
// every length, signature schemes, ALPN, SNI, PSK, cookie, early_data,
// unknown extensions, in any order), the codec encodes them, and a server on
// the trivial provider receives them, sometimes followed by a second
// ClientHello after its HelloRetryRequest. Byte mutation rarely produces a
// well-formed ClientHello that is wrong in meaning; this does.
//
// Properties: those of engines.node.test.ts (only TlsError, within a second,
// consistent state), and an oracle for acceptance: when the server answers
// with a ServerHello, the ClientHello met every requirement RFC 8446 puts on
// it (TLS 1.3 offered, compression [0], a common suite, a signature scheme
// for the key, supported_groups with every key share's group in it and no
// group shared twice, a share of the right size for the chosen group, ALPN
// overlap when offered, psk_key_exchange_modes with pre_shared_key, no
// cookie unasked).
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { TlsError } from '../../src/errors.js';
import { type ClientHello, type ClientHelloExtension, encodeHandshake, findExtension } from '../../src/wire/index.js';
import { MAX_CALL_MS, params, recordOf, runs, timed, trivialServer } from '../helpers/fuzz.js';
import { concatBytes } from '../helpers/tls-pair.js';
import { splitRecords } from '../helpers/vec.js';

const X25519 = 0x1d;
const P256 = 0x17;
const SERVER_SUITES = [0x1301, 0x1302, 0x1303];
const SERVER_SCHEME = 0x0403; // the p256 identity's key
const utf8 = (s: string) => new TextEncoder().encode(s);

const group = fc.constantFrom(X25519, P256, 0x18, 0x1e, 0x0100, 0xfafa);
const share = fc.record({
  group,
  keyExchange: fc.oneof(
    fc.constantFrom(32, 65, 31, 33, 64, 1).map((n) => new Uint8Array(n).fill(n === 65 ? 4 : 9).map((b, i) => (i === 0 && n === 65 ? 4 : b))),
    fc.uint8Array({ minLength: 1, maxLength: 80 }),
  ),
});

const extension: fc.Arbitrary<ClientHelloExtension> = fc.oneof(
  fc.record({ type: fc.constant('supported_versions' as const), versions: fc.array(fc.constantFrom(0x0304, 0x0303, 0x0302, 0x7f1c, 0x0a0a), { minLength: 1, maxLength: 4 }) }),
  fc.record({ type: fc.constant('supported_groups' as const), groups: fc.array(group, { minLength: 1, maxLength: 4 }) }),
  fc.record({ type: fc.constant('key_share' as const), shares: fc.array(share, { maxLength: 3 }) }),
  fc.record({ type: fc.constant('signature_algorithms' as const), schemes: fc.array(fc.constantFrom(0x0403, 0x0804, 0x0807, 0x0401, 0x0503, 0x0201), { minLength: 1, maxLength: 4 }) }),
  fc.record({ type: fc.constant('server_name' as const), serverNames: fc.array(fc.record({ nameType: fc.constantFrom(0, 0, 1), name: fc.constantFrom('localhost', 'a', 'x.example').map(utf8) }), { minLength: 1, maxLength: 2 }) }),
  fc.record({ type: fc.constant('application_layer_protocol_negotiation' as const), protocols: fc.array(fc.constantFrom('h2', 'http/1.1', 'x').map(utf8), { minLength: 1, maxLength: 3 }) }),
  fc.record({ type: fc.constant('psk_key_exchange_modes' as const), modes: fc.array(fc.constantFrom(0, 1, 7), { minLength: 1, maxLength: 2 }) }),
  fc.record({ type: fc.constant('cookie' as const), cookie: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.constant({ type: 'early_data' as const }),
  fc.constant({ type: 'post_handshake_auth' as const }),
  fc.record({ type: fc.constant('record_size_limit' as const), limit: fc.constantFrom(64, 16385, 0x4000) }),
  fc.record({ type: fc.constant('raw' as const), code: fc.constantFrom(0x0a0a, 21, 5, 0xff01, 0x3374, 0xfe0d), data: fc.uint8Array({ maxLength: 8 }) }),
);
const psk = fc.integer({ min: 1, max: 2 }).chain((n) =>
  fc.record({
    type: fc.constant('pre_shared_key' as const),
    identities: fc.array(fc.record({ identity: fc.uint8Array({ minLength: 1, maxLength: 8 }), obfuscatedTicketAge: fc.nat() }), { minLength: n, maxLength: n }),
    binders: fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { minLength: n, maxLength: n }),
  }),
);
const usually = fc.oneof({ weight: 8, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });
const BASE: readonly ClientHelloExtension[] = [
  { type: 'supported_versions', versions: [0x0304] },
  { type: 'supported_groups', groups: [X25519, P256] },
  { type: 'key_share', shares: [{ group: X25519, keyExchange: new Uint8Array(32).fill(9) }] },
  { type: 'signature_algorithms', schemes: [0x0403, 0x0804] },
];

/** A ClientHello near a real one: the usual extensions, each possibly replaced, dropped or joined by others, in any order. */
const clientHello: fc.Arbitrary<ClientHello> = fc
  .record({
    legacyVersion: fc.oneof({ weight: 4, arbitrary: fc.constant(0x0303) }, { weight: 1, arbitrary: fc.constantFrom(0x0301, 0x0304) }),
    random: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    legacySessionId: fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 32 })),
    cipherSuites: fc.array(fc.constantFrom(0x1301, 0x1302, 0x1303, 0x1304, 0x1305, 0x00ff, 0xc02f), { minLength: 1, maxLength: 4 }),
    legacyCompressionMethods: fc.oneof({ weight: 6, arbitrary: fc.constant<number[]>([0]) }, { weight: 1, arbitrary: fc.array(fc.constantFrom(0, 1), { minLength: 1, maxLength: 2 }) }),
    base: fc.tuple(usually, usually, usually, usually).map((keep) => BASE.filter((_, i) => keep[i])),
    more: fc.array(extension, { maxLength: 3 }),
    baseWins: fc.boolean(),
    order: fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
    psk: fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: psk }),
  })
  .map(({ base, more, baseWins, order, psk: p, ...fields }) => {
    // One extension per type (the codec refuses duplicates; byte fuzzing covers those).
    const byType = new Map<string, ClientHelloExtension>();
    for (const e of baseWins ? [...base, ...more] : [...more, ...base]) {
      const key = e.type === 'raw' ? `raw${e.code}` : e.type;
      if (!byType.has(key)) byType.set(key, e);
    }
    const extensions = [...byType.values()];
    for (let i = extensions.length - 1; i > 0; i--) {
      const j = (order[i] as number) % (i + 1);
      [extensions[i], extensions[j]] = [extensions[j] as ClientHelloExtension, extensions[i] as ClientHelloExtension];
    }
    if (p !== null) extensions.push(p);
    return { type: 'client_hello' as const, ...fields, extensions };
  });

/** The oracle: what must hold of a ClientHello the server answered with a ServerHello or HelloRetryRequest. */
function requirements(ch: ClientHello, answer: 'server_hello' | 'hello_retry_request'): string[] {
  const broken: string[] = [];
  const sv = findExtension(ch.extensions, 'supported_versions');
  if (sv === undefined || !sv.versions.includes(0x0304)) broken.push('TLS 1.3 not offered');
  if (ch.legacyCompressionMethods.join() !== '0') broken.push('compression methods other than [0]');
  if (!ch.cipherSuites.some((s) => SERVER_SUITES.includes(s))) broken.push('no common suite');
  if (!(findExtension(ch.extensions, 'signature_algorithms')?.schemes.includes(SERVER_SCHEME) ?? false)) broken.push('no usable signature scheme');
  const groups = findExtension(ch.extensions, 'supported_groups')?.groups;
  const shares = findExtension(ch.extensions, 'key_share')?.shares;
  if (groups === undefined || shares === undefined) broken.push('supported_groups or key_share missing');
  else {
    if (shares.some((s) => !groups.includes(s.group))) broken.push('a key share outside supported_groups');
    if (new Set(shares.map((s) => s.group)).size !== shares.length) broken.push('two shares for one group');
    const chosen = [X25519, P256].find((g) => shares.some((s) => s.group === g));
    if (answer === 'server_hello') {
      if (chosen === undefined) broken.push('ServerHello without a usable share');
      else {
        const ks = shares.find((s) => s.group === chosen)?.keyExchange as Uint8Array;
        if (ks.length !== (chosen === X25519 ? 32 : 65) || (chosen === P256 && ks[0] !== 4)) broken.push('a share of the wrong form for the chosen group');
      }
    } else if (chosen !== undefined) broken.push('HelloRetryRequest although a usable share was sent');
    else if (![X25519, P256].some((g) => groups.includes(g))) broken.push('HelloRetryRequest for a group the client does not support');
  }
  const alpn = findExtension(ch.extensions, 'application_layer_protocol_negotiation');
  if (alpn !== undefined && !alpn.protocols.some((p) => new TextDecoder().decode(p) === 'h2')) broken.push('no ALPN overlap');
  if (findExtension(ch.extensions, 'pre_shared_key') !== undefined && findExtension(ch.extensions, 'psk_key_exchange_modes') === undefined) broken.push('pre_shared_key without psk_key_exchange_modes');
  if (findExtension(ch.extensions, 'cookie') !== undefined) broken.push('a cookie in the first ClientHello');
  return broken;
}

describe('the server on generated ClientHellos (trivial provider)', () => {
  test('the oracle passes a good ClientHello and names what is wrong with bad ones', () => {
    const good: ClientHello = {
      type: 'client_hello',
      legacyVersion: 0x0303,
      random: new Uint8Array(32),
      legacySessionId: new Uint8Array(0),
      cipherSuites: [0x1301],
      legacyCompressionMethods: [0],
      extensions: [...BASE],
    };
    expect(requirements(good, 'server_hello')).toEqual([]);
    expect(requirements({ ...good, legacyCompressionMethods: [1, 0] }, 'server_hello')).toEqual(['compression methods other than [0]']);
    expect(requirements({ ...good, cipherSuites: [0x1304] }, 'server_hello')).toEqual(['no common suite']);
    expect(requirements(good, 'hello_retry_request')).toEqual(['HelloRetryRequest although a usable share was sent']);
    expect(requirements({ ...good, extensions: good.extensions.filter((e) => e.type !== 'supported_versions') }, 'server_hello')).toEqual(['TLS 1.3 not offered']);
  });
  const outcomes = new Map<string, number>();
  const base = 500;
  test(`ClientHello, and the second one after a HelloRetryRequest (${runs(base)} runs)`, () => {
    fc.assert(
      fc.property(clientHello, clientHello, fc.boolean(), (ch1, ch2Fresh, keepSecond) => {
        let bytes: Uint8Array;
        try {
          bytes = encodeHandshake(ch1);
        } catch {
          return; // the codec refuses to write it (a vector out of bounds): nothing to send
        }
        const server = trivialServer();
        const errors: unknown[] = [];
        server.on('error', (e) => errors.push(e));
        const call = (f: () => void) => {
          const { thrown, ms } = timed(f);
          if (thrown !== undefined) throw new Error(`the server threw ${String(thrown)}`, { cause: thrown });
          expect(ms).toBeLessThan(MAX_CALL_MS);
        };
        call(() => server.receive(recordOf(22, bytes, 0x0301)));
        const out = splitRecords(concatBytes(server.takeOutput()));
        const first = out[0];
        const answer = first?.type === 22 && first.fragment[0] === 2 ? (first.fragment[4 + 2] === 0xcf && first.fragment[4 + 3] === 0x21 ? 'hello_retry_request' : 'server_hello') : undefined;
        if (answer !== undefined) {
          expect(requirements(ch1, answer), `accepted: ${JSON.stringify(ch1, (_k, v) => (v instanceof Uint8Array ? Array.from(v) : v))}`).toEqual([]);
        } else {
          expect(errors.length).toBe(1);
        }
        if (answer === 'hello_retry_request') {
          // The second ClientHello: the first with the requested share (or a fresh one, mostly refused).
          const hrrGroup = (first?.fragment ?? new Uint8Array(0)).slice(-8);
          const g = hrrGroup[hrrGroup.indexOf(0x33) + 4] === 0x17 ? P256 : X25519;
          const ch2: ClientHello = keepSecond
            ? { ...ch1, extensions: ch1.extensions.map((e) => (e.type === 'key_share' ? { type: 'key_share', shares: [{ group: g, keyExchange: new Uint8Array(g === P256 ? 65 : 32).fill(4) }] } : e)) }
            : ch2Fresh;
          let b2: Uint8Array | undefined;
          try {
            b2 = encodeHandshake(ch2);
          } catch {
            b2 = undefined;
          }
          if (b2 !== undefined) {
            const second = b2;
            call(() => server.receive(recordOf(22, second)));
          }
        }
        call(() => server.transportClosed());
        expect(errors.length).toBeLessThanOrEqual(1);
        const e = errors[0];
        if (e !== undefined) {
          expect(e).toBeInstanceOf(TlsError);
          expect((e as TlsError).alert, (e as TlsError).message).not.toBe('internal_error');
        }
        const key = `${answer ?? 'refused'} → ${e === undefined ? server.stateName : (e as TlsError).alert}`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      }),
      params(base, 77),
    );
    // The generator reaches acceptance, HelloRetryRequest and refusals alike.
    const keys = [...outcomes.keys()];
    expect(keys.some((k) => k.startsWith('server_hello'))).toBe(true);
    expect(keys.some((k) => k.startsWith('hello_retry_request'))).toBe(true);
    expect(keys.some((k) => k.startsWith('refused'))).toBe(true);
    console.log(`generated ClientHellos: ${JSON.stringify(Object.fromEntries([...outcomes].sort((a, b) => b[1] - a[1])))}`);
  });
});
