// node:tls's codes for self-signed certificates, compared with wasmtls on the
// same chains from the same node:tls server on loopback: a self-signed leaf
// that is not trusted is DEPTH_ZERO_SELF_SIGNED_CERT; a chain that ends in a
// self-signed root that is not a trust anchor is SELF_SIGNED_CERT_IN_CHAIN.
// wasmtls reports the code as `nodeCode` on the TlsError (its `code` is the
// alert number) and on `authorizationError` with rejectUnauthorized false.
import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';
import { afterEach, describe, expect, test } from 'vitest';
import { TlsError } from '../../src/errors.js';
import { connect, type ConnectionOptions } from '../../src/node/index.js';
import { cleanup, listen, next, P256, track } from './fixtures.js';

afterEach(cleanup);

const X509 = new URL('../vectors/x509/', import.meta.url);
const file = (name: string): string => readFileSync(new URL(name, X509), 'utf8');

const CASES = [
  {
    code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    what: 'a self-signed leaf',
    cert: file('self-signed.pem'),
    key: file('keys/self-signed.pkcs8.pem'),
    servername: 'self-signed.example.com',
  },
  {
    code: 'SELF_SIGNED_CERT_IN_CHAIN',
    what: 'a chain ending in a self-signed root that is not trusted',
    cert: file('leaf-unknown-root.pem') + file('int-unknown.pem') + file('root-unknown.pem'),
    key: file('keys/leaf-broken.pkcs8.pem'),
    servername: 'localhost',
  },
] as const;

async function nodeServer(cert: string, key: string): Promise<number> {
  const server = tls.createServer({ cert, key, minVersion: 'TLSv1.3' }, (s) => {
    s.on('error', () => undefined);
    s.end();
  });
  server.on('tlsClientError', () => undefined);
  return listen(server);
}

describe.each(CASES)('$code: $what', ({ code, cert, key, servername }) => {
  test('node:tls and wasmtls/node fail with the same code', async () => {
    const port = await nodeServer(cert, key);
    const options = { host: '127.0.0.1', port, servername, ca: P256.ca };
    const theirs = track(tls.connect(options));
    const [nodeErr] = await next<[Error & { code?: string }]>(theirs, 'error');
    expect(nodeErr.code).toBe(code);

    const ours = track(connect(options as ConnectionOptions));
    const [err] = await next<[TlsError]>(ours, 'error');
    expect(err).toBeInstanceOf(TlsError);
    expect([err.nodeCode, err.alert, err.reason]).toEqual([code, 'unknown_ca', 'alert-sent']);
  });

  test('with rejectUnauthorized false, authorizationError carries the code', async () => {
    const port = await nodeServer(cert, key);
    const options = { host: '127.0.0.1', port, servername, ca: P256.ca, rejectUnauthorized: false };
    const theirs = track(tls.connect(options));
    await next(theirs, 'secureConnect');
    expect([theirs.authorized, theirs.authorizationError]).toEqual([false, code]);

    const ours = track(connect(options as ConnectionOptions));
    await next(ours, 'secureConnect');
    expect(ours.authorized).toBe(false);
    expect((ours.authorizationError as TlsError).nodeCode).toBe(code);
  });
});
