// Hostile input (issue 6): a ClientHello the server must refuse (or accept).
// One test per case, each expecting the named alert (checked by expectFailed:
// sent to the peer, the engine closed within a second, nothing but TlsError
// raised), on the WASM provider and the reference provider.
import { describe, expect, test } from 'vitest';
import type { TlsClientOptions, TlsServerOptions } from '../../src/engine.js';
import { type ClientHello, encodeHandshake, findExtension, frameHandshake } from '../../src/wire/index.js';
import { fromHex, toHex } from '../helpers/hex.js';
import { encodeFirstFlight, expectFailed, plaintextRecord, PROVIDERS, run, watchedServer } from '../helpers/hostile.js';
import { concatBytes } from '../helpers/tls-pair.js';
import { splitRecords } from '../helpers/vec.js';

for (const provider of PROVIDERS) {
  describe(`ClientHello (${provider.name} provider)`, () => {
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
    test('supported_versions without 0x0304 to a server with minVersion TLSv1.3: protocol_version', () => {
      const p = serverOn((ch) => withExt(ch, (es) => es.map((e) => (e.type === 'supported_versions' ? { type: 'supported_versions', versions: [0x0303, 0x0302] } : e))), {}, { minVersion: 'TLSv1.3' });
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
      const { server: s2, r: r2 } = watchedServer(provider);
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
      const { server, r } = watchedServer(provider);
      server.receive(fromHex('160301000401ffffff'));
      expectFailed(server, r, 'decode_error');
      expect(r.errors[0]?.message).toMatch(/exceeds the 65536-byte limit/);
    });
    test('a ClientHello of an older client without extensions, RSA key transport only: handshake_failure', () => {
      const { server, r } = watchedServer(provider);
      const body = concatBytes([fromHex('0303'), new Uint8Array(32), fromHex('00'), fromHex('0002002f'), fromHex('0100')]);
      server.receive(plaintextRecord(22, frameHandshake(1, body), 0x0301));
      expectFailed(server, r, 'handshake_failure');
      expect(r.errors[0]?.message).toMatch(/no TLS 1\.2 cipher suite in common/);
    });
    test('a ClientHello of a TLS 1.1 client: protocol_version naming the version', () => {
      const { server, r } = watchedServer(provider);
      const body = concatBytes([fromHex('0302'), new Uint8Array(32), fromHex('00'), fromHex('0002c02b'), fromHex('0100')]);
      server.receive(plaintextRecord(22, frameHandshake(1, body), 0x0301));
      expectFailed(server, r, 'protocol_version');
      expect(r.errors[0]?.message).toMatch(/at most TLS 1\.1 \(0x0302\)/);
    });
  });
}
