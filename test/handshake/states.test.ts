// The state machines under hostile input: every handshake message in every
// state where it is not expected (unexpected_message, and the engine stays
// closed), then issue 6's bad inputs, each with the alert it must produce.
import { describe, expect, test } from 'vitest';
import { type TlsClientOptions, type TlsConnection, TlsServer, type TlsServerOptions } from '../../src/engine.js';
import { TlsError } from '../../src/errors.js';
import { TEST_HOOKS, type TestHooks } from '../../src/handshake/common.js';
import { hkdfExpandLabel, SHA256 } from '../../src/keyschedule.js';
import type { CryptoProvider } from '../../src/provider.js';
import { wasmProvider } from '../../src/provider-wasm.js';
import {
  type ClientHello,
  ContentType,
  DOWNGRADE_TLS12,
  encodeHandshake,
  findExtension,
  frameHandshake,
  type HandshakeMessage,
  HandshakeType,
} from '../../src/wire/index.js';
import { fromHex, toHex, utf8 } from '../helpers/hex.js';
import { referenceProvider } from '../helpers/reference-provider.js';
import { concatBytes, type Identity, IDENTITIES, pair, type Recorder, record } from '../helpers/tls-pair.js';
import { splitRecords } from '../helpers/vec.js';
import { certPem, keyPem } from '../helpers/x509-fixtures.js';

const PROVIDERS = [wasmProvider, referenceProvider];
/** RSA cases need RSA-PSS in the provider (the WASM one gets it with the RSA merge). */
const hasRsa = (p: CryptoProvider) => p.verifySchemes.includes(0x0804);

// A ClientHello of the kind a real client sends, for the samples below.
const SAMPLE_CH: ClientHello = {
  type: 'client_hello',
  legacyVersion: 0x0303,
  random: new Uint8Array(32).fill(7),
  legacySessionId: new Uint8Array(0),
  cipherSuites: [0x1301],
  legacyCompressionMethods: [0],
  extensions: [
    { type: 'supported_versions', versions: [0x0304] },
    { type: 'supported_groups', groups: [0x1d] },
    { type: 'key_share', shares: [{ group: 0x1d, keyExchange: new Uint8Array(32).fill(9) }] },
    { type: 'signature_algorithms', schemes: [0x0403] },
  ],
};

/** One well-formed instance of every handshake message type, plus types that do not exist on the wire. */
const SAMPLES: readonly { name: string; type: number; bytes: Uint8Array }[] = [
  { name: 'ClientHello', type: 1, bytes: encodeHandshake(SAMPLE_CH) },
  {
    name: 'ServerHello',
    type: 2,
    bytes: encodeHandshake({
      type: 'server_hello',
      legacyVersion: 0x0303,
      random: new Uint8Array(32).fill(1),
      legacySessionIdEcho: new Uint8Array(0),
      cipherSuite: 0x1301,
      legacyCompressionMethod: 0,
      extensions: [{ type: 'supported_versions', selectedVersion: 0x0304 }],
    }),
  },
  {
    name: 'HelloRetryRequest',
    type: 2,
    bytes: encodeHandshake({
      type: 'hello_retry_request',
      legacyVersion: 0x0303,
      legacySessionIdEcho: new Uint8Array(0),
      cipherSuite: 0x1301,
      legacyCompressionMethod: 0,
      extensions: [{ type: 'supported_versions', selectedVersion: 0x0304 }, { type: 'key_share', selectedGroup: 0x17 }],
    }),
  },
  {
    name: 'NewSessionTicket',
    type: 4,
    bytes: encodeHandshake({ type: 'new_session_ticket', ticketLifetime: 60, ticketAgeAdd: 1, ticketNonce: new Uint8Array(1), ticket: new Uint8Array(16), extensions: [] }),
  },
  { name: 'EndOfEarlyData', type: 5, bytes: encodeHandshake({ type: 'end_of_early_data' }) },
  { name: 'EncryptedExtensions', type: 8, bytes: encodeHandshake({ type: 'encrypted_extensions', extensions: [] }) },
  { name: 'Certificate', type: 11, bytes: encodeHandshake({ type: 'certificate', requestContext: new Uint8Array(0), entries: [{ data: new Uint8Array(8), extensions: [] }] }) },
  {
    name: 'CertificateRequest',
    type: 13,
    bytes: encodeHandshake({ type: 'certificate_request', requestContext: new Uint8Array(0), extensions: [{ type: 'signature_algorithms', schemes: [0x0403] }] }),
  },
  { name: 'CertificateVerify', type: 15, bytes: encodeHandshake({ type: 'certificate_verify', algorithm: 0x0403, signature: new Uint8Array(70) }) },
  { name: 'Finished', type: 20, bytes: encodeHandshake({ type: 'finished', verifyData: new Uint8Array(32) }) },
  { name: 'KeyUpdate', type: 24, bytes: encodeHandshake({ type: 'key_update', updateRequested: false }) },
  { name: 'unknown type 3', type: 3, bytes: frameHandshake(3, new Uint8Array(4)) },
  { name: 'message_hash (254)', type: 254, bytes: frameHandshake(254, new Uint8Array(32)) },
];

function hooked<T extends object>(options: T, hooks: TestHooks | undefined): T {
  return hooks === undefined ? options : ({ ...options, [TEST_HOOKS]: hooks } as T);
}

