// Version fields (issue 11, items 1, 2 and 6), as BoGo and tlsfuzzer probe
// them: legacy_record_version is ignored (RFC 8446 §5.1, Appendix D.2), a
// Hello with legacy_version 0x0300 or lower is protocol_version (Appendix
// D.5), and a peer that negotiates an older version gets protocol_version,
// not decode_error, whatever its extension block looks like (Appendix D.1,
// D.2). Each case runs on the WASM provider and the reference provider.
import { describe, expect, test } from 'vitest';
import type { TestHooks } from '../../src/handshake/common.js';
import { frameHandshake, type HandshakeMessage } from '../../src/wire/index.js';
import { fromHex } from '../helpers/hex.js';
import { expectFailed, plaintextRecord, PROVIDERS, run, watch, watchedServer } from '../helpers/hostile.js';
import { TlsServer } from '../../src/engine.js';
import { concatBytes, IDENTITIES, pair, type Pair, record } from '../helpers/tls-pair.js';

/** Rewrites legacy_record_version of every plaintext (non-application_data) record in `bytes`. */
function withRecordVersion(bytes: Uint8Array, version: (type: number, index: number) => number): Uint8Array {
  const out = bytes.slice();
  let index = 0;
  for (let at = 0; at + 5 <= out.length; index++) {
    const type = out[at] as number;
    if (type !== 23) {
      const v = version(type, index);
      out[at + 1] = v >> 8;
      out[at + 2] = v & 0xff;
    }
    at += 5 + (((out[at + 3] as number) << 8) | (out[at + 4] as number));
  }
  return out;
}

/** Pumps a pair, passing every chunk from `from` through `change` first. */
function pumpChanging(p: Pair, from: 'client' | 'server', change: (chunk: Uint8Array, n: number) => Uint8Array): void {
  let n = 0;
  for (let round = 0; round < 100; round++) {
    const co = p.client.takeOutput();
    const so = p.server.takeOutput();
    if (co.length === 0 && so.length === 0) return;
    for (const o of co) p.server.receive(from === 'client' ? change(o, n++) : o);
    for (const o of so) p.client.receive(from === 'server' ? change(o, n++) : o);
  }
  throw new Error('no quiescence');
}

/** Both sides connected and application data crosses both ways. */
function expectWorking(p: Pair): void {
  expect(p.c.errors).toEqual([]);
  expect(p.s.errors).toEqual([]);
  expect(p.client.connected && p.server.connected).toBe(true);
  p.client.write(fromHex('0102'));
  p.server.write(fromHex('0304'));
  p.pump();
  expect(p.s.data).toEqual([fromHex('0102')]);
  expect(p.c.data).toEqual([fromHex('0304')]);
}

/** A ServerHello body from `m` with another legacy_version and a raw extensions block (or none). */
function rawServerHello(m: Extract<HandshakeMessage, { type: 'server_hello' }>, version: number, suite: number, extensions: Uint8Array | undefined): Uint8Array {
  return frameHandshake(
    2,
    concatBytes([Uint8Array.of(version >> 8, version & 0xff), m.random, Uint8Array.of(m.legacySessionIdEcho.length), m.legacySessionIdEcho, Uint8Array.of(suite >> 8, suite & 0xff, 0), extensions ?? new Uint8Array(0)]),
  );
}

/** A pre-TLS 1.3 ClientHello: legacy_version, one suite, null compression, and `extensions` as the raw block (or none). */
function oldClientHello(version: number, extensions: Uint8Array | undefined): Uint8Array {
  const body = concatBytes([Uint8Array.of(version >> 8, version & 0xff), new Uint8Array(32).fill(7), fromHex('00'), fromHex('0004c02f00ff'), fromHex('0100'), extensions ?? new Uint8Array(0)]);
  return frameHandshake(1, body);
}

