// Hostile input (issue 6): records the engine must refuse (or accept): sizes,
// content types, change_cipher_spec, alerts, tags, KeyUpdate, truncation. One
// test per case, each expecting the named alert (checked by expectFailed:
// sent to the peer, the engine closed within a second, nothing but TlsError
// raised), on the WASM provider and the reference provider.
import { describe, expect, test } from 'vitest';
import type { TestHooks } from '../../src/handshake/common.js';
import { hkdfExpandLabel } from '../../src/keyschedule.js';
import { SHA256 } from '../../src/provider-wasm.js';
import { encodeHandshake } from '../../src/wire/index.js';
import { fromHex, utf8 } from '../helpers/hex.js';
import { expectFailed, forge, hooked, plaintextRecord, PROVIDERS, run, watchedPair, watchedServer } from '../helpers/hostile.js';
import { concatBytes, IDENTITIES } from '../helpers/tls-pair.js';

for (const provider of PROVIDERS) {
  describe(`records (${provider.name} provider)`, () => {
    /** A connected pair and the server's application write secret. */
    function connected() {
      const r = run(provider, { client: { cipherSuites: ['TLS_AES_128_GCM_SHA256'] } });
      expect(r.p.c.handshake).toBeDefined();
      return { ...r, serverAp: r.keys.get('SERVER_TRAFFIC_SECRET_0') as Uint8Array };
    }
    test('ciphertext of 2^14 + 257 bytes: record_overflow', () => {
      const { p } = connected();
      p.client.receive(fromHex('1703034101'));
      expectFailed(p.client, p.c, 'record_overflow');
    });
    test('inner plaintext of 2^14 + 2 bytes: record_overflow', () => {
      const { p, serverAp } = connected();
      const inner = new Uint8Array(16386).fill(0x41);
      inner[16385] = 23;
      p.client.receive(forge(provider, serverAp, 0, inner));
      expectFailed(p.client, p.c, 'record_overflow');
    });
    const innerCases: [string, string, Uint8Array][] = [
      ['an all-zero inner plaintext', 'unexpected_message', new Uint8Array(10)],
      ['an empty encrypted handshake record', 'unexpected_message', Uint8Array.of(22)],
      ['an encrypted change_cipher_spec', 'unexpected_message', Uint8Array.of(1, 20)],
      ['an unknown inner content type', 'unexpected_message', Uint8Array.of(1, 2, 3, 99)],
      ['an alert with a bad length', 'decode_error', Uint8Array.of(2, 10, 0, 21)],
      ['a KeyUpdate with request value 2', 'illegal_parameter', Uint8Array.of(24, 0, 0, 1, 2, 22)],
      ['a KeyUpdate with trailing bytes', 'decode_error', Uint8Array.of(24, 0, 0, 2, 0, 0, 22)],
    ];
    for (const [name, alert, inner] of innerCases) {
      test(`${name}: ${alert}`, () => {
        const { p, serverAp } = connected();
        p.client.receive(forge(provider, serverAp, 0, inner));
        expectFailed(p.client, p.c, alert);
      });
    }
    test('zero-length application data: accepted', () => {
      const { p, serverAp } = connected();
      p.client.receive(forge(provider, serverAp, 0, Uint8Array.of(23)));
      p.client.receive(forge(provider, serverAp, 1, concatBytes([utf8('hi'), Uint8Array.of(23, 0, 0, 0)])));
      expect(p.c.errors).toEqual([]);
      expect(new TextDecoder().decode(concatBytes(p.c.data))).toBe('hi');
    });
    test(`more than 32 empty records in a row: unexpected_message`, () => {
      const { p, serverAp } = connected();
      for (let i = 0; i < 33; i++) p.client.receive(forge(provider, serverAp, i, Uint8Array.of(23)));
      expectFailed(p.client, p.c, 'unexpected_message');
    });
    test('more than 32 KeyUpdates in a row: unexpected_message', () => {
      const { p, serverAp } = connected();
      let secret = serverAp;
      for (let i = 0; i < 33 && p.c.errors.length === 0; i++) {
        p.client.receive(forge(provider, secret, 0, Uint8Array.of(24, 0, 0, 1, 0, 22)));
        secret = hkdfExpandLabel(SHA256, secret, 'traffic upd', new Uint8Array(0), 32);
      }
      expectFailed(p.client, p.c, 'unexpected_message');
    });
    test('an unknown content type: unexpected_message', () => {
      const { p } = connected();
      p.client.receive(plaintextRecord(99, Uint8Array.of(1)));
      expectFailed(p.client, p.c, 'unexpected_message');
    });
    test('application data before any key: unexpected_message', () => {
      const client = watchedPair(IDENTITIES.p256, { provider }, { provider });
      client.client.receive(plaintextRecord(23, new Uint8Array(40)));
      expectFailed(client.client, client.c, 'unexpected_message');
    });
    test('application data under the handshake key (before Finished): unexpected_message', () => {
      const { p, keys } = run(provider, { client: { cipherSuites: ['TLS_AES_128_GCM_SHA256'], middleboxCompat: false }, clientHooks: { handshake: (m) => (m.type === 'finished' ? null : m) } });
      expect(p.server.stateName).toBe('ExpectFinished');
      p.server.receive(forge(provider, keys.get('CLIENT_HANDSHAKE_TRAFFIC_SECRET') as Uint8Array, 0, concatBytes([utf8('early'), Uint8Array.of(23)])));
      expectFailed(p.server, p.s, 'unexpected_message');
    });
    test('a plaintext handshake record after the keys changed: unexpected_message', () => {
      const { p } = connected();
      p.client.receive(plaintextRecord(22, encodeHandshake({ type: 'key_update', updateRequested: false })));
      expectFailed(p.client, p.c, 'unexpected_message');
    });
    test('a change_cipher_spec with another byte: unexpected_message', () => {
      const q = watchedPair(IDENTITIES.p256, { provider }, { provider });
      q.client.receive(fromHex('140303000102'));
      expectFailed(q.client, q.c, 'unexpected_message');
    });
    test('a change_cipher_spec of two bytes: unexpected_message', () => {
      const q = watchedPair(IDENTITIES.p256, { provider }, { provider });
      q.client.receive(fromHex('14030300020101'));
      expectFailed(q.client, q.c, 'unexpected_message');
    });
    test('a change_cipher_spec before the first ClientHello (server): unexpected_message', () => {
      const { server, r } = watchedServer(provider);
      server.receive(fromHex('140303000101'));
      expectFailed(server, r, 'unexpected_message');
    });
    test('a change_cipher_spec after the handshake: unexpected_message', () => {
      const { p } = connected();
      p.client.receive(fromHex('140303000101'));
      expectFailed(p.client, p.c, 'unexpected_message');
    });
    test('three change_cipher_spec records in one handshake: unexpected_message', () => {
      const q = watchedPair(IDENTITIES.p256, { provider }, { provider });
      q.client.receive(fromHex('140303000101140303000101140303000101'));
      expectFailed(q.client, q.c, 'unexpected_message');
    });
    test('a flipped tag bit: bad_record_mac', () => {
      const { p } = connected();
      p.server.write(utf8('hello'));
      const rec = concatBytes(p.server.takeOutput());
      rec[rec.length - 1] = (rec[rec.length - 1] as number) ^ 0x80;
      p.client.receive(rec);
      expectFailed(p.client, p.c, 'bad_record_mac');
    });
    test('a replayed record: bad_record_mac', () => {
      const { p } = connected();
      p.server.write(utf8('hello'));
      const rec = concatBytes(p.server.takeOutput());
      p.client.receive(rec);
      expect(p.c.errors).toEqual([]);
      p.client.receive(rec);
      expectFailed(p.client, p.c, 'bad_record_mac');
    });
    test('a plaintext alert with a bad length: decode_error', () => {
      const q = watchedPair(IDENTITIES.p256, { provider }, { provider });
      q.client.receive(fromHex('1503030003020a00'));
      expectFailed(q.client, q.c, 'decode_error');
    });
    test('a plaintext alert after the handshake: unexpected_message', () => {
      const { p } = connected();
      p.client.receive(fromHex('150303000202' + '28'));
      expectFailed(p.client, p.c, 'unexpected_message');
    });
    test('the peer\'s fatal alert during the handshake is reported as remote', () => {
      const q = watchedPair(IDENTITIES.p256, { provider }, { provider });
      q.client.receive(fromHex('150303000202' + '28'));
      expect(q.c.errors.map((e) => `${e.alert} ${e.side}`)).toEqual(['handshake_failure remote']);
      expect(q.client.takeOutput().length).toBe(1); // only the ClientHello: no alert answers an alert
    });
    test('more than 4 user_canceled warnings: unexpected_message', () => {
      const q = watchedPair(IDENTITIES.p256, { provider }, { provider });
      for (let i = 0; i < 4; i++) q.client.receive(fromHex('15030300020' + '15a'));
      expect(q.c.errors).toEqual([]);
      q.client.receive(fromHex('15030300020' + '15a'));
      expectFailed(q.client, q.c, 'unexpected_message');
    });
    test('close_notify during the handshake is an error', () => {
      const q = watchedPair(IDENTITIES.p256, { provider }, { provider });
      q.client.receive(fromHex('15030300020100'));
      expect(q.c.errors.map((e) => `${e.alert} ${e.side}`)).toEqual(['close_notify remote']);
    });
    test('data after close_notify is ignored (RFC 8446 §6.1)', () => {
      const { p } = connected();
      p.server.close();
      p.server.takeOutput();
      const q = connected();
      q.p.server.close();
      const close = concatBytes(q.p.server.takeOutput());
      q.p.client.receive(concatBytes([close, fromHex('17030300050000000000')]));
      expect(q.p.c.closed).toBe(true);
      expect(q.p.c.errors).toEqual([]);
      expect(p.c.errors).toEqual([]);
    });
    test('TCP closed without close_notify: truncation, not a clean end', () => {
      const { p } = connected();
      p.client.transportClosed();
      expect(p.c.errors.map((e) => [e.alert, e.side])).toEqual([['close_notify', 'remote']]);
      expect(p.c.errors[0]?.message).toMatch(/^truncated/);
      const q = watchedPair(IDENTITIES.p256, { provider }, { provider });
      q.server.transportClosed();
      expect(q.s.errors[0]?.message).toMatch(/during the handshake/);
    });
    test('0-RTT records after a ClientHello offering early_data are skipped by the server', () => {
      const hooks: TestHooks = {
        handshake: (m) => (m.type === 'client_hello' ? { ...m, extensions: [...m.extensions, { type: 'early_data' }] } : m),
      };
      const p = watchedPair(IDENTITIES.p256, hooked({ provider }, hooks), { provider });
      const flight = concatBytes(p.client.takeOutput());
      // Two records of early data the server cannot decrypt (it never issued a ticket).
      p.server.receive(concatBytes([flight, plaintextRecord(23, new Uint8Array(100).fill(0xee)), plaintextRecord(23, new Uint8Array(3000).fill(0xed))]));
      p.pump();
      expect(p.s.errors).toEqual([]);
      expect(p.c.errors).toEqual([]);
      expect(p.s.handshake).toBeDefined();
      // Not past the handshake, though: once a record decrypts, skipping stops.
      p.client.write(utf8('ok'));
      p.pump();
      expect(new TextDecoder().decode(concatBytes(p.s.data))).toBe('ok');
    });
    test('undecryptable records beyond the early-data budget: bad_record_mac', () => {
      const hooks: TestHooks = {
        handshake: (m) => (m.type === 'client_hello' ? { ...m, extensions: [...m.extensions, { type: 'early_data' }] } : m),
      };
      const p = watchedPair(IDENTITIES.p256, hooked({ provider }, hooks), { provider });
      const junk = Array.from({ length: 5 }, () => plaintextRecord(23, new Uint8Array(16000)));
      p.server.receive(concatBytes([concatBytes(p.client.takeOutput()), ...junk]));
      expectFailed(p.server, p.s, 'bad_record_mac');
    });
  });
}
