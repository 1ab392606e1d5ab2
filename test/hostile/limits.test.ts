// Hostile input (issue 6): the limits of README "Limits" that the other
// files do not already push past (empty records, change_cipher_spec, warning
// alerts, KeyUpdates and the second HelloRetryRequest are in records.test.ts
// and server-messages.test.ts; the 0xFFFFFF handshake length in
// client-hello.test.ts). Each is checked with expectFailed: the alert sent,
// the engine closed within a second, nothing but TlsError raised.
import { describe, expect, test } from 'vitest';
import { DEFAULT_MAX_HANDSHAKE_MESSAGE } from '../../src/record/handshake-reassembler.js';
import { MAX_SIGNATURE_CHECKS } from '../../src/x509/validate.js';
import { type Certificate, frameHandshake, type HandshakeMessage } from '../../src/wire/index.js';
import { expectFailed, PROVIDERS, run } from '../helpers/hostile.js';
import { IDENTITIES } from '../helpers/tls-pair.js';

for (const provider of PROVIDERS) {
  describe(`limits (${provider.name} provider)`, () => {
    const onCertificate = (f: (m: Certificate) => HandshakeMessage | Uint8Array) => ({ handshake: (m: HandshakeMessage) => (m.type === 'certificate' ? f(m) : m) });

    test(`a Certificate message of ${DEFAULT_MAX_HANDSHAKE_MESSAGE} + 1 bytes: decode_error (refused at the header)`, () => {
      const { p } = run(provider, { serverHooks: onCertificate(() => frameHandshake(11, new Uint8Array(DEFAULT_MAX_HANDSHAKE_MESSAGE + 1))) });
      expectFailed(p.client, p.c, 'decode_error', p.s);
      expect(p.c.errors[0]?.message).toMatch(/65536-byte limit/);
    });

    test(`a Certificate message of exactly ${DEFAULT_MAX_HANDSHAKE_MESSAGE} bytes gets past the cap (then fails as a certificate)`, () => {
      const { p } = run(provider, { serverHooks: onCertificate(() => frameHandshake(11, new Uint8Array(DEFAULT_MAX_HANDSHAKE_MESSAGE))) });
      expect(p.c.errors.map((e) => e.alert)).toEqual(['decode_error']);
      expect(p.c.errors[0]?.message).not.toMatch(/limit/);
    });

    test('maxHandshakeMessageSize is the cap: 1024 refuses an RSA chain the default accepts', () => {
      const ok = run(provider, { id: IDENTITIES.rsa2048 });
      expect(ok.p.c.handshake).toBeDefined();
      const { p } = run(provider, { id: IDENTITIES.rsa2048, client: { maxHandshakeMessageSize: 1024 } });
      expectFailed(p.client, p.c, 'decode_error', p.s);
      expect(p.c.errors[0]?.message).toMatch(/1024-byte limit/);
    });

    test('the server applies maxHandshakeMessageSize to the ClientHello', () => {
      const { p } = run(provider, {
        clientHooks: { handshake: (m) => (m.type === 'client_hello' ? { ...m, extensions: [...m.extensions, { type: 'raw', code: 0xfe00, data: new Uint8Array(2000) }] } : m) },
        server: { maxHandshakeMessageSize: 1024 },
      });
      expectFailed(p.server, p.s, 'decode_error', p.c);
    });

    const repeated = (n: number) => onCertificate((m) => ({ ...m, entries: Array.from({ length: n }, (_, i) => m.entries[Math.min(i, 1)] as Certificate['entries'][number]) }));

    test('40 certificates (the leaf and the intermediate repeated) are accepted: no count limit (issue 15)', () => {
      const { p } = run(provider, { serverHooks: repeated(40) });
      expect(p.c.errors).toEqual([]);
      expect(p.c.handshake).toBeDefined();
    });

    test(`${MAX_SIGNATURE_CHECKS + 10} copies of the intermediate are one candidate, not a drain on the path-building budget`, () => {
      // Copies are dropped before path building, so the failure is the path
      // length, not "gave up after ${MAX_SIGNATURE_CHECKS} signature checks".
      const { p } = run(provider, { serverHooks: repeated(MAX_SIGNATURE_CHECKS + 10), client: { maxIntermediates: 0 } });
      expectFailed(p.client, p.c, 'unknown_ca', p.s);
      expect(p.c.errors[0]?.message).toMatch(/certificate chain too long/);
    });

    test('maxIntermediates: 0 refuses a chain through one intermediate: unknown_ca', () => {
      const { p } = run(provider, { client: { maxIntermediates: 0 } });
      expectFailed(p.client, p.c, 'unknown_ca', p.s);
      expect(p.c.errors[0]?.message).toMatch(/maxIntermediates/);
    });
  });
}
