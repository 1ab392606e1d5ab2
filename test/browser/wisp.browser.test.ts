// In Chromium, through `wasmtls tunnel`'s Wisp mode (started by
// tunnel.global-setup.ts): the wasmtls client (`wisp()` + request() with
// `ca: [...roots, testRoot]`), epoxy-tls 2.1.19 (rustls in WASM, Wisp v1 and
// v2, the test root given as pem_files) and libcurl.js 0.7.4 (curl + Mbed
// TLS in WASM) as Wisp clients of our server.
import * as epoxy from '@mercuryworkshop/epoxy-tls/epoxy-bundled';
import { libcurl } from 'libcurl.js/bundled';
import { describe, expect, inject, test } from 'vitest';
import { ConnectionPool, request } from '../../src/index.js';
import roots from '../../src/roots/index.js';
import { wisp, WispError } from '../../src/transport/wisp.js';

// The package has no "type": "module", so TypeScript reads its ESM build as CommonJS; Vite loads it as ESM.
const initEpoxy = (epoxy as unknown as { default: () => Promise<void> }).default;
const tunnelUrl = inject('tunnelUrl');
const ca = inject('caPem');
const wasmtlsPort = inject('wasmtlsPort');
const httpPort = inject('httpPort');
const nodeTlsPort = inject('nodeTlsPort');

describe('wasmtls/wisp in Chromium', () => {
  test('a GET to a server chaining to a test root added to roots, two requests over one WebSocket', async () => {
    const relay = await wisp(tunnelUrl);
    expect(relay.version).toBe(2);
    const opts = { ca: [...roots, ca], transport: relay.transport };
    const [a, b] = await Promise.all([request(`https://localhost:${wasmtlsPort}/`, opts), request(`https://localhost:${wasmtlsPort}/b`, opts)]);
    for (const res of [a, b]) {
      expect(res.status).toBe(200);
      expect(new TextDecoder().decode(res.body)).toMatch(/^hello from wasmtls over TLSv1\.3 /);
    }
    relay.close();
  });

  test('roots alone refuse the test server (unknown_ca); a blocked target is CLOSE 0x48', async () => {
    const relay = await wisp(tunnelUrl);
    await expect(request(`https://localhost:${wasmtlsPort}/`, { ca: roots, transport: relay.transport })).rejects.toMatchObject({ alert: 'unknown_ca' });
    const err = await request('https://localhost:1/', { ca, transport: relay.transport }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WispError);
    expect((err as WispError).reason).toBe(0x48);
    relay.close();
  });
});

describe('ConnectionPool in Chromium', () => {
  test('two GETs through one Wisp stream: the second on the kept-alive connection', async () => {
    const relay = await wisp(tunnelUrl);
    const pool = new ConnectionPool();
    const opts = { ca: [...roots, ca], transport: relay.transport, pool };
    const a = await pool.request(`https://localhost:${nodeTlsPort}/`, opts);
    const b = await pool.request(`https://localhost:${nodeTlsPort}/again`, opts);
    expect(new TextDecoder().decode(b.body)).toBe('hello from node:https\n');
    expect([a.reused, b.reused]).toEqual([false, true]);
    await pool.close();
    relay.close();
  });
});

describe('epoxy-tls through wasmtls tunnel --wisp', () => {
  for (const v2 of [false, true]) {
    test(`Wisp ${v2 ? 'v2' : 'v1'}: fetch over TLS to the wasmtls server, the test root as pem_files`, async () => {
      await initEpoxy();
      const options = new epoxy.EpoxyClientOptions();
      options.wisp_v2 = v2;
      options.udp_extension_required = false;
      options.pem_files = [ca];
      const client = new epoxy.EpoxyClient(tunnelUrl, options);
      const res = await client.fetch(`https://localhost:${wasmtlsPort}/`, {});
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/^hello from wasmtls over TLSv1\.3 /);
    });
  }
});

describe('libcurl.js through wasmtls tunnel --wisp', () => {
  test('plain HTTP over a Wisp stream; TLS with node:https up to certificate verification (no CA option in 0.7.4)', async () => {
    await libcurl.load_wasm();
    libcurl.set_websocket(tunnelUrl);
    const res = await libcurl.fetch(`http://127.0.0.1:${httpPort}/`);
    expect(await res.text()).toBe('hello over plain http through wisp\n');
    // libcurl.js compiles Mozilla's bundle in (get_cacert() only reads it)
    // and takes no CA option, so our test root cannot be trusted: the
    // handshake must get as far as the server's certificate and fail its
    // verification (CURLE_PEER_FAILED_VERIFICATION, 60), not the connection
    // (7) or the handshake (35). libcurl resolves localhost itself and asks
    // the relay for 127.0.0.1:PORT.
    const err = await libcurl.fetch(`https://localhost:${nodeTlsPort}/`).catch((e: unknown) => e);
    expect(String(err)).toMatch(/error code 60\b/);
  });
});
