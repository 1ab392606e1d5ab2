// In the real browser (chromium project only): a full TLS 1.3 handshake and
// HTTPS GETs through the WebSocket tunnel started by
// tunnel.global-setup.ts, to a wasmtls server and to openssl s_server.
import { describe, expect, inject, test } from 'vitest';
import { TlsError } from '../../src/errors.js';
import { request } from '../../src/index.js';
import { connectWebSocket, tunnelTransport, WebSocketClosedError } from '../../src/transport/websocket.js';

const tunnelUrl = inject('tunnelUrl');
const ca = inject('caPem');
const wasmtlsPort = inject('wasmtlsPort');
const opensslPort = inject('opensslPort');

async function readAll(s: ReadableStream<Uint8Array>): Promise<string> {
  let text = '';
  const d = new TextDecoder();
  for await (const c of s as unknown as AsyncIterable<Uint8Array>) text += d.decode(c, { stream: true });
  return text;
}

describe('through the tunnel, in the browser', () => {
  test('this runs in Chromium with its native WebSocket', () => {
    expect(navigator.userAgent).toMatch(/Chrome/);
    expect(typeof WebSocket).toBe('function');
  });

  test('connectWebSocket: handshake with the wasmtls server, echo, clean close', async () => {
    const tls = await connectWebSocket(tunnelUrl, { target: `localhost:${wasmtlsPort}`, ca });
    const info = await tls.opened;
    expect(info.version).toBe('TLSv1.3');
    expect(info.authorized).toBe(true);
    expect(info.signatureScheme).toBe('ecdsa_secp256r1_sha256');
    const w = tls.writable.getWriter();
    const text = 'x'.repeat(50_000);
    const got = readAll(tls.readable);
    await w.write(new TextEncoder().encode(text));
    await w.close();
    expect(await got).toBe(text);
    await expect(tls.closed).resolves.toBeUndefined();
  });

  test('request(): HTTPS GET to the wasmtls server (chunked)', async () => {
    const res = await request(`https://localhost:${wasmtlsPort}/`, { ca, transport: tunnelTransport(tunnelUrl) });
    expect(res.status).toBe(200);
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(new TextDecoder().decode(res.body)).toMatch(/^hello from wasmtls over TLSv1\.3 TLS_/);
  });

  test('request(): HTTPS GET to openssl s_server -www (read to close_notify)', async () => {
    const res = await request(`https://127.0.0.1:${opensslPort}/`, { ca, serverName: 'localhost', transport: tunnelTransport(tunnelUrl) });
    expect(res.status).toBe(200);
    expect(new TextDecoder().decode(res.body)).toMatch(/TLSv1\.3/);
    expect(res.tls.peerCertificates.length).toBe(2);
  });

  test('request(): HTTPS GET to a TLS 1.2-only openssl s_server -tls1_2 -www (issue 12)', async () => {
    const res = await request(`https://127.0.0.1:${inject('openssl12Port')}/`, { ca, serverName: 'localhost', transport: tunnelTransport(tunnelUrl) });
    expect(res.status).toBe(200);
    expect(res.tls.version).toBe('TLSv1.2');
    expect(new TextDecoder().decode(res.body)).toMatch(/Protocol\s*: TLSv1\.2/);
  });

  test('a target off the allow list is refused (4403); a wrong CA is a TlsError', async () => {
    const refused = await request(`https://127.0.0.1:${wasmtlsPort}/`, { ca, serverName: 'localhost', transport: tunnelTransport(tunnelUrl) }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WebSocketClosedError);
    expect((refused as WebSocketClosedError).code).toBe(4403);
    const tls = await connectWebSocket(tunnelUrl, { target: `localhost:${wasmtlsPort}`, ca: [] });
    const e = await tls.opened.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TlsError);
  });
});
