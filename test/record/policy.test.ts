// Record policies of src/record/receive.ts and src/record/send.ts found by
// the conformance suites (issue 11, items 3, 4, 5, 8, 9), each failing on the
// engine before the fix: an empty application_data record before any key,
// the early-data skip budget after a HelloRetryRequest, several KeyUpdates
// with update_requested answered once, an empty encrypted alert, and the
// client's middlebox-compatibility change_cipher_spec before its first
// encrypted record of any kind (alerts included).
import { describe, expect, test } from 'vitest';
import type { TestHooks } from '../../src/handshake/common.js';
import { hkdfExpandLabel } from '../../src/keyschedule.js';
import { SHA256 } from '../../src/provider-wasm.js';
import { utf8 } from '../helpers/hex.js';
import { expectFailed, forge, hooked, plaintextRecord, PROVIDERS, run, watchedPair, watchedServer } from '../helpers/hostile.js';
import { concatBytes, IDENTITIES } from '../helpers/tls-pair.js';
import { splitRecords } from '../helpers/vec.js';

/** The first ClientHello offers early_data (which this server never accepts); ClientHello 2 does not (§4.2.10). */
function earlyDataInFirstHello(): TestHooks {
  let first = true;
  return {
    handshake: (m) => {
      if (m.type !== 'client_hello' || !first) return m;
      first = false;
      return { ...m, extensions: [...m.extensions, { type: 'early_data' }] };
    },
  };
}

