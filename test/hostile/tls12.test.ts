// Hostile input for TLS 1.2 (issue 12): every new message and rule, one test
// each with the alert named, checked by expectFailed (sent to the peer, the
// engine closed within a second, nothing but TlsError raised), on the WASM
// provider and the reference provider. Record-level cases (ChangeCipherSpec
// placement, explicit nonce length) rewrite the record stream in flight.
import { describe, expect, test } from 'vitest';
import type { TestHooks } from '../../src/handshake/common.js';
import type { CryptoProvider } from '../../src/provider.js';
import { type ClientHello, DOWNGRADE_TLS12, type HandshakeMessage } from '../../src/wire/index.js';
import { toHex, utf8 } from '../helpers/hex.js';
import { expectFailed, PROVIDERS, run, type RunOptions, watch } from '../helpers/hostile.js';
import { concatBytes, IDENTITIES, pair } from '../helpers/tls-pair.js';
import { splitHandshakes, splitRecords } from '../helpers/vec.js';

const TLS12 = { maxVersion: 'TLSv1.2' } as const;
const EMS = 23;
const RENEGOTIATION_INFO = 0xff01;

const on = (type: HandshakeMessage['type'], f: (m: HandshakeMessage) => HandshakeMessage | Uint8Array | null): TestHooks => ({
  handshake: (m) => (m.type === type ? f(m) : m),
});
type Raw = { type: 'raw'; code: number; data: Uint8Array };
const withoutExt = (code: number) => (m: HandshakeMessage): HandshakeMessage =>
  m.type === 'server_hello' || m.type === 'client_hello' ? ({ ...m, extensions: m.extensions.filter((e) => !(e.type === 'raw' && (e as Raw).code === code)) } as HandshakeMessage) : m;
const replaceExt = (code: number, data: Uint8Array) => (m: HandshakeMessage): HandshakeMessage =>
  m.type === 'server_hello' || m.type === 'client_hello'
    ? ({ ...m, extensions: m.extensions.map((e) => (e.type === 'raw' && (e as Raw).code === code ? { type: 'raw', code, data } : e)) } as HandshakeMessage)
    : m;

function rec(type: number, fragment: Uint8Array): Uint8Array {
  return concatBytes([Uint8Array.of(type, 3, 3, fragment.length >> 8, fragment.length & 0xff), fragment]);
}
const CCS = rec(20, Uint8Array.of(1));

/**
 * A TLS 1.2 handshake pumped by hand; `serverOut`/`clientOut` may rewrite
 * each batch of records a side sends (n counts that side's batches).
 */
function rewritten(provider: CryptoProvider, o: { serverOut?: (bytes: Uint8Array, n: number) => Uint8Array; clientOut?: (bytes: Uint8Array, n: number) => Uint8Array } = {}) {
  const p = pair(IDENTITIES.p256, { provider, ...TLS12 }, { provider });
  watch(p.client);
  watch(p.server);
  let ns = 0;
  let nc = 0;
  for (let round = 0; round < 20; round++) {
    const co = concatBytes(p.client.takeOutput());
    const so = concatBytes(p.server.takeOutput());
    if (co.length === 0 && so.length === 0) break;
    if (co.length > 0) p.server.receive(o.clientOut ? o.clientOut(co, nc++) : co);
    if (so.length > 0) p.client.receive(o.serverOut ? o.serverOut(so, ns++) : so);
  }
  return p;
}

/** Splits the plaintext handshake record of a first flight into one record per message. */
function perMessage(bytes: Uint8Array): Uint8Array[] {
  return splitRecords(bytes).flatMap((r) => (r.type === 22 ? splitHandshakes(r.fragment).map((m) => rec(22, m)) : [rec(r.type, r.fragment)]));
}

function offCurve(provider: CryptoProvider): CryptoProvider {
  return {
    ...provider,
    keyExchange: (group, secretKey) => {
      const kx = provider.keyExchange(group, secretKey);
      const bad = new Uint8Array(65).fill(1);
      bad[0] = 4;
      return group === 0x17 ? { ...kx, group: kx.group, publicKey: bad, sharedSecret: kx.sharedSecret, dispose: kx.dispose } : kx;
    },
  };
}

