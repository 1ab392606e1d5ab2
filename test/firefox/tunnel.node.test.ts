// Firefox ESR through the WebSocket tunnel: the page's wasmtls client does a
// TLS 1.3 handshake and an HTTP GET end to end with `openssl s_server -www`
// and with a wasmtls server, both on 127.0.0.1, through one `wasmtls
// tunnel` allowed to reach those two only.
import { afterAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { serveDemoHttp } from '../../src/cli/demo.js';
import { createTcpServer, type TcpTlsServer } from '../../src/transport/tcp.js';
import { startTunnel, type Tunnel } from '../../src/tunnel/server.js';
import { FILE_IDENTITIES, killAll, pems, startListening } from '../helpers/interop.js';
import { bundleForBrowser, ROOT, runInFirefox } from './harness.js';

interface Visit {
  name: string;
  ok: boolean;
  error?: string;
  cipherSuite?: string;
  group?: string;
  authorized?: boolean;
  messages: string[];
  response?: string;
}

let tunnel: Tunnel | undefined;
let server: TcpTlsServer | undefined;
afterAll(async () => {
  killAll();
  await tunnel?.close();
  await server?.close(1_000);
});

const HANDSHAKE = [
  'sent ClientHello',
  'received ServerHello',
  'received EncryptedExtensions',
  'received Certificate',
  'received CertificateVerify',
  'received Finished',
  'sent Finished',
];

describe('Firefox ESR', () => {
  test('handshake and GET through the tunnel to openssl s_server -www and to a wasmtls server', async () => {
    const id = FILE_IDENTITIES.p256;
    const files = pems(id);
    const { port: opensslPort } = await startListening((p) => ['s_server', '-tls1_3', '-www', '-naccept', '1', '-accept', `127.0.0.1:${p}`, '-cert', id.leaf, '-key', id.key, '-cert_chain', id.intermediate]);
    server = createTcpServer({ cert: files.chain, key: files.key, handshakeTimeout: 10_000 }, serveDemoHttp);
    const wasmtlsPort = (await server.listen(0, '127.0.0.1')).port;
    const targets = [`127.0.0.1:${opensslPort}`, `127.0.0.1:${wasmtlsPort}`];
    tunnel = await startTunnel({ allow: targets, port: 0, host: '127.0.0.1' });
    const ws = `ws://127.0.0.1:${tunnel.address.port}/`;
    const list = [
      { name: 'openssl s_server', tunnelUrl: `${ws}?target=${targets[0]}`, ca: files.ca, serverName: id.serverName },
      { name: 'wasmtls server', tunnelUrl: `${ws}?target=${targets[1]}`, ca: files.ca, serverName: id.serverName },
    ];
    const script = await bundleForBrowser(join(ROOT, 'test', 'firefox', 'entries', 'tunnel.ts'));
    expect(script).not.toMatch(/from ?["']node:/);
    const run = await runInFirefox<{ userAgent: string; results: Visit[] }>({
      script,
      timeoutMs: 90_000,
      route: (req, res) => {
        if (req.method !== 'GET' || req.url !== '/targets') return false;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(list));
        return true;
      },
    });
    expect(run.result.userAgent).toMatch(/Firefox\//);
    const [openssl, wasmtls] = run.result.results as [Visit, Visit];
    expect(openssl.error).toBeUndefined();
    expect(openssl.ok).toBe(true);
    expect(openssl.authorized).toBe(true);
    expect(openssl.messages.slice(0, 7)).toEqual(HANDSHAKE);
    expect(openssl.response).toMatch(/^HTTP\/1\.0 200 ok\r\n/);
    expect(openssl.response).toMatch(/TLSv1\.3, Cipher is TLS_AES_128_GCM_SHA256/);
    expect(wasmtls.error).toBeUndefined();
    expect(wasmtls.messages).toEqual(HANDSHAKE);
    expect(wasmtls.cipherSuite).toBe('TLS_AES_128_GCM_SHA256');
    expect(wasmtls.response).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*Hello over TLS 1\.3 from wasmtls/);
  }, 120_000);
});