for (const provider of PROVIDERS) {
  describe(`record policy (${provider.name} provider)`, () => {
    test('an empty application_data record before any key: unexpected_message (RFC 8446 §5)', () => {
      const { server, r } = watchedServer(provider);
      server.receive(plaintextRecord(23, new Uint8Array(0)));
      expectFailed(server, r, 'unexpected_message');
    });

    test('an empty application_data record between two ClientHello fragments: unexpected_message (§5.1)', () => {
      const p = watchedPair(IDENTITIES.p256, { provider }, { provider });
      const records = splitRecords(concatBytes(p.client.takeOutput()));
      const hello = (records[0] as { fragment: Uint8Array }).fragment;
      p.server.receive(plaintextRecord(22, hello.subarray(0, 40), 0x0301));
      p.server.receive(plaintextRecord(23, new Uint8Array(0)));
      expectFailed(p.server, p.s, 'unexpected_message');
    });

    test('after a HelloRetryRequest, an undecryptable record after ClientHello 2 is bad_record_mac (§4.2.10)', () => {
      // The server prefers secp256r1; the client sends an x25519 share only, so a HelloRetryRequest follows.
      const p = watchedPair(IDENTITIES.p256, hooked({ provider }, earlyDataInFirstHello()), { provider, groups: ['secp256r1'] });
      p.server.receive(concatBytes(p.client.takeOutput()));
      const hrr = concatBytes(p.server.takeOutput());
      // Before ClientHello 2, the rejected 0-RTT records are still skipped.
      p.server.receive(plaintextRecord(23, new Uint8Array(100).fill(0xee)));
      expect(p.s.errors).toEqual([]);
      p.client.receive(hrr);
      p.server.receive(concatBytes(p.client.takeOutput()));
      expect(p.s.errors.map((e) => e.message)).toEqual([]);
      p.server.receive(plaintextRecord(23, new Uint8Array(100).fill(0xed)));
      expectFailed(p.server, p.s, 'bad_record_mac');
    });

    test('an empty encrypted alert: unexpected_message (§5.4)', () => {
      const r = run(provider, { client: { cipherSuites: ['TLS_AES_128_GCM_SHA256'] } });
      r.p.client.receive(forge(provider, r.keys.get('SERVER_TRAFFIC_SECRET_0') as Uint8Array, 0, Uint8Array.of(21)));
      expectFailed(r.p.client, r.p.c, 'unexpected_message');
    });

    test('several KeyUpdates with update_requested received at once are answered with one KeyUpdate (§4.6.3)', () => {
      const r = run(provider, { client: { cipherSuites: ['TLS_AES_128_GCM_SHA256'] } });
      let secret = r.keys.get('SERVER_TRAFFIC_SECRET_0') as Uint8Array;
      const updates: Uint8Array[] = [];
      for (let i = 0; i < 3; i++) {
        updates.push(forge(provider, secret, 0, Uint8Array.of(24, 0, 0, 1, 1, 22)));
        secret = hkdfExpandLabel(SHA256, secret, 'traffic upd', new Uint8Array(0), 32);
      }
      r.p.client.receive(concatBytes(updates));
      const out = r.p.client.takeOutput().flatMap((o) => splitRecords(o));
      expect(r.p.c.errors).toEqual([]);
      // One record: the KeyUpdate (4-byte header, 1-byte body, content type, 16-byte tag).
      expect(out.map((rec) => [rec.type, rec.fragment.length])).toEqual([[23, 4 + 1 + 1 + 16]]);
      // And it is a KeyUpdate under client_application_traffic_secret_0, then data under _1.
      r.p.client.write(utf8('after'));
      const c0 = r.keys.get('CLIENT_TRAFFIC_SECRET_0') as Uint8Array;
      const c1 = hkdfExpandLabel(SHA256, c0, 'traffic upd', new Uint8Array(0), 32);
      const [first] = out;
      expect(concatBytes([Uint8Array.of(23, 3, 3, 0, 22), (first as { fragment: Uint8Array }).fragment])).toEqual(
        forge(provider, c0, 0, Uint8Array.of(24, 0, 0, 1, 0, 22)),
      );
      expect(concatBytes(r.p.client.takeOutput())).toEqual(forge(provider, c1, 0, concatBytes([utf8('after'), Uint8Array.of(23)])));
    });

    test('a KeyUpdate with update_requested is still answered before the next application data record (§4.6.3)', () => {
      const r = run(provider, { client: { cipherSuites: ['TLS_AES_128_GCM_SHA256'] } });
      r.p.client.on('data', () => r.p.client.write(utf8('reply')));
      const s0 = r.keys.get('SERVER_TRAFFIC_SECRET_0') as Uint8Array;
      const s1 = hkdfExpandLabel(SHA256, s0, 'traffic upd', new Uint8Array(0), 32);
      r.p.client.receive(concatBytes([forge(provider, s0, 0, Uint8Array.of(24, 0, 0, 1, 1, 22)), forge(provider, s1, 0, concatBytes([utf8('hi'), Uint8Array.of(23)]))]));
      const c0 = r.keys.get('CLIENT_TRAFFIC_SECRET_0') as Uint8Array;
      const c1 = hkdfExpandLabel(SHA256, c0, 'traffic upd', new Uint8Array(0), 32);
      expect(r.p.c.errors).toEqual([]);
      expect(concatBytes(r.p.client.takeOutput())).toEqual(
        concatBytes([forge(provider, c0, 0, Uint8Array.of(24, 0, 0, 1, 0, 22)), forge(provider, c1, 0, concatBytes([utf8('reply'), Uint8Array.of(23)]))]),
      );
    });

    test("compatibility mode: a client failing on the server's flight sends its change_cipher_spec before the encrypted alert (§D.4)", () => {
      const p = watchedPair(IDENTITIES.p256, { provider, ca: IDENTITIES.rsa2048.ca }, { provider });
      p.server.receive(concatBytes(p.client.takeOutput()));
      p.client.receive(concatBytes(p.server.takeOutput()));
      expect(p.c.errors.map((e) => e.alert)).toEqual(['unknown_ca']);
      const types = p.client.takeOutput().flatMap((o) => splitRecords(o)).map((rec) => rec.type);
      expect(types).toEqual([20, 23]);
    });

    test('compatibility mode off: no change_cipher_spec before the encrypted alert', () => {
      const p = watchedPair(IDENTITIES.p256, { provider, ca: IDENTITIES.rsa2048.ca, middleboxCompat: false }, { provider });
      p.server.receive(concatBytes(p.client.takeOutput()));
      p.client.receive(concatBytes(p.server.takeOutput()));
      expect(p.client.takeOutput().flatMap((o) => splitRecords(o)).map((rec) => rec.type)).toEqual([23]);
    });

    test('compatibility mode: one change_cipher_spec in a whole handshake with a HelloRetryRequest', () => {
      const r = run(provider, { server: { groups: ['secp256r1'] } });
      expect(r.p.c.handshake?.helloRetryRequest).toBe(true);
      const ccs = r.p.c.sent.flatMap((o) => splitRecords(o)).filter((rec) => rec.type === 20);
      expect(ccs.length).toBe(1);
    });
  });
}
