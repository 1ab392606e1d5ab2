// Errors that detect the common mistakes and say the next step (issue 16),
// one test each, through wasmtls/node as a user meets them (and the CLI's
// wording where it differs): plaintext where TLS was expected, TLS 1.0/1.1
// peers both ways, an unknown CA, a name mismatch, a key that does not match
// the certificate, a PEM with no certificate.
import { createServer as netServer } from 'node:net';
import { PassThrough } from 'node:stream';
import * as tls from 'node:tls';
import { afterEach, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { connect, type ConnectionOptions, createServer } from '../../src/node/index.js';
import { cleanup, ED25519, listen, P256, track, WRONG_CA } from './fixtures.js';

afterEach(cleanup);

/** The error a wasmtls client gets connecting with `options`. */
function clientError(options: ConnectionOptions): Promise<Error> {
  return new Promise((resolve, reject) => {
    const s = track(connect({ host: '127.0.0.1', servername: 'localhost', ca: P256.ca, ...options }));
    s.on('error', resolve);
    s.on('secureConnect', () => reject(new Error('connected')));
  });
}

async function nodeTlsServer(options: tls.TlsOptions = {}): Promise<number> {
  const server = track(tls.createServer({ cert: P256.chain, key: P256.key, ...options }, (s) => s.on('error', () => undefined)));
  server.on('tlsClientError', () => undefined);
  return listen(server);
}

describe('errors that say what to do', () => {
  test('plaintext where TLS was expected: the first printable bytes and the next step', async () => {
    const server = track(netServer((s) => s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'))));
    const port = await listen(server);
    const e = await clientError({ port });
    expect(e.message).toContain('the peer sent text ("HTTP/"), not a TLS record');
    expect(e.message).toContain('for a plain-text server use http://, else check the port');
  });

  test('a TLS 1.0/1.1-only client: the server names the version and what the client must do', async () => {
    const server = track(createServer({ cert: P256.chain, key: P256.key }));
    const errors: Error[] = [];
    server.on('tlsClientError', (e: Error) => errors.push(e));
    const port = await listen(server);
    await new Promise<void>((resolve) => {
      const c = tls.connect({ host: '127.0.0.1', port, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0', rejectUnauthorized: false });
      c.on('error', () => resolve());
    });
    await expect.poll(() => errors.length).toBe(1);
    expect(errors[0]?.message).toBe('ClientHello: the client offers at most TLS 1.1 (0x0302); wasmtls speaks TLS 1.2 and TLS 1.3 only: the client must enable TLS 1.2 or 1.3 (RFC 8996 deprecates TLS 1.0 and 1.1)');
  });

  test('a TLS 1.0/1.1-only server: the client says it may speak only older versions', async () => {
    const port = await nodeTlsServer({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
    const e = await clientError({ port });
    expect(e.message).toBe('peer sent a fatal protocol_version alert (70): the peer accepts none of the versions offered; it may speak only TLS 1.1 or older, and wasmtls speaks TLS 1.2 and TLS 1.3');
  });

  test('unknown CA: names the option to use (and the CLI its flag)', async () => {
    const port = await nodeTlsServer();
    const e = await clientError({ port, ca: WRONG_CA });
    expect(e.message).toMatch(/^unknown certificate authority: .* which is not a trust anchor, nor among the 1 other certificates the peer sent; to trust it, pass that CA's certificate in `ca`$/);
    const cli = await run(['connect', `127.0.0.1:${port}`, '--servername', 'localhost', '--ca', await writeTemp(WRONG_CA)]);
    expect(cli.status).toBe(1);
    expect(cli.err).toMatch(/to trust it, pass that CA's certificate with --ca FILE \(or skip the check with --insecure\)\n$/);
  });

  test("name mismatch: lists the certificate's names (and the CLI says how to pick one)", async () => {
    const port = await nodeTlsServer();
    const e = await clientError({ port, servername: 'other.example' });
    expect(e.message).toBe('hostname mismatch: certificate is for localhost, not other.example');
    const cli = await run(['connect', `127.0.0.1:${port}`, '--servername', 'other.example', '--ca', await writeTemp(P256.ca)]);
    expect(cli.err).toBe('error: bad_certificate: hostname mismatch: certificate is for localhost, not other.example; connect to one of those names (connect: or check one with --servername NAME)\n');
  });

  test('a private key that does not match the certificate', () => {
    expect(() => createServer({ cert: P256.chain, key: ED25519.key })).toThrow(
      /^key: this ed25519 key does not belong to the certificate CN=localhost.* \(ec key\); pass the key made with that certificate \(a fullchain file must start with the leaf\)$/,
    );
  });

  test('a PEM with no certificate: says which file it is and where it goes', () => {
    expect(() => createServer({ cert: P256.key, key: P256.key })).toThrow(/PEM: no CERTIFICATE block \(found PRIVATE KEY\): this is a key file; pass it as `key`, and the certificate file as `cert` \(or `ca`\)/);
    const publicKeyPem = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n';
    expect(() => connect({ host: '127.0.0.1', port: 1, ca: publicKeyPem })).toThrow(/no CERTIFICATE block \(found PUBLIC KEY\): pass the file that holds the -----BEGIN CERTIFICATE----- block/);
  });
});

async function writeTemp(text: string): Promise<string> {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const file = join(mkdtempSync(join(tmpdir(), 'wasmtls-hints-')), 'ca.pem');
  writeFileSync(file, text);
  return file;
}

async function run(argv: string[]): Promise<{ status: number; err: string }> {
  const err = new PassThrough();
  let text = '';
  err.on('data', (d: Buffer) => (text += String(d)));
  const stdin = new PassThrough();
  stdin.end();
  const status = await main(argv, { stdin, stdout: new PassThrough(), stderr: err }, () => Promise.resolve());
  return { status, err: text };
}
