// Hostile input (issue 6): server certificates the client must refuse, and
// ALPN without overlap. One test per case, each expecting the named alert
// (checked by expectFailed: sent to the peer, the engine closed within a
// second, nothing but TlsError raised), on the WASM provider and the
// reference provider.
import { describe, expect, test } from 'vitest';
import type { TlsClientOptions } from '../../src/engine.js';
import { expectFailed, PROVIDERS, run } from '../helpers/hostile.js';
import { type Identity, IDENTITIES } from '../helpers/tls-pair.js';
import { certPem, keyPem } from '../helpers/x509-fixtures.js';

for (const provider of PROVIDERS) {
  describe(`certificates (${provider.name} provider)`, () => {
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
}
