// node:http over wasmtls/node: http.request({ createConnection }) against
// createServer() feeding an http.Server, and against node:https; node:https
// against createServer(). HTTP/1.1 parsing is Node's own on both ends, so
// these show the TLSSocket is a stream Node's HTTP stack accepts.
import * as http from 'node:http';
import * as https from 'node:https';
import { afterEach, describe, expect, test } from 'vitest';
import { connect, createServer, type TLSSocket } from '../../src/node/index.js';
import { cleanup, listen, liveHandles, P256, track } from './fixtures.js';

afterEach(cleanup);

const handler: http.RequestListener = (req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (d: string) => {
    body += d;
  });
  req.on('end', () => {
    const enc = (req.socket as { encrypted?: boolean }).encrypted === true ? 'tls' : 'plain';
    res.setHeader('content-type', 'text/plain');
    res.end(`${req.method} ${req.url} ${enc} ${body.length}`);
  });
};

/** createServer() handing each TLS connection to an http.Server (never listening itself). */
async function wasmHttpsServer(): Promise<number> {
  const httpServer = http.createServer(handler);
  const server = createServer({ cert: P256.chain, key: P256.key, ALPNProtocols: ['http/1.1'] }, (socket: TLSSocket) => {
    httpServer.emit('connection', socket);
  });
  return listen(server);
}

async function nodeHttpsServer(): Promise<number> {
  const server = https.createServer({ cert: P256.chain, key: P256.key }, handler);
  return listen(server);
}

function request(options: https.RequestOptions, body?: string): Promise<{ status: number; text: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('request timed out')), 5_000);
    const req = (options.protocol === 'https:' ? https : http).request(options, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        text += d;
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text, headers: res.headers });
      });
      res.on('error', reject);
    });
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end(body);
  });
}

function viaWasmtls(port: number): () => TLSSocket {
  return () => track(connect({ host: 'localhost', port, ca: P256.ca, ALPNProtocols: ['http/1.1'] }));
}

describe('node:http over wasmtls/node', () => {
  test('http.request({ createConnection: connect }) against createServer() + http.Server', async () => {
    const port = await wasmHttpsServer();
    const res = await request({ host: 'localhost', port, path: '/hello?x=1', createConnection: viaWasmtls(port) });
    expect(res.status).toBe(200);
    expect(res.text).toBe('GET /hello?x=1 tls 0');
    const post = await request({ host: 'localhost', port, method: 'POST', path: '/upload', createConnection: viaWasmtls(port) }, 'x'.repeat(70_000));
    expect(post.text).toBe('POST /upload tls 70000');
  });

  test('http.request({ createConnection: connect }) against node:https', async () => {
    const port = await nodeHttpsServer();
    const res = await request({ host: 'localhost', port, path: '/from-wasmtls', createConnection: viaWasmtls(port) });
    expect(res.status).toBe(200);
    expect(res.text).toBe('GET /from-wasmtls tls 0');
  });

  test('a keep-alive http.Agent reuses one wasmtls connection for several requests', async () => {
    const port = await wasmHttpsServer();
    let made = 0;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    (agent as unknown as { createConnection: () => TLSSocket }).createConnection = () => {
      made++;
      return viaWasmtls(port)();
    };
    try {
      for (let i = 0; i < 3; i++) {
        const res = await request({ host: 'localhost', port, path: `/r${i}`, agent });
        expect(res.text).toBe(`GET /r${i} tls 0`);
      }
      expect(made).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  test('node:https client against createServer()', async () => {
    const port = await wasmHttpsServer();
    const res = await request({ protocol: 'https:', host: 'localhost', port, path: '/from-node', ca: P256.ca, agent: false });
    expect(res.status).toBe(200);
    expect(res.text).toBe('GET /from-node tls 0');
  });

  test('after the servers close, no socket, server or timer is left', async () => {
    const before = liveHandles().length;
    const port = await wasmHttpsServer();
    await request({ host: 'localhost', port, path: '/', createConnection: viaWasmtls(port) });
    await cleanup();
    const t0 = Date.now();
    while (liveHandles().length > before && Date.now() - t0 < 3_000) await new Promise((r) => setTimeout(r, 10));
    expect(liveHandles().length, liveHandles().join(', ')).toBeLessThanOrEqual(before);
  });
});
