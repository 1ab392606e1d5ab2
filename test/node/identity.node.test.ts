// checkServerIdentity as a hook of the chain validation: the chain is
// validated once per handshake (before, connect() validated it twice, once in
// the engine and once in the socket), the application's check runs after it,
// and its Error reaches the application as it made it.
import { once } from 'node:events';
import * as tls from 'node:tls';
import { afterEach, describe, expect, test } from 'vitest';
import { TlsClient, TlsServer } from '../../src/engine.js';
import { TlsError } from '../../src/errors.js';
import { connect, createServer } from '../../src/node/index.js';
import type { CryptoProvider } from '../../src/provider.js';
import { wasmProvider } from '../../src/provider-wasm.js';
import { pump } from '../helpers/tls-pair.js';
import { cleanup, listen, P256, track, WRONG_CA } from './fixtures.js';

afterEach(cleanup);

/** The WASM provider, counting certificate signature checks. */
function counting(): { provider: CryptoProvider; checks: () => number } {
  let n = 0;
  const provider: CryptoProvider = {
    ...wasmProvider,
    x509: {
      verify: (...args) => {
        n++;
        return wasmProvider.x509.verify(...args);
      },
    },
  };
  return { provider, checks: () => n };
}

async function server(): Promise<number> {
  const s = createServer({ cert: P256.chain, key: P256.key }, (socket) => socket.end());
  s.on('tlsClientError', () => undefined);
  return listen(s);
}

describe('checkServerIdentity', () => {
  test('connect(): the chain is validated once (two signatures: leaf and intermediate), then the name check runs', async () => {
    const port = await server();
    const { provider, checks } = counting();
    const seen: string[] = [];
    const socket = track(
      connect({
        host: '127.0.0.1',
        port,
        servername: 'localhost',
        ca: P256.ca,
        provider,
        checkServerIdentity: (host, cert) => {
          seen.push(`${host} ${cert.subject.CN}`);
          return tls.checkServerIdentity(host, cert as unknown as tls.PeerCertificate);
        },
      }),
    );
    await once(socket, 'secureConnect');
    expect(socket.authorized).toBe(true);
    expect(seen).toEqual(['localhost localhost']);
    expect(checks()).toBe(2);
  });

  test("connect(): the application's Error is the socket's error, as it made it", async () => {
    const port = await server();
    const refusal = Object.assign(new Error('not this one'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    const socket = track(connect({ host: '127.0.0.1', port, servername: 'localhost', ca: P256.ca, checkServerIdentity: () => refusal }));
    const [err] = await once(socket, 'error');
    expect(err).toBe(refusal);
  });

  test('the engine: a refusal is bad_certificate with the Error as cause and its code as nodeCode; rejectUnauthorized: false reports it', () => {
    const refusal = Object.assign(new Error('no'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    const client = new TlsClient({ serverName: 'localhost', ca: P256.ca, checkServerIdentity: () => refusal });
    const errors: TlsError[] = [];
    client.on('error', (e) => errors.push(e));
    const srv = new TlsServer({ cert: P256.chain, key: P256.key });
    const serverErrors: TlsError[] = [];
    srv.on('error', (e) => serverErrors.push(e));
    pump(client, srv);
    expect(errors.map((e) => [e.alert, e.nodeCode, e.cause])).toEqual([['bad_certificate', 'ERR_TLS_CERT_ALTNAME_INVALID', refusal]]);
    expect(serverErrors.map((e) => `${e.alert} ${e.side}`)).toEqual(['bad_certificate remote']);

    const lenient = new TlsClient({ serverName: 'localhost', ca: P256.ca, rejectUnauthorized: false, checkServerIdentity: () => refusal });
    pump(lenient, new TlsServer({ cert: P256.chain, key: P256.key }));
    expect(lenient.handshakeInfo?.authorized).toBe(false);
    expect(lenient.handshakeInfo?.authorizationError?.cause).toBe(refusal);
  });

  test('the engine: the name check replaces the subjectAltName check, not the chain', () => {
    const client = new TlsClient({ serverName: 'not-in-the-certificate', ca: P256.ca, checkServerIdentity: () => undefined });
    pump(client, new TlsServer({ cert: P256.chain, key: P256.key }));
    expect(client.handshakeInfo?.authorized).toBe(true);
    let called = 0;
    const wrongCa = new TlsClient({ serverName: 'localhost', ca: WRONG_CA, rejectUnauthorized: false, checkServerIdentity: () => (called++, undefined) });
    pump(wrongCa, new TlsServer({ cert: P256.chain, key: P256.key }));
    expect(wrongCa.handshakeInfo?.authorizationError?.alert).toBe('unknown_ca');
    expect(called).toBe(0);
  });
});
