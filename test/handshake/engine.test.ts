// The engine end to end in memory: client and server over every suite,
// group and server key type, HelloRetryRequest each way, ALPN, KeyUpdate,
// close_notify, one-byte fragmentation, large data, key log, trace.
import { describe, expect, test } from 'vitest';
import { TlsClient, TlsServer } from '../../src/engine.js';
import { TEST_HOOKS, type TestHooks } from '../../src/handshake/common.js';
import type { CryptoProvider } from '../../src/provider.js';
import { encodeHandshake } from '../../src/wire/index.js';
import { parsePrivateKey } from '../../src/x509/keys.js';
import { seededBytes, toHex, utf8 } from '../helpers/hex.js';
import { PROVIDERS } from '../helpers/providers.js';
import { referenceProvider } from '../helpers/reference-provider.js';
import { concatBytes, IDENTITIES, type Identity, pair, pump, record } from '../helpers/tls-pair.js';
import { splitRecords } from '../helpers/vec.js';
import { AT } from '../helpers/x509-fixtures.js';

const SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'] as const;
const GROUPS = ['x25519', 'secp256r1'] as const;
const KEYS = ['p256', 'rsa2048', 'ed25519'] as const;


/** Whether `provider` can sign with this fixture's key and verify its scheme. */
function supports(provider: CryptoProvider, key: (typeof KEYS)[number] | 'p384'): boolean {
  const schemes = provider.signSchemes(parsePrivateKey(IDENTITIES[key].key));
  return schemes.length > 0 && schemes.every((s) => provider.verifySchemes.includes(s));
}

function text(parts: readonly Uint8Array[]): string {
  return new TextDecoder().decode(concatBytes(parts));
}

function assertClean(p: ReturnType<typeof pair>): void {
  expect(p.c.errors.map((e) => `${e.alert}: ${e.message}`)).toEqual([]);
  expect(p.s.errors.map((e) => `${e.alert}: ${e.message}`)).toEqual([]);
}

/** Data both ways, then close_notify both ways. */
function talk(p: ReturnType<typeof pair>, piece = 0): void {
  p.client.write(utf8('ping from client'));
  p.pump(piece);
  expect(text(p.s.data)).toBe('ping from client');
  p.server.write(utf8('pong from server'));
  p.pump(piece);
  expect(text(p.c.data)).toBe('pong from server');
  p.client.close();
  p.pump(piece);
  expect(p.s.closed).toBe(true);
  p.server.close();
  p.pump(piece);
  expect(p.c.closed).toBe(true);
  p.client.transportClosed();
  p.server.transportClosed();
  assertClean(p);
}

