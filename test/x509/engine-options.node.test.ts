// The engine's `crl` and `profile` options (issue 15): a TlsClient refuses a
// server whose leaf its CRL lists (certificate_revoked, sent as the alert),
// accepts it with CRLs that do not, and passes `profile` to validation.
import { createPrivateKey } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { TlsClient } from '../../src/engine.js';
import { encodePem } from '../../src/x509/index.js';
import { IDENTITIES, pair } from '../helpers/tls-pair.js';
import { cert, keyPem } from '../helpers/x509-fixtures.js';
import { makeCrl } from './generate.js';

const issued = (name: string) => ({ cert: cert(name), key: createPrivateKey(keyPem(name, 'pkcs8')), point: new Uint8Array(0) });
const rootCrl = makeCrl({ issuer: issued('root-p256') });
const intCrl = makeCrl({ issuer: issued('int-p256') });

describe('TlsClient crl', () => {
  test('CRLs that list nothing: the handshake completes', () => {
    const p = pair(IDENTITIES.p256, { crl: encodePem('X509 CRL', rootCrl.der) + encodePem('X509 CRL', intCrl.der) });
    p.pump();
    expect(p.c.errors).toEqual([]);
    expect(p.c.handshake).toBeDefined();
  });
  test('a revoked leaf: certificate_revoked, and the server hears the alert', () => {
    const revoked = makeCrl({ issuer: issued('int-p256'), revoked: [cert('leaf-localhost').serialNumber] });
    const p = pair(IDENTITIES.p256, { crl: [rootCrl.der, revoked.der] });
    p.pump();
    expect(p.c.errors.map((e) => e.alert)).toEqual(['certificate_revoked']);
    expect(p.c.errors[0]?.message).toMatch(/^leaf CN=localhost.* was revoked/);
    expect(p.s.errors.map((e) => [e.alert, e.side])).toEqual([['certificate_revoked', 'remote']]);
  });
  test('a CRL missing for the intermediate: certificate_unknown', () => {
    const p = pair(IDENTITIES.p256, { crl: intCrl.der });
    p.pump();
    expect(p.c.errors.map((e) => e.alert)).toEqual(['certificate_unknown']);
  });
  test('a malformed crl option is a TypeError at construction', () => {
    expect(() => new TlsClient({ serverName: 'localhost', ca: IDENTITIES.p256.ca, crl: 'nothing' })).toThrow(TypeError);
  });
});

describe('TlsClient profile', () => {
  test("'rfc5280' and 'web' both accept the fixture chains; anything else is a TypeError", () => {
    for (const profile of ['web', 'rfc5280'] as const) {
      for (const id of [IDENTITIES.p256, IDENTITIES.rsa2048, IDENTITIES.ed25519]) {
        const p = pair(id, { profile });
        p.pump();
        expect(p.c.errors, `${id.name} ${profile}`).toEqual([]);
      }
    }
    expect(() => new TlsClient({ serverName: 'localhost', ca: IDENTITIES.p256.ca, profile: 'lax' as never })).toThrow("profile must be 'web' or 'rfc5280'");
  });
});
