// wasmtls/node's connect() with `crl` (node:tls's option) against a node:tls
// server on loopback (issue 15): a revoked leaf ends the connection with
// certificate_revoked, on the engine path and on the checkServerIdentity
// path; CRLs that list nothing let it through and data flows.
import { createPrivateKey } from 'node:crypto';
import * as tls from 'node:tls';
import { afterEach, describe, expect, test } from 'vitest';
import { TlsError } from '../../src/errors.js';
import { connect, type ConnectionOptions } from '../../src/node/index.js';
import { encodePem } from '../../src/x509/index.js';
import { cleanup, listen, next, P256, track } from '../node/fixtures.js';
import { cert, keyPem } from '../helpers/x509-fixtures.js';
import { makeCrl } from './generate.js';

afterEach(cleanup);

const issued = (name: string) => ({ cert: cert(name), key: createPrivateKey(keyPem(name, 'pkcs8')), point: new Uint8Array(0) });
const pem = (der: Uint8Array): string => encodePem('X509 CRL', der);
const clean = pem(makeCrl({ issuer: issued('root-p256') }).der) + pem(makeCrl({ issuer: issued('int-p256') }).der);
const revoking = pem(makeCrl({ issuer: issued('root-p256') }).der) + pem(makeCrl({ issuer: issued('int-p256'), revoked: [cert('leaf-localhost').serialNumber] }).der);

async function nodeServer(): Promise<number> {
  const server = tls.createServer({ cert: P256.chain, key: P256.key, minVersion: 'TLSv1.3' }, (s) => {
    s.on('error', () => undefined);
    s.pipe(s);
  });
  return listen(server);
}

const base = (port: number, more: Partial<ConnectionOptions>): ConnectionOptions => ({ host: 'localhost', port, ca: P256.ca, now: new Date('2030-06-01T00:00:00Z'), ...more });

describe('connect() with crl', () => {
  test('CRLs that list nothing: connected, echo', async () => {
    const port = await nodeServer();
    const s = track(connect(base(port, { crl: clean })));
    await next(s, 'secureConnect');
    expect(s.authorized).toBe(true);
    s.write('ping');
    const [d] = await next<[Buffer]>(s, 'data');
    expect(d.toString()).toBe('ping');
    s.end();
  });
  test('a revoked leaf: certificate_revoked', async () => {
    const port = await nodeServer();
    const s = track(connect(base(port, { crl: revoking })));
    const [err] = await next<[TlsError]>(s, 'error');
    expect(err).toBeInstanceOf(TlsError);
    expect(err.alert).toBe('certificate_revoked');
  });
  test('a revoked leaf on the checkServerIdentity path: refused before the name check runs', async () => {
    const port = await nodeServer();
    const calls: string[] = [];
    const s = track(
      connect(
        base(port, {
          crl: revoking,
          checkServerIdentity: (host) => {
            calls.push(host);
            return undefined;
          },
        }),
      ),
    );
    const [err] = await next<[TlsError]>(s, 'error');
    expect(err.alert).toBe('certificate_revoked');
    expect(calls).toEqual([]);
  });
});