for (const provider of PROVIDERS) {
  describe(`TLS 1.2 hostile input (${provider.name} provider)`, () => {
    const client: RunOptions['client'] = TLS12;
    const toClient: [string, string, RunOptions][] = [
      ['ServerHello: an unoffered TLS 1.2 suite', 'illegal_parameter', { client: { ...TLS12, cipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'] }, serverHooks: on('server_hello', (m) => ({ ...m, cipherSuite: 0xc02c }) as HandshakeMessage) }],
      ['ServerHello: TLS 1.2 with a TLS 1.3 suite', 'illegal_parameter', { client, serverHooks: on('server_hello', (m) => ({ ...m, cipherSuite: 0x1301 }) as HandshakeMessage) }],
      ['ServerHello: TLS 1.3 with a TLS 1.2 suite', 'illegal_parameter', { serverHooks: on('server_hello', (m) => ({ ...m, cipherSuite: 0xc02b }) as HandshakeMessage) }],
      ['ServerHello: a suite for the wrong certificate kind (RSA suite, ECDSA certificate)', 'unsupported_certificate', { client: { ...TLS12, cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'] }, serverHooks: on('server_hello', (m) => ({ ...m, cipherSuite: 0xc02f }) as HandshakeMessage) }],
      ['ServerHello: no extended_master_secret', 'handshake_failure', { client, serverHooks: on('server_hello', withoutExt(EMS)) }],
      ['ServerHello: no renegotiation_info', 'handshake_failure', { client, serverHooks: on('server_hello', withoutExt(RENEGOTIATION_INFO)) }],
      ['ServerHello: renegotiation_info with renegotiated_connection bytes', 'handshake_failure', { client, serverHooks: on('server_hello', replaceExt(RENEGOTIATION_INFO, Uint8Array.of(2, 0xaa, 0xbb))) }],
      ['ServerHello: a compression method', 'illegal_parameter', { client, serverHooks: on('server_hello', (m) => ({ ...m, legacyCompressionMethod: 1 }) as HandshakeMessage) }],
      ['ServerHello: an unsolicited extension (session_ticket)', 'unsupported_extension', { client, serverHooks: on('server_hello', (m) => (m.type === 'server_hello' ? { ...m, extensions: [...m.extensions, { type: 'raw', code: 35, data: new Uint8Array(0) }] } : m)) }],
      ['ServerHello: TLS 1.1', 'protocol_version', { client, serverHooks: on('server_hello', (m) => ({ ...m, legacyVersion: 0x0302 }) as HandshakeMessage) }],
      ['ServerKeyExchange: a bad signature', 'decrypt_error', { client, serverHooks: on('server_key_exchange', (m) => (m.type === 'server_key_exchange' ? { ...m, signature: m.signature.map((b, i) => (i === m.signature.length - 1 ? b ^ 1 : b)) } : m)) }],
      ['ServerKeyExchange: a bad RSA-PSS signature', 'decrypt_error', { id: IDENTITIES.rsa2048, client, serverHooks: on('server_key_exchange', (m) => (m.type === 'server_key_exchange' ? { ...m, signature: m.signature.map((b, i) => (i === 7 ? b ^ 0x80 : b)) } : m)) }],
      ['ServerKeyExchange: an unoffered curve', 'illegal_parameter', { client, serverHooks: on('server_key_exchange', (m) => ({ ...m, namedCurve: 0x0019 }) as HandshakeMessage) }],
      ['ServerKeyExchange: a point off the curve (signed)', 'illegal_parameter', { client: { ...TLS12, groups: ['secp256r1'] }, server: { provider: offCurve(provider), groups: ['secp256r1'] } }],
      ['ServerKeyExchange: a signature scheme not offered', 'illegal_parameter', { client, serverHooks: on('server_key_exchange', (m) => ({ ...m, scheme: 0x0603 }) as HandshakeMessage) }],
      ['ServerKeyExchange: SHA-1 (ecdsa_sha1)', 'illegal_parameter', { client, serverHooks: on('server_key_exchange', (m) => ({ ...m, scheme: 0x0203 }) as HandshakeMessage) }],
      ['ServerKeyExchange: an RSA scheme for an ECDSA suite', 'illegal_parameter', { client: { ...TLS12, signatureSchemes: ['ecdsa_secp256r1_sha256', 'rsa_pss_rsae_sha256'] }, serverHooks: on('server_key_exchange', (m) => ({ ...m, scheme: 0x0804 }) as HandshakeMessage) }],
      ['ServerKeyExchange: an explicit curve type', 'illegal_parameter', { client, serverHooks: on('server_key_exchange', (m) => (m.type === 'server_key_exchange' ? Uint8Array.of(12, 0, 0, 1, 1) : m)) }],
      ['Finished from the server with a flipped bit', 'decrypt_error', { client, serverHooks: on('finished', (m) => (m.type === 'finished' ? { ...m, verifyData: m.verifyData.map((b, i) => (i === 0 ? b ^ 1 : b)) } : m)) }],
      ['Finished from the server of 32 bytes (the TLS 1.3 length)', 'decode_error', { client, serverHooks: on('finished', () => ({ type: 'finished', verifyData: new Uint8Array(32) })) }],
    ];
    for (const [name, alert, o] of toClient) {
      test(`client: ${name}: ${alert}`, () => {
        const { p } = run(provider, o);
        expectFailed(p.client, p.c, alert, p.s);
      });
    }

    const toServer: [string, string, RunOptions][] = [
      ['ClientHello: no extended_master_secret', 'handshake_failure', { client, clientHooks: on('client_hello', withoutExt(EMS)) }],
      ['ClientHello: no renegotiation_info and no SCSV', 'handshake_failure', { client, clientHooks: on('client_hello', withoutExt(RENEGOTIATION_INFO)) }],
      ['ClientHello: renegotiation_info with renegotiated_connection bytes', 'handshake_failure', { client, clientHooks: on('client_hello', replaceExt(RENEGOTIATION_INFO, Uint8Array.of(1, 7))) }],
      ['ClientHello: no signature_algorithms (the SHA-1 default)', 'handshake_failure', { client, clientHooks: on('client_hello', (m) => (m.type === 'client_hello' ? { ...m, extensions: m.extensions.filter((e) => e.type !== 'signature_algorithms') } : m)) }],
      [
        'ClientHello: ec_point_formats without uncompressed',
        'illegal_parameter',
        { client, clientHooks: on('client_hello', (m) => (m.type === 'client_hello' ? { ...m, extensions: [...m.extensions, { type: 'raw', code: 11, data: Uint8Array.of(1, 1) }] } : m)) },
      ],
      ['ClientKeyExchange: a point off the curve', 'illegal_parameter', { client: { ...TLS12, groups: ['secp256r1'] }, clientHooks: on('client_key_exchange', () => ({ type: 'client_key_exchange', publicKey: Uint8Array.of(4, ...new Uint8Array(64).fill(1)) })) }],
      ['ClientKeyExchange: an x25519 key of 31 bytes', 'illegal_parameter', { client, clientHooks: on('client_key_exchange', () => ({ type: 'client_key_exchange', publicKey: new Uint8Array(31).fill(9) })) }],
      ['Finished from the client with a flipped bit', 'decrypt_error', { client, clientHooks: on('finished', (m) => (m.type === 'finished' ? { ...m, verifyData: m.verifyData.map((b, i) => (i === 11 ? b ^ 0x80 : b)) } : m)) }],
      ['ClientHello: only TLS 1.3 to a server with maxVersion TLSv1.2', 'protocol_version', { client: { minVersion: 'TLSv1.3' }, server: TLS12 }],
      ['ClientHello: only TLS 1.2 to a server with minVersion TLSv1.3', 'protocol_version', { client, server: { minVersion: 'TLSv1.3' } }],
    ];
    for (const [name, alert, o] of toServer) {
      test(`server: ${name}: ${alert}`, () => {
        const { p } = run(provider, o);
        expectFailed(p.server, p.s, alert, p.c);
      });
    }

    test('the server limited by maxVersion says so', () => {
      const { p } = run(provider, { client: { minVersion: 'TLSv1.3' }, server: TLS12 });
      expect(p.s.errors[0]?.message).toMatch(/limited to TLS 1\.2 by its maxVersion/);
    });

    test('a TLS 1.1 server: the error names the version it wanted', () => {
      const { p } = run(provider, { client, serverHooks: on('server_hello', (m) => ({ ...m, legacyVersion: 0x0302 }) as HandshakeMessage) });
      expect(p.c.errors[0]?.message).toMatch(/wants TLS 1\.1 \(0x0302\)/);
    });

    test('version rollback: ClientHello stripped of TLS 1.3 in flight, the server sets the sentinel, the client refuses: illegal_parameter', () => {
      const strip = on('client_hello', (m) =>
        m.type === 'client_hello' ? ({ ...m, extensions: m.extensions.map((e) => (e.type === 'supported_versions' ? { type: 'supported_versions', versions: [0x0303] } : e)) } as ClientHello) : m,
      );
      const { p } = run(provider, { clientHooks: strip });
      expectFailed(p.client, p.c, 'illegal_parameter', p.s);
      expect(p.c.errors[0]?.message).toMatch(/downgrade sentinel/);
    });

    test('the downgrade sentinel is set by a server that could do TLS 1.3, and not by one limited to TLS 1.2', () => {
      let random: Uint8Array | undefined;
      const seen: TestHooks = on('server_hello', (m) => {
        if (m.type === 'server_hello') random = m.random;
        return m;
      });
      let r = run(provider, { client, serverHooks: seen });
      expect(r.p.c.handshake?.version).toBe('TLSv1.2');
      expect(toHex((random as Uint8Array).subarray(24))).toBe(toHex(DOWNGRADE_TLS12));
      r = run(provider, { server: TLS12, serverHooks: seen });
      expect(r.p.c.errors).toEqual([]);
      expect(r.p.c.handshake?.version).toBe('TLSv1.2');
      expect(toHex((random as Uint8Array).subarray(24))).not.toBe(toHex(DOWNGRADE_TLS12));
    });

    test('client: ChangeCipherSpec before ServerHelloDone: unexpected_message', () => {
      const p = rewritten(provider, { serverOut: (b, n) => (n === 0 ? (([sh, c, ske, shd]) => concatBytes([sh, c, ske, CCS, shd] as Uint8Array[]))(perMessage(b)) : b) });
      expectFailed(p.client, p.c, 'unexpected_message', p.s);
    });
    test('client: a second ChangeCipherSpec: unexpected_message', () => {
      const p = rewritten(provider, { serverOut: (b, n) => (n === 1 ? concatBytes([CCS, b]) : b) });
      expectFailed(p.client, p.c, 'unexpected_message', p.s);
    });
    test('server: ChangeCipherSpec before ClientKeyExchange: unexpected_message', () => {
      const p = rewritten(provider, { clientOut: (b, n) => (n === 1 ? concatBytes([CCS, b]) : b) });
      expectFailed(p.server, p.s, 'unexpected_message', p.c);
    });
    test('server: a ChangeCipherSpec of two bytes: unexpected_message', () => {
      const p = rewritten(provider, {
        clientOut: (b, n) => {
          if (n !== 1) return b;
          const rs = splitRecords(b).map((r) => (r.type === 20 ? rec(20, Uint8Array.of(1, 1)) : rec(r.type, r.fragment)));
          return concatBytes(rs);
        },
      });
      expectFailed(p.server, p.s, 'unexpected_message', p.c);
    });
    test('client: a protected record too short for the explicit nonce and tag: bad_record_mac', () => {
      const p = rewritten(provider);
      expect(p.c.handshake?.version).toBe('TLSv1.2');
      p.client.receive(rec(23, new Uint8Array(10)));
      p.server.receive(concatBytes(p.client.takeOutput()));
      expectFailed(p.client, p.c, 'bad_record_mac', p.s);
    });
    test('client: an application data record with a flipped bit: bad_record_mac', () => {
      const p = rewritten(provider);
      p.server.write(utf8('hello'));
      const out = concatBytes(p.server.takeOutput());
      out[out.length - 1] = (out[out.length - 1] as number) ^ 1;
      p.client.receive(out);
      p.server.receive(concatBytes(p.client.takeOutput()));
      expectFailed(p.client, p.c, 'bad_record_mac', p.s);
    });

    test('renegotiation: a HelloRequest is answered with a no_renegotiation warning; the client stays connected', () => {
      const { p } = run(provider, { client, serverHooks: { afterHandshake: () => [{ type: 'hello_request' }] } });
      expect(p.c.errors).toEqual([]);
      expect(p.client.connected).toBe(true);
      // wasmtls never asks to renegotiate, so for its server the warning ends the connection.
      expect(p.s.errors.map((e) => `${e.alert} ${e.side}`)).toEqual(['no_renegotiation remote']);
      p.client.write(utf8('still here'));
      expect(p.client.takeOutput().length).toBe(1);
    });
    test('renegotiation: a second ClientHello is refused with a no_renegotiation warning; the server stays connected', () => {
      let first: ClientHello | undefined;
      const hooks: TestHooks = {
        handshake: (m) => {
          if (m.type === 'client_hello') first = m;
          return m;
        },
        afterHandshake: () => [first as ClientHello],
      };
      const { p } = run(provider, { client, clientHooks: hooks });
      expect(p.s.errors).toEqual([]);
      expect(p.server.connected).toBe(true);
      expect(p.c.errors.map((e) => `${e.alert} ${e.side}`)).toEqual(['no_renegotiation remote']);
    });
    test('renegotiation: a flood of HelloRequests: unexpected_message after the fifth', () => {
      const { p } = run(provider, { client, serverHooks: { afterHandshake: () => Array.from({ length: 5 }, () => ({ type: 'hello_request' }) as HandshakeMessage) } });
      // The server already gave up on the first warning; the client's own verdict is what is tested.
      expect(p.c.errors.map((e) => `${e.alert} ${e.side}`)).toEqual(['unexpected_message local']);
      expect(p.client.stateName).toBe('Failed');
    });
  });
}
