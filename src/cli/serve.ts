// `wasmtls serve`: a TLS 1.3 server on loopback (or --host) that echoes
// (--echo, the default) or answers HTTP/1.1 GET with a page naming the
// negotiated parameters (--www), in one record; GET /keyupdate also sends a
// KeyUpdate first (what tlsfuzzer's scripts expect of a test server). Without --cert it makes a fresh CA and a
// localhost certificate and writes the CA to a file it names on stdout.
// Prints `listening on HOST:PORT` once ready. A failing client is logged
// on stderr and never stops the server; SIGINT or SIGTERM shut it down
// (close_notify to every client, then exit 0).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTcpServer, type TcpServerOptions, type TcpTlsConnection, type TcpTlsServer } from '../node/index.js';
import type { HandshakeInfo } from '../handshake/common.js';
import type { ServeArgs } from './args.js';
import type { Io } from './connect.js';
import { describeError, describeHandshake } from './describe.js';
import { makeDevIdentity } from './dev-cert.js';
import { keylogFromEnv } from './keylog.js';

/** Longest HTTP request head --www reads before answering 431. */
const MAX_REQUEST_HEAD = 16 * 1024;

/** PEM text, or DER bytes when the file holds no PEM block. */
function readCredential(path: string): string | Uint8Array {
  const bytes = readFileSync(path);
  const text = bytes.toString('latin1');
  return text.includes('-----BEGIN ') ? text : new Uint8Array(bytes);
}

function peerName(conn: TcpTlsConnection): string {
  const s = conn.socket;
  return s.remoteFamily === 'IPv6' ? `[${s.remoteAddress}]:${s.remotePort}` : `${s.remoteAddress}:${s.remotePort}`;
}

function echo(conn: TcpTlsConnection): void {
  conn.ondrain = () => conn.resume();
  conn.ondata = (data) => {
    if (!conn.write(data)) conn.pause();
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(info: HandshakeInfo, client: string): string {
  const rows: [string, string][] = [
    ['Protocol', info.version],
    ['Cipher suite', info.cipherSuite],
    ['Key exchange group', info.group],
    ['Server signature', info.signatureScheme],
    ['ALPN', info.alpn ?? '(none)'],
    ['Server name (SNI)', info.serverName ?? '(none)'],
    ['HelloRetryRequest', info.helloRetryRequest ? 'yes' : 'no'],
    ['Client', client],
  ];
  const body = rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n');
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>wasmtls</title></head>\n<body><h1>wasmtls</h1>\n<table>\n${body}\n</table></body></html>\n`;
}

/**
 * Writes the whole reply with one write, so it goes out in one
 * application_data record (the page is far below 2^14 bytes): two records
 * would reveal the header and body sizes apart, and tlsfuzzer, like most
 * test clients, expects the reply in one record.
 */
function respond(conn: TcpTlsConnection, status: string, contentType: string, body: string, head = false): void {
  const bytes = new TextEncoder().encode(body);
  const header = new TextEncoder().encode(`HTTP/1.1 ${status}\r\nContent-Type: ${contentType}\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`);
  const reply = new Uint8Array(header.length + (head ? 0 : bytes.length));
  reply.set(header);
  if (!head) reply.set(bytes, header.length);
  conn.write(reply);
  conn.end();
}

/** --www: one request per connection, answered once its head is complete, then close_notify. */
function www(conn: TcpTlsConnection, peer: string): void {
  let head = '';
  const decoder = new TextDecoder('latin1');
  conn.ondata = (data) => {
    if (conn.tls.writeClosed) return;
    head += decoder.decode(data, { stream: true });
    const end = head.indexOf('\r\n\r\n');
    if (end === -1) {
      if (head.length > MAX_REQUEST_HEAD) respond(conn, '431 Request Header Fields Too Large', 'text/plain', 'request head too large\n');
      return;
    }
    const [method = '', target = '', version = ''] = (head.slice(0, head.indexOf('\r\n')) as string).split(' ');
    if (!/^HTTP\/1\.[01]$/.test(version)) return respond(conn, '400 Bad Request', 'text/plain', 'HTTP/1.0 or HTTP/1.1 expected\n');
    if (method !== 'GET' && method !== 'HEAD') return respond(conn, '405 Method Not Allowed', 'text/plain', `${method} is not supported; use GET\n`);
    if (!target.startsWith('/')) return respond(conn, '400 Bad Request', 'text/plain', 'bad request target\n');
    // As tlslite-ng's test server: /keyupdate first sends a KeyUpdate asking
    // the client to update too (RFC 8446 §4.6.3), for tlsfuzzer's scripts.
    if (target.startsWith('/keyupdate')) conn.tls.keyUpdate(true);
    respond(conn, '200 OK', 'text/html; charset=utf-8', page(conn.tls.handshakeInfo as HandshakeInfo, peer), method === 'HEAD');
  };
}

/** Runs `wasmtls serve` until `stop` resolves (a signal); resolves with the exit status. */
export async function runServe(args: ServeArgs, io: Io, stop: Promise<void>): Promise<number> {
  let options: TcpServerOptions;
  let caFile: string | undefined;
  try {
    if (args.cert !== undefined && args.key !== undefined) {
      options = { cert: readCredential(args.cert), key: readCredential(args.key) };
    } else {
      const dev = makeDevIdentity(args.host);
      caFile = join(mkdtempSync(join(tmpdir(), 'wasmtls-')), 'ca.pem');
      writeFileSync(caFile, dev.caPem);
      options = { cert: dev.certPem, key: dev.key };
    }
    if (args.alpn) options.alpn = args.alpn;
    if (args.ciphers) options.cipherSuites = args.ciphers;
    if (args.groups) options.groups = args.groups;
    Object.assign(options, keylogFromEnv());
  } catch (e) {
    io.stderr.write(`error: ${describeError(e)}\n`);
    return 1;
  }

  // Addresses are read at accept time: a closed socket no longer has one.
  const names = new WeakMap<TcpTlsConnection, string>();
  let server: TcpTlsServer;
  try {
    server = createTcpServer(options, (conn) => {
      const name = peerName(conn);
      names.set(conn, name);
      conn.handshake.then(
        (info) => io.stderr.write(`${name}: ${describeHandshake(info)}${info.serverName === undefined ? '' : ` SNI=${info.serverName}`}\n`),
        () => undefined,
      );
      if (args.mode === 'www') www(conn, name);
      else echo(conn);
    });
  } catch (e) {
    io.stderr.write(`error: ${describeError(e)}\n`);
    return 1;
  }
  server.onerror = (e, conn) => io.stderr.write(`${(conn && names.get(conn)) ?? 'server'}: error: ${describeError(e)}\n`);

  try {
    const address = await server.listen(args.port, args.host);
    if (caFile !== undefined) io.stdout.write(`CA certificate written to ${caFile}\n`);
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    io.stdout.write(`listening on ${host}:${address.port}\n`);
  } catch (e) {
    io.stderr.write(`error: ${describeError(e)}\n`);
    await server.close(0);
    return 1;
  }
  await stop;
  await server.close(2_000);
  return 0;
}