for (const provider of PROVIDERS) {
  const opts = { provider };
  describe(`engine (${provider.name} provider)`, () => {
    describe('every suite × group × server key', () => {
      for (const suite of SUITES) {
        for (const group of GROUPS) {
          for (const key of KEYS) {
            test.skipIf(!supports(provider, key))(`${suite} ${group} ${IDENTITIES[key].name}`, () => {
              const p = pair(IDENTITIES[key], { ...opts, cipherSuites: [suite], groups: [group] }, opts);
              p.pump();
              assertClean(p);
              const info = p.c.handshake;
              expect(info?.cipherSuite).toBe(suite);
              expect(info?.group).toBe(group);
              expect(info?.authorized).toBe(true);
              expect(info?.helloRetryRequest).toBe(false);
              expect(info?.peerCertificates.length).toBe(2);
              expect(info?.signatureScheme).toBe({ p256: 'ecdsa_secp256r1_sha256', rsa2048: 'rsa_pss_rsae_sha256', ed25519: 'ed25519' }[key]);
              expect(p.s.handshake?.cipherSuite).toBe(suite);
              expect(p.client.exportKeyingMaterial(32, 'EXPORTER-test')).toEqual(p.server.exportKeyingMaterial(32, 'EXPORTER-test'));
              talk(p);
            });
          }
        }
      }
    });

    test('server picks its own preferred suite among the client\'s', () => {
      const p = pair(IDENTITIES.p256, { ...opts, cipherSuites: ['TLS_AES_128_GCM_SHA256', 'TLS_CHACHA20_POLY1305_SHA256'] }, { ...opts, cipherSuites: ['TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256'] });
      p.pump();
      expect(p.c.handshake?.cipherSuite).toBe('TLS_CHACHA20_POLY1305_SHA256');
    });

    test('ecdsa_secp384r1_sha384 from a P-384 server key, where the provider can sign with it', () => {
      if (!supports(provider, 'p384')) {
        // A provider that verifies P-384 but cannot sign with it: the server refuses the key up front.
        expect(() => pair(IDENTITIES.p384, opts, opts)).toThrow(/P-384|secp384r1|sign/);
        return;
      }
      const p = pair(IDENTITIES.p384, opts, opts);
      p.pump();
      assertClean(p);
      expect(p.c.handshake?.signatureScheme).toBe('ecdsa_secp384r1_sha384');
    });

    describe('HelloRetryRequest', () => {
      test('client shares x25519, server wants secp256r1', () => {
        const p = pair(IDENTITIES.p256, { ...opts, groups: ['x25519', 'secp256r1'] }, { ...opts, groups: ['secp256r1'] });
        p.pump();
        assertClean(p);
        expect(p.c.handshake?.helloRetryRequest).toBe(true);
        expect(p.s.handshake?.helloRetryRequest).toBe(true);
        expect(p.c.handshake?.group).toBe('secp256r1');
        talk(p);
      });
      test('client shares secp256r1, server wants x25519', () => {
        const p = pair(IDENTITIES.ed25519, { ...opts, groups: ['secp256r1', 'x25519'], cipherSuites: ['TLS_AES_256_GCM_SHA384'] }, { ...opts, groups: ['x25519'] });
        p.pump(1);
        assertClean(p);
        expect(p.c.handshake?.helloRetryRequest).toBe(true);
        expect(p.c.handshake?.group).toBe('x25519');
        talk(p, 1);
      });
      test('without middlebox compatibility', () => {
        const p = pair(IDENTITIES.p256, { ...opts, middleboxCompat: false }, { ...opts, groups: ['secp256r1'] });
        p.pump();
        assertClean(p);
        // No change_cipher_spec record in either direction.
        for (const o of [...p.c.sent, ...p.s.sent]) for (const r of splitRecords(o)) expect(r.type).not.toBe(20);
        talk(p);
      });
      test('a server preferring secp256r1 takes the client\'s x25519 share rather than ask again', () => {
        const p = pair(IDENTITIES.p256, opts, { ...opts, groups: ['secp256r1', 'x25519'] });
        p.pump();
        expect(p.c.handshake?.helloRetryRequest).toBe(false);
        expect(p.c.handshake?.group).toBe('x25519');
      });
    });

    describe('ALPN', () => {
      test('server picks its first protocol the client offers', () => {
        const p = pair(IDENTITIES.p256, { ...opts, alpn: ['http/1.1', 'h2'] }, { ...opts, alpn: ['h2', 'http/1.1'] });
        p.pump();
        expect(p.c.handshake?.alpn).toBe('h2');
        expect(p.s.handshake?.alpn).toBe('h2');
      });
      test('server without ALPN ignores the client\'s', () => {
        const p = pair(IDENTITIES.p256, { ...opts, alpn: ['h2'] }, opts);
        p.pump();
        assertClean(p);
        expect(p.c.handshake?.alpn).toBeUndefined();
      });
      test('no overlap is no_application_protocol', () => {
        const p = pair(IDENTITIES.p256, { ...opts, alpn: ['h2'] }, { ...opts, alpn: ['http/1.1'] });
        p.pump();
        expect(p.s.errors.map((e) => [e.alert, e.side])).toEqual([['no_application_protocol', 'local']]);
        expect(p.c.errors.map((e) => [e.alert, e.side])).toEqual([['no_application_protocol', 'remote']]);
      });
    });

    test('KeyUpdate both ways, with and without update_requested', () => {
      const p = pair(IDENTITIES.p256, opts, opts);
      p.pump();
      p.client.keyUpdate(false);
      p.client.write(utf8('a'));
      p.pump();
      p.server.keyUpdate(true);
      p.server.write(utf8('b'));
      p.pump();
      p.client.write(utf8('c'));
      p.pump();
      p.client.keyUpdate(true);
      p.pump();
      p.server.write(utf8('d'));
      p.client.write(utf8('e'));
      p.pump();
      expect(text(p.s.data)).toBe('ace');
      expect(text(p.c.data)).toBe('bd');
      assertClean(p);
    });

    test('automatic KeyUpdate at the record limit (forced low)', () => {
      const updates: string[] = [];
      const p = pair(
        IDENTITIES.p256,
        { ...opts, keyUpdateAfterRecords: 3, trace: (e) => e.name === 'KeyUpdate' && updates.push(`client ${e.direction}`) },
        { ...opts, keyUpdateAfterRecords: 2, trace: (e) => e.name === 'KeyUpdate' && updates.push(`server ${e.direction}`) },
      );
      p.pump();
      for (let i = 0; i < 10; i++) {
        p.client.write(utf8(`c${i};`));
        p.server.write(utf8(`s${i};`));
        p.pump();
      }
      expect(text(p.s.data)).toBe('c0;c1;c2;c3;c4;c5;c6;c7;c8;c9;');
      expect(text(p.c.data)).toBe('s0;s1;s2;s3;s4;s5;s6;s7;s8;s9;');
      assertClean(p);
      // 10 records each: the client updates after records 3, 6, 9; the server after 2, 4, 6, 8.
      expect(updates.filter((u) => u === 'client sent').length).toBe(3);
      expect(updates.filter((u) => u === 'server sent').length).toBe(4);
      expect(updates.filter((u) => u.endsWith('received')).length).toBe(7);
    });

    test('one-byte fragmentation of every flight, both ways', () => {
      const p = pair(IDENTITIES[supports(provider, 'rsa2048') ? 'rsa2048' : 'ed25519'], { ...opts, alpn: ['x'] }, { ...opts, alpn: ['x'] });
      p.pump(1);
      assertClean(p);
      talk(p, 1);
    });

    test('large application data is split into records of at most 2^14 bytes', () => {
      const p = pair(IDENTITIES.p256, opts, opts);
      p.pump();
      const big = seededBytes(7, 100_000);
      p.client.write(big);
      const out = p.client.takeOutput();
      const records = out.flatMap((o) => splitRecords(o));
      expect(records.length).toBe(Math.ceil(100_000 / 16384));
      for (const r of records) expect(r.fragment.length).toBeLessThanOrEqual(16384 + 1 + 16);
      for (const o of out) p.server.receive(o);
      expect(toHex(concatBytes(p.s.data))).toBe(toHex(big));
      // And in odd-sized transport chunks.
      p.server.write(big);
      const back = concatBytes(p.server.takeOutput());
      for (let i = 0; i < back.length; i += 1000) p.client.receive(back.subarray(i, i + 1000));
      expect(toHex(concatBytes(p.c.data))).toBe(toHex(big));
    });

    test('data and close() before the handshake completes are queued', () => {
      const p = pair(IDENTITIES.p256, opts, opts);
      p.client.write(utf8('early '));
      p.client.write(utf8('bird'));
      p.client.close();
      p.pump();
      expect(text(p.s.data)).toBe('early bird');
      expect(p.s.closed).toBe(true);
      expect(() => p.client.write(utf8('x'))).toThrow(/write after close/);
    });

    test('zero-length writes send nothing; an empty record is accepted', () => {
      const p = pair(IDENTITIES.p256, opts, opts);
      p.pump();
      p.client.write(new Uint8Array(0));
      expect(p.client.takeOutput()).toEqual([]);
    });

    test('key log lines in the NSS format, the same on both sides', () => {
      const cl: string[] = [];
      const sl: string[] = [];
      const p = pair(IDENTITIES.p256, { ...opts, keylog: (l) => cl.push(l) }, { ...opts, keylog: (l) => sl.push(l) });
      p.pump();
      expect(cl.map((l) => l.split(' ')[0])).toEqual([
        'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
        'SERVER_HANDSHAKE_TRAFFIC_SECRET',
        'SERVER_TRAFFIC_SECRET_0',
        'CLIENT_TRAFFIC_SECRET_0',
        'EXPORTER_SECRET',
      ]);
      for (const l of cl) expect(l).toMatch(/^[A-Z_0-9]+ [0-9a-f]{64} [0-9a-f]{64}$/);
      expect([...sl].sort()).toEqual([...cl].sort());
    });

    test('trace sees every handshake message in order', () => {
      const seen: string[] = [];
      const p = pair(IDENTITIES.p256, { ...opts, trace: (e) => e.kind === 'handshake' && seen.push(`${e.direction} ${e.name}`) }, { ...opts, groups: ['secp256r1'] });
      p.pump();
      expect(seen).toEqual([
        'sent ClientHello',
        'received HelloRetryRequest',
        'sent ClientHello',
        'received ServerHello',
        'received EncryptedExtensions',
        'received Certificate',
        'received CertificateVerify',
        'received Finished',
        'sent Finished',
      ]);
    });

    test('SNI is sent for names, not for IP literals; the server reports it', () => {
      const names: (string | undefined)[] = [];
      for (const id of [IDENTITIES.p256, IDENTITIES.ed25519]) {
        const p = pair(id, opts, opts);
        p.pump();
        assertClean(p);
        names.push(p.s.handshake?.serverName);
      }
      expect(names).toEqual(['localhost', undefined]);
    });

    test('a CertificateRequest is answered with an empty Certificate', () => {
      const cr = encodeHandshake({ type: 'certificate_request', requestContext: new Uint8Array(0), extensions: [{ type: 'signature_algorithms', schemes: [0x0403] }] });
      const hooks: TestHooks = {
        handshake: (m) => (m.type === 'encrypted_extensions' ? concatBytes([encodeHandshake(m), cr]) : m),
      };
      const seen: string[] = [];
      const p = pair(
        IDENTITIES.p256,
        { ...opts, trace: (e) => e.kind === 'handshake' && seen.push(`${e.direction} ${e.name}${e.decoded?.type === 'certificate' ? `(${e.decoded.entries.length})` : ''}`) },
        { ...opts, [TEST_HOOKS]: hooks } as object,
      );
      p.pump();
      expect(seen.slice(-3)).toEqual(['received Finished', 'sent Certificate(0)', 'sent Finished']);
      // wasmtls servers do not ask for client certificates, so this one refuses the Certificate.
      expect(p.s.errors.map((e) => e.alert)).toEqual(['unexpected_message']);
    });

    test('transport closed without close_notify is truncation', () => {
      const p = pair(IDENTITIES.p256, opts, opts);
      p.pump();
      p.client.transportClosed();
      expect(p.c.errors.map((e) => [e.alert, e.message.startsWith('truncated')])).toEqual([['close_notify', true]]);
      expect(p.client.takeOutput()).toEqual([]);
      const q = pair(IDENTITIES.p256, opts, opts);
      q.pump();
      q.server.close();
      q.pump();
      q.client.transportClosed();
      expect(q.c.errors).toEqual([]);
    });

    test('rejectUnauthorized: false completes and reports why the chain failed', () => {
      const p = pair(IDENTITIES.p256, { ...opts, ca: IDENTITIES.rsa2048.ca, rejectUnauthorized: false }, opts);
      p.pump();
      assertClean(p);
      expect(p.c.handshake?.authorized).toBe(false);
      expect(p.c.handshake?.authorizationError?.alert).toBe('unknown_ca');
    });
  });
}