interface Run {
  p: ReturnType<typeof pair>;
  keys: Map<string, Uint8Array>;
}

/** A handshake between the engines with optional hooks on either side; the client's key log is kept. */
function run(
  provider: CryptoProvider,
  o: { id?: Identity; client?: Partial<TlsClientOptions>; server?: Partial<TlsServerOptions>; clientHooks?: TestHooks; serverHooks?: TestHooks; piece?: number } = {},
): Run {
  const keys = new Map<string, Uint8Array>();
  const p = pair(
    o.id ?? IDENTITIES.p256,
    hooked({ provider, keylog: (l: string) => keys.set(l.split(' ')[0] as string, fromHex(l.split(' ')[2] as string)), ...o.client }, o.clientHooks),
    hooked({ provider, ...o.server }, o.serverHooks),
  );
  p.pump(o.piece ?? 0);
  return { p, keys };
}

/** The endpoint failed locally with `alert`, the peer got the alert, and the engine stays closed. */
function expectFailed(victim: TlsConnection, v: Recorder, alert: string, peer?: Recorder): void {
  expect(v.errors.map((e) => `${e.alert} ${e.side}`), v.errors[0]?.message).toEqual([`${alert} local`]);
  expect(v.errors[0]).toBeInstanceOf(TlsError);
  expect(victim.stateName).toBe('Failed');
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
  expect(victim.takeOutput()).toEqual([]);
  expect(v.errors.length).toBe(1);
}

function plaintextRecord(type: number, body: Uint8Array, version = 0x0303): Uint8Array {
  return concatBytes([Uint8Array.of(type, version >> 8, version & 0xff, body.length >> 8, body.length & 0xff), body]);
}

/** A record protected with a traffic secret the test learned from the key log (AES-128-GCM-SHA256). */
function forge(provider: CryptoProvider, secret: Uint8Array, seq: number, inner: Uint8Array): Uint8Array {
  const key = hkdfExpandLabel(SHA256, secret, 'key', new Uint8Array(0), 16);
  const iv = hkdfExpandLabel(SHA256, secret, 'iv', new Uint8Array(0), 12);
  for (let i = 0; i < 4; i++) iv[11 - i] = (iv[11 - i] as number) ^ ((seq >>> (8 * i)) & 0xff);
  const header = Uint8Array.of(23, 3, 3, (inner.length + 16) >> 8, (inner.length + 16) & 0xff);
  return concatBytes([header, provider.aead(0x1301, key).seal(iv, inner, header)]);
}