for (const provider of PROVIDERS) {
  describe(`version fields (${provider.name} provider)`, () => {
    test('legacy_record_version is ignored on every plaintext record to the server (0x0300 ClientHello, 0x0301 CCS)', () => {
      const p = pair(IDENTITIES.p256, { provider }, { provider });
      watch(p.server);
      // tlsfuzzer's first flight: ClientHello at 0x0300; then anything else at 0x0301.
      pumpChanging(p, 'client', (chunk, n) => withRecordVersion(chunk, (_type, i) => (n === 0 && i === 0 ? 0x0300 : 0x0301)));
      expectWorking(p);
    });

    test('legacy_record_version is ignored on every plaintext record to the client (0x0301 ServerHello, 0x0302 CCS)', () => {
      const p = pair(IDENTITIES.p256, { provider }, { provider });
      watch(p.client);
      pumpChanging(p, 'server', (chunk) => withRecordVersion(chunk, (type) => (type === 20 ? 0x0302 : 0x0301)));
      expectWorking(p);
    });

    test('a late plaintext alert at 0x0300 is read as the alert it is', () => {
      const p = pair(IDENTITIES.p256, { provider }, { provider });
      watch(p.server);
      p.server.receive(withRecordVersion(concatBytes(p.client.takeOutput()), () => 0x0300));
      p.server.takeOutput();
      p.server.receive(plaintextRecord(21, fromHex('0228'), 0x0300));
      expect(p.s.errors.map((e) => `${e.alert} ${e.side}`)).toEqual(['handshake_failure remote']);
    });

    for (const version of [0x0300, 0x0200, 0x0002]) {
      test(`ClientHello.legacy_version 0x${version.toString(16).padStart(4, '0')} with supported_versions offering TLS 1.3: protocol_version (Appendix D.5)`, () => {
        const { p } = run(provider, { clientHooks: { handshake: (m) => (m.type === 'client_hello' ? { ...m, legacyVersion: version } : m) } });
        expectFailed(p.server, p.s, 'protocol_version', p.c);
      });
    }

    test('ServerHello.legacy_version 0x0300 with supported_versions: protocol_version (Appendix D.5)', () => {
      const { p } = run(provider, { serverHooks: { handshake: (m) => (m.type === 'server_hello' ? { ...m, legacyVersion: 0x0300 } : m) } });
      expectFailed(p.client, p.c, 'protocol_version', p.s);
    });

    const sh = (f: (m: Extract<HandshakeMessage, { type: 'server_hello' }>) => Uint8Array): TestHooks => ({ handshake: (m) => (m.type === 'server_hello' ? f(m) : m) });
    for (const [name, version, suite, block] of [
      ['TLS 1.2 with an empty extensions block', 0x0303, 0xc02f, fromHex('0000')],
      ['TLS 1.2 with renegotiation_info only (5 bytes)', 0x0303, 0xc02f, fromHex('0005ff01000100')],
      ['TLS 1.0 with an empty extensions block', 0x0301, 0x002f, fromHex('0000')],
      ['TLS 1.0 without extensions', 0x0301, 0x002f, undefined],
    ] as const) {
      // A client limited to TLS 1.3 (a default client does TLS 1.2: test/hostile/tls12.test.ts).
      test(`a ServerHello choosing ${name} to a client with minVersion TLSv1.3: protocol_version (Appendix D.1)`, () => {
        const { p } = run(provider, { client: { minVersion: 'TLSv1.3' }, serverHooks: sh((m) => rawServerHello(m, version, suite, block)) });
        expectFailed(p.client, p.c, 'protocol_version', p.s);
        expect(p.c.errors[0]?.message).toMatch(/chose TLS 1\.2|wants TLS 1\.0/);
      });
    }

    for (const [name, block] of [
      ['a 4-byte extensions block (extended_master_secret)', fromHex('000400170000')],
      ['an empty extensions block', fromHex('0000')],
      ['renegotiation_info and ec_point_formats', fromHex('000bff01000100000b00020100')],
    ] as const) {
      test(`a TLS 1.2 ClientHello with ${name} to a server with minVersion TLSv1.3: protocol_version (Appendix D.2)`, () => {
        const server = new TlsServer({ cert: IDENTITIES.p256.cert, key: IDENTITIES.p256.key, provider, minVersion: 'TLSv1.3' });
        const r = record(server);
        watch(server);
        server.receive(plaintextRecord(22, oldClientHello(0x0303, block), 0x0301));
        expectFailed(server, r, 'protocol_version');
      });
    }

    test('a TLS 1.3 ClientHello whose extensions block is under 8 bytes is still decode_error (§4.1.2)', () => {
      const { server, r } = watchedServer(provider);
      // Only supported_versions [0x0304]: 7 bytes, below the ClientHello's minimum of 8.
      server.receive(plaintextRecord(22, oldClientHello(0x0303, fromHex('0007002b0003020304')), 0x0301));
      expectFailed(server, r, 'decode_error');
    });
  });
}