test('options are checked at construction', () => {
  const id = IDENTITIES.p256;
  const provider = referenceProvider;
  expect(() => new TlsClient({ ca: id.ca, provider })).toThrow(/serverName is required/);
  expect(() => new TlsClient({ serverName: 'x', provider, cipherSuites: ['TLS_AES_128_CCM_SHA256'] })).toThrow(RangeError);
  expect(() => new TlsClient({ serverName: 'x', provider, signatureSchemes: ['rsa_pkcs1_sha256'] })).toThrow(/certificates only|may not sign/);
  expect(() => new TlsClient({ serverName: 'x', provider, alpn: [''] })).toThrow(RangeError);
  expect(() => new TlsServer({ cert: id.cert, key: IDENTITIES.rsa2048.key, provider })).toThrow(/does not belong/);
  expect(() => new TlsServer({ cert: 'nonsense', key: id.key, provider })).toThrow(TypeError);
  const c = new TlsClient({ serverName: 'localhost', ca: id.ca, provider, now: AT });
  expect(c.hasOutput).toBe(true);
  expect(c.stateName).toBe('ExpectServerHello');
  expect(() => c.keyUpdate()).toThrow(/completed handshake/);
  const s = new TlsServer({ cert: id.cert, key: id.key, provider });
  record(s);
  pump(c, s);
  expect(c.stateName).toBe('Connected');
});
