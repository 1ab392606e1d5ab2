// Hostile input (issue 6): ServerHello, HelloRetryRequest and encrypted
// messages the client must refuse. One test per case, each expecting the
// named alert (checked by expectFailed: sent to the peer, the engine closed
// within a second, nothing but TlsError raised), on the WASM provider and the
// reference provider.
import { describe, test } from 'vitest';
import type { TestHooks } from '../../src/handshake/common.js';
import { DOWNGRADE_TLS12, encodeHandshake, frameHandshake, type HandshakeMessage } from '../../src/wire/index.js';
import { fromHex, utf8 } from '../helpers/hex.js';
import { expectFailed, PROVIDERS, run, type RunOptions } from '../helpers/hostile.js';
import { concatBytes, IDENTITIES } from '../helpers/tls-pair.js';

for (const provider of PROVIDERS) {
  describe(`server messages to the client (${provider.name} provider)`, () => {
    const sh = (f: (m: Extract<HandshakeMessage, { type: 'server_hello' }>) => HandshakeMessage | Uint8Array): TestHooks => ({
      handshake: (m) => (m.type === 'server_hello' ? f(m) : m),
    });
    const on = (type: HandshakeMessage['type'], f: (m: HandshakeMessage) => HandshakeMessage | Uint8Array | null): TestHooks => ({
      handshake: (m) => (m.type === type ? f(m) : m),
    });
    const cases: [string, string, RunOptions][] = [
      ['wrong session id echo', 'illegal_parameter', { serverHooks: sh((m) => ({ ...m, legacySessionIdEcho: new Uint8Array(32) })) }],
      ['an unoffered suite', 'illegal_parameter', { client: { cipherSuites: ['TLS_AES_128_GCM_SHA256'] }, serverHooks: sh((m) => ({ ...m, cipherSuite: 0x1303 })) }],
      [
        'a downgrade sentinel (TLS 1.2 ServerHello)',
        'illegal_parameter',
        { serverHooks: sh((m) => ({ ...m, random: concatBytes([m.random.subarray(0, 24), DOWNGRADE_TLS12]), extensions: m.extensions.filter((e) => e.type !== 'supported_versions') })) },
      ],
      [
        'a TLS 1.2 ServerHello without the sentinel to a client with minVersion TLSv1.3',
        'protocol_version',
        { client: { minVersion: 'TLSv1.3' }, serverHooks: sh((m) => ({ ...m, extensions: m.extensions.filter((e) => e.type !== 'supported_versions') })) },
      ],
      [
        'a TLS 1.2 ServerHello choosing a TLS 1.3 suite',
        'illegal_parameter',
        { serverHooks: sh((m) => ({ ...m, extensions: m.extensions.filter((e) => e.type !== 'supported_versions') })) },
      ],
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
        'a second HelloRetryRequest (RFC 8446 §4.1.4 says unexpected_message; the issue listed illegal_parameter)',
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
      test(`${name}: ${alert}`, () => {
        const { p } = run(provider, o);
        expectFailed(p.client, p.c, alert, p.s);
      });
    }
  });
}