for (const provider of PROVIDERS) {
  describe(`(${provider.name} provider)`, () => {
    describe('client: every message in every state where it is not expected', () => {
      // How the server delivers the sample in place of the message the client waits for.
      const states: { state: string; valid: number[]; hooks: (bytes: Uint8Array) => TestHooks }[] = [
        { state: 'ExpectServerHello', valid: [2], hooks: (b) => ({ handshake: (m) => (m.type === 'server_hello' ? b : m) }) },
        { state: 'ExpectEncryptedExtensions', valid: [8], hooks: (b) => ({ handshake: (m) => (m.type === 'encrypted_extensions' ? b : m) }) },
        { state: 'ExpectCertificateOrCertificateRequest', valid: [11, 13], hooks: (b) => ({ handshake: (m) => (m.type === 'certificate' ? b : m) }) },
        {
          state: 'ExpectCertificate',
          valid: [11],
          hooks: (b) => ({
            handshake: (m) =>
              m.type === 'encrypted_extensions' ? concatBytes([encodeHandshake(m), (SAMPLES[7] as { bytes: Uint8Array }).bytes]) : m.type === 'certificate' ? b : m,
          }),
        },
        { state: 'ExpectCertificateVerify', valid: [15], hooks: (b) => ({ handshake: (m) => (m.type === 'certificate_verify' ? b : m) }) },
        { state: 'ExpectFinished', valid: [20], hooks: (b) => ({ handshake: (m) => (m.type === 'finished' ? b : m) }) },
        { state: 'Connected', valid: [4, 24], hooks: (b) => ({ afterHandshake: () => [b] }) },
      ];
      for (const s of states) {
        for (const sample of SAMPLES.filter((x) => !s.valid.includes(x.type))) {
          test(`${sample.name} in ${s.state}`, () => {
            const { p } = run(provider, { serverHooks: s.hooks(sample.bytes) });
            expectFailed(p.client, p.c, 'unexpected_message', p.s);
          });
        }
      }
    });

    describe('server: every message in every state where it is not expected', () => {
      for (const sample of SAMPLES.filter((x) => x.type !== 1)) {
        test(`${sample.name} in ExpectClientHello`, () => {
          const server = new TlsServer({ cert: IDENTITIES.p256.cert, key: IDENTITIES.p256.key, provider });
          const r = record(server);
          server.receive(plaintextRecord(22, sample.bytes, 0x0301));
          expectFailed(server, r, 'unexpected_message');
        });
      }
      const states: { state: string; valid: number[]; o: (b: Uint8Array) => Parameters<typeof run>[1] }[] = [
        {
          state: 'ExpectSecondClientHello',
          valid: [1],
          o: (b) => {
            let n = 0;
            return { server: { groups: ['secp256r1'] }, clientHooks: { handshake: (m) => (m.type === 'client_hello' && n++ === 1 ? b : m) } };
          },
        },
        { state: 'ExpectFinished', valid: [20], o: (b) => ({ clientHooks: { handshake: (m) => (m.type === 'finished' ? b : m) } }) },
        { state: 'Connected', valid: [24], o: (b) => ({ clientHooks: { afterHandshake: () => [b] } }) },
      ];
      for (const s of states) {
        for (const sample of SAMPLES.filter((x) => !s.valid.includes(x.type))) {
          test(`${sample.name} in ${s.state}`, () => {
            const { p } = run(provider, s.o(sample.bytes));
            expectFailed(p.server, p.s, 'unexpected_message', p.c);
          });
        }
      }
    });

    describe('ClientHello (issue 6)', () => {
      /** The server's verdict on the engine client's ClientHello as changed by `change`. */
      function serverOn(change: (ch: ClientHello) => ClientHello | Uint8Array, client: Partial<TlsClientOptions> = {}, server: Partial<TlsServerOptions> = {}) {
        return run(provider, { client, server, clientHooks: { handshake: (m) => (m.type === 'client_hello' ? change(m) : m) } }).p;
      }
      const withExt = (ch: ClientHello, f: (e: ClientHello['extensions']) => ClientHello['extensions']): ClientHello => ({ ...ch, extensions: f(ch.extensions) });
      const share = (ch: ClientHello, keyExchange: Uint8Array): ClientHello =>
        withExt(ch, (es) => es.map((e) => (e.type === 'key_share' ? { type: 'key_share', shares: e.shares.map((s) => ({ ...s, keyExchange })) } : e)));

      test('legacy_version 0x0300 and no supported_versions: protocol_version', () => {
        const p = serverOn((ch) => withExt({ ...ch, legacyVersion: 0x0300 }, (es) => es.filter((e) => e.type !== 'supported_versions')));
        expectFailed(p.server, p.s, 'protocol_version', p.c);
      });
      test('supported_versions without 0x0304: protocol_version', () => {
        const p = serverOn((ch) => withExt(ch, (es) => es.map((e) => (e.type === 'supported_versions' ? { type: 'supported_versions', versions: [0x0303, 0x0302] } : e))));
        expectFailed(p.server, p.s, 'protocol_version', p.c);
      });
      test('no key_share and no supported_groups: missing_extension', () => {
        const p = serverOn((ch) => withExt(ch, (es) => es.filter((e) => e.type !== 'key_share' && e.type !== 'supported_groups')));
        expectFailed(p.server, p.s, 'missing_extension', p.c);
      });
      test('no signature_algorithms: missing_extension', () => {
        const p = serverOn((ch) => withExt(ch, (es) => es.filter((e) => e.type !== 'signature_algorithms')));
        expectFailed(p.server, p.s, 'missing_extension', p.c);
      });
      test('a key_share group not in supported_groups: illegal_parameter', () => {
        const p = serverOn((ch) => withExt(ch, (es) => es.map((e) => (e.type === 'supported_groups' ? { type: 'supported_groups', groups: [0x17] } : e))));
        expectFailed(p.server, p.s, 'illegal_parameter', p.c);
      });
      test('two shares for one group: illegal_parameter', () => {
        const p = serverOn((ch) => withExt(ch, (es) => es.map((e) => (e.type === 'key_share' ? { type: 'key_share', shares: [...e.shares, ...e.shares] } : e))));
        expectFailed(p.server, p.s, 'illegal_parameter', p.c);
      });
      for (const n of [31, 33]) {
        test(`an X25519 share of ${n} bytes: illegal_parameter`, () => {
          const p = serverOn((ch) => share(ch, new Uint8Array(n).fill(5)));
          expectFailed(p.server, p.s, 'illegal_parameter', p.c);
        });
      }
      for (const [name, hex] of [
        ['zero', '00'.repeat(32)],
        ['the low-order point 1', `01${'00'.repeat(31)}`],
        ['a low-order point of order 8', 'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800'],
      ] as const) {
        test(`an X25519 share that is ${name}: illegal_parameter`, () => {
          const p = serverOn((ch) => share(ch, fromHex(hex)));
          expectFailed(p.server, p.s, 'illegal_parameter', p.c);
        });
      }
      const p256 = { groups: ['secp256r1'] } as Partial<TlsClientOptions>;
      test('a P-256 share off the curve: illegal_parameter', () => {
        const p = serverOn((ch) => {
          const ks = findExtension(ch.extensions, 'key_share')?.shares[0]?.keyExchange as Uint8Array;
          const bad = ks.slice();
          bad[64] = (bad[64] as number) ^ 1;
          return share(ch, bad);
        }, p256);
        expectFailed(p.server, p.s, 'illegal_parameter', p.c);
      });
      test('a compressed P-256 share: illegal_parameter', () => {
        const p = serverOn((ch) => {
          const ks = findExtension(ch.extensions, 'key_share')?.shares[0]?.keyExchange as Uint8Array;
          return share(ch, concatBytes([Uint8Array.of(2 + ((ks[64] as number) & 1)), ks.subarray(1, 33)]));
        }, p256);
        expectFailed(p.server, p.s, 'illegal_parameter', p.c);
      });
      test('a P-256 share at infinity: illegal_parameter', () => {
        const p = serverOn((ch) => share(ch, Uint8Array.of(0)), p256);
        expectFailed(p.server, p.s, 'illegal_parameter', p.c);
      });
      test('a duplicated extension: illegal_parameter', () => {
        const p = serverOn((ch) => {
          const raw = encodeHandshake(withExt(ch, (es) => [...es, { type: 'raw', code: 0xfa01, data: new Uint8Array(0) }, { type: 'raw', code: 0xfa02, data: new Uint8Array(0) }]));
          const at = toHex(raw).lastIndexOf('fa020000') / 2;
          raw[at + 1] = 0x01;
          return raw;
        });
        expectFailed(p.server, p.s, 'illegal_parameter', p.c);
      });
      test('compression methods other than [0]: illegal_parameter', () => {
        const p = serverOn((ch) => ({ ...ch, legacyCompressionMethods: [1, 0] }));
        expectFailed(p.server, p.s, 'illegal_parameter', p.c);
      });
      test('a 33-byte session id: decode_error', () => {
        const p = serverOn((ch) => {
          const raw = encodeHandshake(ch);
          raw[4 + 2 + 32] = 33;
          return raw;
        });
        expectFailed(p.server, p.s, 'decode_error', p.c);
      });
      test('trailing bytes: decode_error', () => {
        const p = serverOn((ch) => {
          const body = encodeHandshake(ch).subarray(4);
          return frameHandshake(1, concatBytes([body, Uint8Array.of(0)]));
        });
        expectFailed(p.server, p.s, 'decode_error', p.c);
      });
      test('a cookie the server never sent: illegal_parameter', () => {
        const p = serverOn((ch) => withExt(ch, (es) => [...es, { type: 'cookie', cookie: Uint8Array.of(1) }]));
        expectFailed(p.server, p.s, 'illegal_parameter', p.c);
      });
      test('no cipher suite in common: handshake_failure', () => {
        const p = serverOn((ch) => ({ ...ch, cipherSuites: [0x1304] }));
        expectFailed(p.server, p.s, 'handshake_failure', p.c);
      });
      for (const [what, change] of [
        ['cipher_suites', (ch: ClientHello) => ({ ...ch, cipherSuites: [...ch.cipherSuites].reverse() })],
        ['random', (ch: ClientHello) => ({ ...ch, random: new Uint8Array(32) })],
        ['supported_groups', (ch: ClientHello) => withExt(ch, (es) => es.map((e) => (e.type === 'supported_groups' ? { type: 'supported_groups', groups: [0x17, 0x1d] } : e)))],
        ['key_share group', (ch: ClientHello) => withExt(ch, (es) => es.map((e) => (e.type === 'key_share' ? { type: 'key_share', shares: [{ group: 0x1d, keyExchange: new Uint8Array(32).fill(3) }] } : e)))],
        ['cookie added', (ch: ClientHello) => withExt(ch, (es) => [...es, { type: 'cookie', cookie: Uint8Array.of(1) }])],
      ] as const) {
        test(`a second ClientHello with ${what} changed: illegal_parameter`, () => {
          let n = 0;
          const { p } = run(provider, {
            client: { cipherSuites: ['TLS_AES_128_GCM_SHA256', 'TLS_CHACHA20_POLY1305_SHA256'] },
            server: { groups: ['secp256r1'] },
            clientHooks: { handshake: (m) => (m.type === 'client_hello' && n++ === 1 ? change(m) : m) },
          });
          expectFailed(p.server, p.s, 'illegal_parameter', p.c);
        });
      }
      test('split into one-byte records: succeeds', () => {
        const { p } = run(provider, {
          clientHooks: {
            handshake: (m) => m,
          },
          piece: 1,
        });
        expect(p.s.errors).toEqual([]);
        // And literally one handshake byte per record.
        const s2 = new TlsServer({ cert: IDENTITIES.p256.cert, key: IDENTITIES.p256.key, provider });
        const r2 = record(s2);
        const ch = (splitRecords(concatBytes([encodeFirstFlight(provider)]))[0] as { fragment: Uint8Array }).fragment;
        for (const b of ch) s2.receive(plaintextRecord(22, Uint8Array.of(b), 0x0301));
        expect(r2.errors).toEqual([]);
        expect(s2.stateName).toBe('ExpectFinished');
      });
      test('4,000 unknown extensions: succeeds (within the size cap)', () => {
        const p = serverOn((ch) => withExt(ch, (es) => [...es, ...Array.from({ length: 4000 }, (_, i) => ({ type: 'raw' as const, code: 0x8000 + i, data: new Uint8Array(0) }))]));
        expect(p.s.errors).toEqual([]);
        expect(p.c.errors).toEqual([]);
        expect(p.c.handshake).toBeDefined();
      });
      test('a handshake length of 0xFFFFFF: refused at the cap before any body byte', () => {
        const server = new TlsServer({ cert: IDENTITIES.p256.cert, key: IDENTITIES.p256.key, provider });
        const r = record(server);
        server.receive(fromHex('160301000401ffffff'));
        expectFailed(server, r, 'decode_error');
        expect(r.errors[0]?.message).toMatch(/exceeds the 65536-byte limit/);
      });
      test('a ClientHello of an older client without extensions: protocol_version', () => {
        const server = new TlsServer({ cert: IDENTITIES.p256.cert, key: IDENTITIES.p256.key, provider });
        const r = record(server);
        const body = concatBytes([fromHex('0303'), new Uint8Array(32), fromHex('00'), fromHex('0002002f'), fromHex('0100')]);
        server.receive(plaintextRecord(22, frameHandshake(1, body), 0x0301));
        expectFailed(server, r, 'protocol_version');
      });
    });

    describe('server messages to the client (issue 6)', () => {
      const sh = (f: (m: Extract<HandshakeMessage, { type: 'server_hello' }>) => HandshakeMessage | Uint8Array): TestHooks => ({
        handshake: (m) => (m.type === 'server_hello' ? f(m) : m),
      });
      const on = (type: HandshakeMessage['type'], f: (m: HandshakeMessage) => HandshakeMessage | Uint8Array | null): TestHooks => ({
        handshake: (m) => (m.type === type ? f(m) : m),
      });
      const cases: [string, string, Parameters<typeof run>[1]][] = [
        ['wrong session id echo', 'illegal_parameter', { serverHooks: sh((m) => ({ ...m, legacySessionIdEcho: new Uint8Array(32) })) }],
        ['an unoffered suite', 'illegal_parameter', { client: { cipherSuites: ['TLS_AES_128_GCM_SHA256'] }, serverHooks: sh((m) => ({ ...m, cipherSuite: 0x1303 })) }],
        [
          'a downgrade sentinel (TLS 1.2 ServerHello)',
          'illegal_parameter',
          { serverHooks: sh((m) => ({ ...m, random: concatBytes([m.random.subarray(0, 24), DOWNGRADE_TLS12]), extensions: m.extensions.filter((e) => e.type !== 'supported_versions') })) },
        ],
        ['a TLS 1.2 ServerHello without the sentinel', 'protocol_version', { serverHooks: sh((m) => ({ ...m, extensions: m.extensions.filter((e) => e.type !== 'supported_versions') })) }],
        [
          'an unoffered version',
          'illegal_parameter',
          { serverHooks: sh((m) => ({ ...m, extensions: m.extensions.map((e) => (e.type === 'supported_versions' ? { type: 'supported_versions', selectedVersion: 0x0303 } : e)) })) },
        ],
        [
          'a key share for a group the client did not share',
          'illegal_parameter',
          { serverHooks: sh((m) => ({ ...m, extensions: m.extensions.map((e) => (e.type === 'key_share' ? { type: 'key_share', share: { group: 0x17, keyExchange: new Uint8Array(65).fill(4) } } : e)) })) },
        ],
        ['no key_share', 'missing_extension', { serverHooks: sh((m) => ({ ...m, extensions: m.extensions.filter((e) => e.type !== 'key_share') })) }],
        [
          'a second HelloRetryRequest (RFC 8446 §4.1.4)',
          'unexpected_message',
          {
            server: { groups: ['secp256r1'] },
            serverHooks: sh((m) => ({ type: 'hello_retry_request', legacyVersion: 0x0303, legacySessionIdEcho: m.legacySessionIdEcho, cipherSuite: m.cipherSuite, legacyCompressionMethod: 0, extensions: [{ type: 'supported_versions', selectedVersion: 0x0304 }, { type: 'cookie', cookie: Uint8Array.of(1) }] })),
          },
        ],
        [
          'a HelloRetryRequest that changes nothing',
          'illegal_parameter',
          { server: { groups: ['secp256r1'] }, serverHooks: on('hello_retry_request', (m) => ({ ...(m as { extensions: unknown[] }), extensions: [{ type: 'supported_versions', selectedVersion: 0x0304 }] }) as HandshakeMessage) },
        ],
        [
          'a HelloRetryRequest for the group already shared',
          'illegal_parameter',
          { server: { groups: ['secp256r1'] }, serverHooks: on('hello_retry_request', (m) => ({ ...(m as object), extensions: [{ type: 'key_share', selectedGroup: 0x1d }, { type: 'supported_versions', selectedVersion: 0x0304 }] }) as HandshakeMessage) },
        ],
        [
          'a suite change after HelloRetryRequest',
          'illegal_parameter',
          { client: { cipherSuites: ['TLS_AES_128_GCM_SHA256', 'TLS_CHACHA20_POLY1305_SHA256'] }, server: { groups: ['secp256r1'] }, serverHooks: sh((m) => ({ ...m, cipherSuite: 0x1303 })) },
        ],
        ['key_share inside EncryptedExtensions', 'illegal_parameter', { serverHooks: on('encrypted_extensions', () => encodeHandshake({ type: 'encrypted_extensions', extensions: [{ type: 'raw', code: 51, data: fromHex('001d0001ff') }] })) }],
        [
          'an ALPN reply the client did not ask for',
          'unsupported_extension',
          { serverHooks: on('encrypted_extensions', () => ({ type: 'encrypted_extensions', extensions: [{ type: 'application_layer_protocol_negotiation', protocol: utf8('h2') }] })) },
        ],
        [
          'an ALPN protocol the client did not offer',
          'illegal_parameter',
          { client: { alpn: ['http/1.1'] }, serverHooks: on('encrypted_extensions', () => ({ type: 'encrypted_extensions', extensions: [{ type: 'application_layer_protocol_negotiation', protocol: utf8('h2') }] })) },
        ],
        ['CertificateVerify skipped', 'unexpected_message', { serverHooks: on('certificate_verify', () => null) }],
        ['Finished before Certificate', 'unexpected_message', { serverHooks: { handshake: (m) => (m.type === 'certificate' || m.type === 'certificate_verify' ? null : m) } }],
        [
          'a bad CertificateVerify signature',
          'decrypt_error',
          {
            serverHooks: on('certificate_verify', (m) => {
              const cv = m as Extract<HandshakeMessage, { type: 'certificate_verify' }>;
              const signature = cv.signature.slice();
              signature[signature.length - 3] = (signature[signature.length - 3] as number) ^ 0x10;
              return { ...cv, signature };
            }),
          },
        ],
        [
          'a Finished with one bit flipped',
          'decrypt_error',
          {
            serverHooks: on('finished', (m) => {
              const verifyData = (m as { verifyData: Uint8Array }).verifyData.slice();
              verifyData[0] = (verifyData[0] as number) ^ 1;
              return { type: 'finished', verifyData };
            }),
          },
        ],
        ['rsa_pkcs1 in CertificateVerify', 'illegal_parameter', { id: IDENTITIES.rsa2048, serverHooks: on('certificate_verify', (m) => ({ ...(m as object), algorithm: 0x0401 }) as HandshakeMessage) }],
        ['a scheme that does not fit the key', 'illegal_parameter', { serverHooks: on('certificate_verify', (m) => ({ ...(m as object), algorithm: 0x0807 }) as HandshakeMessage) }],
        ['a Finished with extra bytes', 'decode_error', { serverHooks: on('finished', (m) => frameHandshake(20, concatBytes([(m as { verifyData: Uint8Array }).verifyData, Uint8Array.of(0)]))) }],
        ['an empty Certificate', 'decode_error', { serverHooks: on('certificate', () => ({ type: 'certificate', requestContext: new Uint8Array(0), entries: [] })) }],
        [
          'a Certificate with a request context',
          'illegal_parameter',
          { serverHooks: on('certificate', (m) => ({ ...(m as object), requestContext: Uint8Array.of(1) }) as HandshakeMessage) },
        ],
        [
          'a handshake message spanning the key change',
          'unexpected_message',
          { serverHooks: sh((m) => concatBytes([encodeHandshake(m), fromHex('0800')])) },
        ],
      ];
      for (const [name, alert, o] of cases) {
        test.skipIf(o?.id === IDENTITIES.rsa2048 && !hasRsa(provider))(`${name}: ${alert}`, () => {
          const { p } = run(provider, o);
          expectFailed(p.client, p.c, alert, p.s);
        });
      }
    });

    describe('records (issue 6)', () => {
      /** A connected pair and the server's application write secret. */
      function connected() {
        const r = run(provider, { client: { cipherSuites: ['TLS_AES_128_GCM_SHA256'] } });
        expect(r.p.c.handshake).toBeDefined();
        return { ...r, serverAp: r.keys.get('SERVER_TRAFFIC_SECRET_0') as Uint8Array };
      }
      test('ciphertext of 2^14 + 257 bytes: record_overflow', () => {
        const { p } = connected();
        p.client.receive(fromHex('1703034101'));
        expectFailed(p.client, p.c, 'record_overflow');
      });
      test('inner plaintext of 2^14 + 2 bytes: record_overflow', () => {
        const { p, serverAp } = connected();
        const inner = new Uint8Array(16386).fill(0x41);
        inner[16385] = 23;
        p.client.receive(forge(provider, serverAp, 0, inner));
        expectFailed(p.client, p.c, 'record_overflow');
      });
      const innerCases: [string, string, Uint8Array][] = [
        ['an all-zero inner plaintext', 'unexpected_message', new Uint8Array(10)],
        ['an empty encrypted handshake record', 'unexpected_message', Uint8Array.of(22)],
        ['an encrypted change_cipher_spec', 'unexpected_message', Uint8Array.of(1, 20)],
        ['an unknown inner content type', 'unexpected_message', Uint8Array.of(1, 2, 3, 99)],
        ['an alert with a bad length', 'decode_error', Uint8Array.of(2, 10, 0, 21)],
        ['a KeyUpdate with request value 2', 'illegal_parameter', Uint8Array.of(24, 0, 0, 1, 2, 22)],
        ['a KeyUpdate with trailing bytes', 'decode_error', Uint8Array.of(24, 0, 0, 2, 0, 0, 22)],
      ];
      for (const [name, alert, inner] of innerCases) {
        test(`${name}: ${alert}`, () => {
          const { p, serverAp } = connected();
          p.client.receive(forge(provider, serverAp, 0, inner));
          expectFailed(p.client, p.c, alert);
        });
      }
      test('zero-length application data: accepted', () => {
        const { p, serverAp } = connected();
        p.client.receive(forge(provider, serverAp, 0, Uint8Array.of(23)));
        p.client.receive(forge(provider, serverAp, 1, concatBytes([utf8('hi'), Uint8Array.of(23, 0, 0, 0)])));
        expect(p.c.errors).toEqual([]);
        expect(new TextDecoder().decode(concatBytes(p.c.data))).toBe('hi');
      });
      test(`more than 32 empty records in a row: unexpected_message`, () => {
        const { p, serverAp } = connected();
        for (let i = 0; i < 33; i++) p.client.receive(forge(provider, serverAp, i, Uint8Array.of(23)));
        expectFailed(p.client, p.c, 'unexpected_message');
      });
      test('more than 32 KeyUpdates in a row: unexpected_message', () => {
        const { p, serverAp } = connected();
        let secret = serverAp;
        for (let i = 0; i < 33 && p.c.errors.length === 0; i++) {
          p.client.receive(forge(provider, secret, 0, Uint8Array.of(24, 0, 0, 1, 0, 22)));
          secret = hkdfExpandLabel(SHA256, secret, 'traffic upd', new Uint8Array(0), 32);
        }
        expectFailed(p.client, p.c, 'unexpected_message');
      });
      test('an unknown content type: unexpected_message', () => {
        const { p } = connected();
        p.client.receive(plaintextRecord(99, Uint8Array.of(1)));
        expectFailed(p.client, p.c, 'unexpected_message');
      });
      test('application data before any key: unexpected_message', () => {
        const client = pair(IDENTITIES.p256, { provider }, { provider });
        client.client.receive(plaintextRecord(23, new Uint8Array(40)));
        expectFailed(client.client, client.c, 'unexpected_message');
      });
      test('application data under the handshake key (before Finished): unexpected_message', () => {
        const { p, keys } = run(provider, { client: { cipherSuites: ['TLS_AES_128_GCM_SHA256'], middleboxCompat: false }, clientHooks: { handshake: (m) => (m.type === 'finished' ? null : m) } });
        expect(p.server.stateName).toBe('ExpectFinished');
        p.server.receive(forge(provider, keys.get('CLIENT_HANDSHAKE_TRAFFIC_SECRET') as Uint8Array, 0, concatBytes([utf8('early'), Uint8Array.of(23)])));
        expectFailed(p.server, p.s, 'unexpected_message');
      });
      test('a plaintext handshake record after the keys changed: unexpected_message', () => {
        const { p } = connected();
        p.client.receive(plaintextRecord(22, (SAMPLES[10] as { bytes: Uint8Array }).bytes));
        expectFailed(p.client, p.c, 'unexpected_message');
      });
      test('a change_cipher_spec with another byte: unexpected_message', () => {
        const q = pair(IDENTITIES.p256, { provider }, { provider });
        q.client.receive(fromHex('140303000102'));
        expectFailed(q.client, q.c, 'unexpected_message');
      });
      test('a change_cipher_spec of two bytes: unexpected_message', () => {
        const q = pair(IDENTITIES.p256, { provider }, { provider });
        q.client.receive(fromHex('14030300020101'));
        expectFailed(q.client, q.c, 'unexpected_message');
      });
      test('a change_cipher_spec before the first ClientHello (server): unexpected_message', () => {
        const server = new TlsServer({ cert: IDENTITIES.p256.cert, key: IDENTITIES.p256.key, provider });
        const r = record(server);
        server.receive(fromHex('140303000101'));
        expectFailed(server, r, 'unexpected_message');
      });
      test('a change_cipher_spec after the handshake: unexpected_message', () => {
        const { p } = connected();
        p.client.receive(fromHex('140303000101'));
        expectFailed(p.client, p.c, 'unexpected_message');
      });
      test('three change_cipher_spec records in one handshake: unexpected_message', () => {
        const q = pair(IDENTITIES.p256, { provider }, { provider });
        q.client.receive(fromHex('140303000101140303000101140303000101'));
        expectFailed(q.client, q.c, 'unexpected_message');
      });
      test('a flipped tag bit: bad_record_mac', () => {
        const { p } = connected();
        p.server.write(utf8('hello'));
        const rec = concatBytes(p.server.takeOutput());
        rec[rec.length - 1] = (rec[rec.length - 1] as number) ^ 0x80;
        p.client.receive(rec);
        expectFailed(p.client, p.c, 'bad_record_mac');
      });
      test('a replayed record: bad_record_mac', () => {
        const { p } = connected();
        p.server.write(utf8('hello'));
        const rec = concatBytes(p.server.takeOutput());
        p.client.receive(rec);
        expect(p.c.errors).toEqual([]);
        p.client.receive(rec);
        expectFailed(p.client, p.c, 'bad_record_mac');
      });
      test('a plaintext alert with a bad length: decode_error', () => {
        const q = pair(IDENTITIES.p256, { provider }, { provider });
        q.client.receive(fromHex('1503030003020a00'));
        expectFailed(q.client, q.c, 'decode_error');
      });
      test('a plaintext alert after the handshake: unexpected_message', () => {
        const { p } = connected();
        p.client.receive(fromHex('150303000202' + '28'));
        expectFailed(p.client, p.c, 'unexpected_message');
      });
      test('the peer\'s fatal alert during the handshake is reported as remote', () => {
        const q = pair(IDENTITIES.p256, { provider }, { provider });
        q.client.receive(fromHex('150303000202' + '28'));
        expect(q.c.errors.map((e) => `${e.alert} ${e.side}`)).toEqual(['handshake_failure remote']);
        expect(q.client.takeOutput().length).toBe(1); // only the ClientHello: no alert answers an alert
      });
      test('more than 4 user_canceled warnings: unexpected_message', () => {
        const q = pair(IDENTITIES.p256, { provider }, { provider });
        for (let i = 0; i < 4; i++) q.client.receive(fromHex('15030300020' + '15a'));
        expect(q.c.errors).toEqual([]);
        q.client.receive(fromHex('15030300020' + '15a'));
        expectFailed(q.client, q.c, 'unexpected_message');
      });
      test('close_notify during the handshake is an error', () => {
        const q = pair(IDENTITIES.p256, { provider }, { provider });
        q.client.receive(fromHex('15030300020100'));
        expect(q.c.errors.map((e) => `${e.alert} ${e.side}`)).toEqual(['close_notify remote']);
      });
      test('data after close_notify is ignored (RFC 8446 §6.1)', () => {
        const { p } = connected();
        p.server.close();
        p.server.takeOutput();
        const q = connected();
        q.p.server.close();
        const close = concatBytes(q.p.server.takeOutput());
        q.p.client.receive(concatBytes([close, fromHex('17030300050000000000')]));
        expect(q.p.c.closed).toBe(true);
        expect(q.p.c.errors).toEqual([]);
        expect(p.c.errors).toEqual([]);
      });
      test('TCP closed without close_notify: truncation, not a clean end', () => {
        const { p } = connected();
        p.client.transportClosed();
        expect(p.c.errors.map((e) => [e.alert, e.side])).toEqual([['close_notify', 'remote']]);
        expect(p.c.errors[0]?.message).toMatch(/^truncated/);
        const q = pair(IDENTITIES.p256, { provider }, { provider });
        q.server.transportClosed();
        expect(q.s.errors[0]?.message).toMatch(/during the handshake/);
      });
      test('0-RTT records after a ClientHello offering early_data are skipped by the server', () => {
        const hooks: TestHooks = {
          handshake: (m) => (m.type === 'client_hello' ? { ...m, extensions: [...m.extensions, { type: 'early_data' }] } : m),
        };
        const p = pair(IDENTITIES.p256, hooked({ provider }, hooks), { provider });
        const flight = concatBytes(p.client.takeOutput());
        // Two records of early data the server cannot decrypt (it never issued a ticket).
        p.server.receive(concatBytes([flight, plaintextRecord(23, new Uint8Array(100).fill(0xee)), plaintextRecord(23, new Uint8Array(3000).fill(0xed))]));
        p.pump();
        expect(p.s.errors).toEqual([]);
        expect(p.c.errors).toEqual([]);
        expect(p.s.handshake).toBeDefined();
        // Not past the handshake, though: once a record decrypts, skipping stops.
        p.client.write(utf8('ok'));
        p.pump();
        expect(new TextDecoder().decode(concatBytes(p.s.data))).toBe('ok');
      });
      test('undecryptable records beyond the early-data budget: bad_record_mac', () => {
        const hooks: TestHooks = {
          handshake: (m) => (m.type === 'client_hello' ? { ...m, extensions: [...m.extensions, { type: 'early_data' }] } : m),
        };
        const p = pair(IDENTITIES.p256, hooked({ provider }, hooks), { provider });
        const junk = Array.from({ length: 5 }, () => plaintextRecord(23, new Uint8Array(16000)));
        p.server.receive(concatBytes([concatBytes(p.client.takeOutput()), ...junk]));
        expectFailed(p.server, p.s, 'bad_record_mac');
      });
    });

    describe('certificates (issue 6)', () => {
      const broken = (leaf: string, intermediate: string): Identity => ({
        name: leaf,
        cert: certPem(leaf) + certPem(intermediate),
        key: keyPem('leaf-broken', 'pkcs8'),
        ca: certPem('root-p256'),
        serverName: 'localhost',
      });
      const cases: [string, string, Identity, Partial<TlsClientOptions>][] = [
        ['expired', 'certificate_expired', broken('leaf-expired', 'int-p256'), { serverName: 'expired.localhost' }],
        ['not yet valid', 'certificate_expired', broken('leaf-not-yet-valid', 'int-p256'), { serverName: 'future.localhost' }],
        ['wrong host', 'bad_certificate', IDENTITIES.p256, { serverName: 'example.org' }],
        ['unknown root', 'unknown_ca', broken('leaf-unknown-root', 'int-unknown'), {}],
        ['CA:false intermediate', 'bad_certificate', broken('leaf-under-not-ca', 'int-not-ca'), {}],
        ['intermediate without keyCertSign', 'bad_certificate', broken('leaf-under-no-certsign', 'int-no-certsign'), {}],
        ['more intermediates than the depth limit', 'unknown_ca', { ...broken('chain-long', 'root-p256'), cert: certPem('chain-long') }, {}],
        ['only the leaf, no intermediate', 'unknown_ca', { ...IDENTITIES.p256, cert: certPem('leaf-localhost') }, {}],
        ['a leaf for client authentication only', 'unsupported_certificate', broken('leaf-client-only', 'int-p256'), { serverName: 'client.example.com' }],
      ];
      for (const [name, alert, id, client] of cases) {
        test(`${name}: ${alert}`, () => {
          const { p } = run(provider, { id, client });
          expectFailed(p.client, p.c, alert, p.s);
          expect(p.c.errors[0]?.message.length).toBeGreaterThan(20);
        });
      }
      test('no ALPN overlap: no_application_protocol', () => {
        const { p } = run(provider, { client: { alpn: ['h2'] }, server: { alpn: ['http/1.1'] } });
        expectFailed(p.server, p.s, 'no_application_protocol', p.c);
      });
    });
  });
}

/** The record stream of a fresh client's first flight. */
function encodeFirstFlight(provider: CryptoProvider): Uint8Array {
  const q = pair(IDENTITIES.p256, { provider }, { provider });
  return concatBytes(q.client.takeOutput());
}

test('the message samples cover every handshake type', () => {
  const types = new Set(SAMPLES.map((s) => s.type));
  for (const t of Object.values(HandshakeType)) if (t !== HandshakeType.message_hash) expect(types.has(t)).toBe(true);
  expect(ContentType.handshake).toBe(22);
});
