// vitest globalSetup of the chromium project (runs in Node): starts a
// wasmtls server (echo, or an HTTP answer to a GET), openssl s_server -www
// and a tunnel allowing exactly those two, and provides their addresses to
// the browser tests (test/browser/*.browser.test.ts, through `inject`).
// Everything is stopped in the returned teardown.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { createTcpServer } from '../../src/transport/tcp.js';
import { startTunnel } from '../../src/tunnel/server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** ws://127.0.0.1:PORT/ of the tunnel. */
    tunnelUrl: string;
    /** Port of the wasmtls server on 127.0.0.1 (allowed as localhost:PORT). */
    wasmtlsPort: number;
    /** Port of openssl s_server -www on 127.0.0.1 (allowed as 127.0.0.1:PORT). */
    opensslPort: number;
    /** Port of a TLS 1.2-only openssl s_server -tls1_2 -www on 127.0.0.1 (issue 12). */
    openssl12Port: number;
    /** The root CA of both servers' certificate (leaf-localhost via int-p256). */
    caPem: string;
    /** Port of a plain HTTP server on 127.0.0.1 (allowed as 127.0.0.1:PORT), for Wisp clients without a CA option. */
    httpPort: number;
    /** Port of a node:tls HTTPS server (TLS 1.2 and 1.3, same certificate) on 127.0.0.1, allowed as localhost:PORT. */
    nodeTlsPort: number;
  }
}

const X509 = join(dirname(fileURLToPath(import.meta.url)), '..', 'vectors', 'x509');
const file = (name: string) => join(X509, name);

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const a = s.address();
  await new Promise((r) => s.close(r));
  if (a === null || typeof a !== 'object') throw new Error('no port');
  return a.port;
}

/** openssl s_server -www on a free port; resolves once it prints ACCEPT. */
async function startOpenssl(version = '-tls1_3'): Promise<{ child: ChildProcess; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(process.env.OPENSSL ?? 'openssl', [
      's_server', version, '-www', '-accept', `127.0.0.1:${port}`,
      '-cert', file('leaf-localhost.pem'), '-cert_chain', file('int-p256.pem'), '-key', file('keys/leaf-localhost.pkcs8.pem'),
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const ok = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ACCEPT')) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      child.stderr?.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.on('exit', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (ok) return { child, port };
    child.kill('SIGKILL');
    if (attempt >= 3) throw new Error(`openssl s_server did not start: ${out.slice(0, 400)}`);
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const chain = readFileSync(file('leaf-localhost.pem'), 'utf8') + readFileSync(file('int-p256.pem'), 'utf8');
  const server = createTcpServer({ cert: chain, key: readFileSync(file('keys/leaf-localhost.pkcs8.pem'), 'utf8') }, (conn) => {
    let first = true;
    conn.onend = () => conn.end();
    conn.ondata = (d) => {
      if (first && new TextDecoder().decode(d.subarray(0, 4)) === 'GET ') {
        conn.ondata = () => undefined;
        const info = conn.tls.handshakeInfo;
        const body = `hello from wasmtls over ${info?.version} ${info?.cipherSuite}\n`;
        conn.write(new TextEncoder().encode(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`));
        conn.end();
        return;
      }
      first = false;
      conn.write(d);
    };
  });
  server.onerror = () => undefined;
  const wasmtlsPort = (await server.listen(0, '127.0.0.1')).port;
  const openssl = await startOpenssl();
  const openssl12 = await startOpenssl('-tls1_2');
  // GET /tunnel-log: the tunnel's log lines, for tests that check which way a client came.
  const tunnelLog: string[] = [];
  const http = createHttpServer((req, res) => {
    if (req.url === '/tunnel-log') return void res.writeHead(200, { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'application/json' }).end(JSON.stringify(tunnelLog));
    res.end('hello over plain http through wisp\n');
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const httpPort = (http.address() as { port: number }).port;
  const https = createHttpsServer({ cert: chain, key: readFileSync(file('keys/leaf-localhost.pkcs8.pem'), 'utf8') }, (_req, res) => res.end('hello from node:https\n'));
  await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
  const nodeTlsPort = (https.address() as { port: number }).port;
  // Wisp on as well (test/browser/wisp.browser.test.ts); the ?target= tests are unaffected.
  const tunnel = await startTunnel({ allow: [`localhost:${wasmtlsPort}`, `127.0.0.1:${openssl.port}`, `127.0.0.1:${openssl12.port}`, `127.0.0.1:${httpPort}`, `localhost:${nodeTlsPort}`, `127.0.0.1:${nodeTlsPort}`], wisp: true, log: (l) => void tunnelLog.push(l) });

  project.provide('tunnelUrl', `ws://127.0.0.1:${tunnel.address.port}/`);
  project.provide('wasmtlsPort', wasmtlsPort);
  project.provide('opensslPort', openssl.port);
  project.provide('openssl12Port', openssl12.port);
  project.provide('caPem', readFileSync(file('root-p256.pem'), 'utf8'));
  project.provide('httpPort', httpPort);
  project.provide('nodeTlsPort', nodeTlsPort);

  return async () => {
    await tunnel.close();
    http.closeAllConnections();
    http.close();
    https.closeAllConnections();
    https.close();
    await server.close(0);
    openssl.child.kill('SIGKILL');
    openssl12.child.kill('SIGKILL');
  };
}
