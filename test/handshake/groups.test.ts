// Key exchange groups end to end, wasmtls client against wasmtls server in
// memory: every group alone, the defaults (X25519MLKEM768 first, two key
// shares), fallback when the server leaves the hybrid out, HelloRetryRequest
// into and out of the hybrid, the ClientHello's size, and the key_share
// checks of RFC 8446 §4.2.8 / draft-ietf-tls-ecdhe-mlkem §3-4.
import { describe, expect, test } from 'vitest';
import { mlkem768, shake256, x25519 } from '../../src/crypto.js';
import { TlsError } from '../../src/errors.js';
import { acceptKeyShare, computeSharedSecret, initialShareGroups } from '../../src/handshake/key-share.js';
import { wasmProvider } from '../../src/provider-wasm.js';
import { NamedGroup, type NamedGroupName } from '../../src/wire/constants.js';
import { decodeHandshake, parseHandshakeFrame } from '../../src/wire/index.js';
import { seededBytes, toHex, utf8 } from '../helpers/hex.js';
import { concatBytes, IDENTITIES, pair } from '../helpers/tls-pair.js';
import { splitRecords } from '../helpers/vec.js';

type P = ReturnType<typeof pair>;

function clean(p: P): void {
  expect(p.c.errors.map((e) => `${e.alert}: ${e.message}`)).toEqual([]);
  expect(p.s.errors.map((e) => `${e.alert}: ${e.message}`)).toEqual([]);
}

function talk(p: P): void {
  p.client.write(utf8('ping'));
  p.pump();
  expect(new TextDecoder().decode(concatBytes(p.s.data))).toBe('ping');
  p.server.write(utf8('pong'));
  p.pump();
  expect(new TextDecoder().decode(concatBytes(p.c.data))).toBe('pong');
  clean(p);
}

/** The first ClientHello the client sent, decoded, and its record's size. */
function firstHello(p: P): { groups: number[]; shares: { group: number; length: number }[]; recordBytes: number } {
  const first = p.c.sent[0] as Uint8Array;
  const [rec] = splitRecords(first);
  const frag = (rec as { fragment: Uint8Array }).fragment;
  const m = decodeHandshake(parseHandshakeFrame(frag), { hashLength: 32 });
  if (m.type !== 'client_hello') throw new Error('not a ClientHello');
  const ks = m.extensions.find((e) => e.type === 'key_share');
  const sg = m.extensions.find((e) => e.type === 'supported_groups');
  return {
    groups: sg !== undefined && 'groups' in sg ? sg.groups : [],
    shares: ks !== undefined && 'shares' in ks ? ks.shares.map((s) => ({ group: s.group, length: s.keyExchange.length })) : [],
    recordBytes: 5 + frag.length,
  };
}

const ALL: NamedGroupName[] = ['X25519MLKEM768', 'SecP256r1MLKEM768', 'secp384r1', 'x25519', 'secp256r1'];

describe('key exchange groups, wasmtls to wasmtls', () => {
  test.each(ALL)('%s alone on both sides', (g) => {
    const p = pair(IDENTITIES.p256, { groups: [g] }, { groups: [g] });
    p.pump();
    clean(p);
    expect(p.c.handshake?.group).toBe(g);
    expect(p.s.handshake?.group).toBe(g);
    expect(p.c.handshake?.helloRetryRequest).toBe(false);
    talk(p);
  });

  test.each(ALL)('default server accepts a client offering only %s, without HelloRetryRequest', (g) => {
    const p = pair(IDENTITIES.p384, { groups: [g] });
    p.pump();
    expect(p.s.handshake?.group).toBe(g);
    expect(p.s.handshake?.helloRetryRequest).toBe(false);
    talk(p);
  });

  test('defaults: the client offers X25519MLKEM768, x25519, secp256r1 with two shares; the server picks the hybrid', () => {
    const p = pair(IDENTITIES.p256, { alpn: ['h2', 'http/1.1'] }, { alpn: ['h2'] });
    p.pump();
    clean(p);
    const ch = firstHello(p);
    expect(ch.groups).toEqual([NamedGroup.X25519MLKEM768, NamedGroup.x25519, NamedGroup.secp256r1]);
    expect(ch.shares).toEqual([
      { group: NamedGroup.X25519MLKEM768, length: 1216 },
      { group: NamedGroup.x25519, length: 32 },
    ]);
    expect(p.c.handshake?.group).toBe('X25519MLKEM768');
    expect(p.s.handshake?.group).toBe('X25519MLKEM768');
    expect(p.c.handshake?.helloRetryRequest).toBe(false);
    // One TCP segment: an Ethernet MSS is 1460 bytes (1500 - 20 IP - 20 TCP).
    console.log(`default ClientHello record (SNI localhost, ALPN h2,http/1.1, middlebox session id): ${ch.recordBytes} bytes`);
    expect(ch.recordBytes).toBeLessThanOrEqual(1460);
    talk(p);
  });

  test('a server without ML-KEM takes the x25519 share: no HelloRetryRequest', () => {
    const p = pair(IDENTITIES.p256, {}, { groups: ['x25519', 'secp256r1'] });
    p.pump();
    expect(p.c.handshake?.group).toBe('x25519');
    expect(p.c.handshake?.helloRetryRequest).toBe(false);
    talk(p);
  });

  test('a server with only secp256r1: one HelloRetryRequest out of the hybrid', () => {
    const p = pair(IDENTITIES.p256, {}, { groups: ['secp256r1'] });
    p.pump();
    expect(p.c.handshake?.group).toBe('secp256r1');
    expect(p.c.handshake?.helloRetryRequest).toBe(true);
    talk(p);
  });

  test('HelloRetryRequest into the hybrid: the client shares x25519 only, the server wants X25519MLKEM768', () => {
    const p = pair(IDENTITIES.ed25519, { groups: ['x25519', 'X25519MLKEM768'] }, { groups: ['X25519MLKEM768', 'x25519'] });
    p.pump();
    // Our order rules among shares sent, but a share in hand beats asking again.
    expect(p.c.handshake?.group).toBe('x25519');
    const q = pair(IDENTITIES.ed25519, { groups: ['x25519', 'X25519MLKEM768'] }, { groups: ['X25519MLKEM768'] });
    q.pump();
    clean(q);
    expect(q.c.handshake?.helloRetryRequest).toBe(true);
    expect(q.c.handshake?.group).toBe('X25519MLKEM768');
    expect(q.s.handshake?.group).toBe('X25519MLKEM768');
    talk(q);
  });

  test('HelloRetryRequest from one hybrid to the other, and from the hybrid pair to secp384r1', () => {
    const p = pair(IDENTITIES.p256, { groups: ['X25519MLKEM768', 'SecP256r1MLKEM768'] }, { groups: ['SecP256r1MLKEM768'] });
    p.pump();
    clean(p);
    expect(firstHello(p).shares.map((s) => s.group)).toEqual([NamedGroup.X25519MLKEM768]);
    expect(p.c.handshake?.helloRetryRequest).toBe(true);
    expect(p.c.handshake?.group).toBe('SecP256r1MLKEM768');
    talk(p);
    const q = pair(IDENTITIES.p384, { groups: ['X25519MLKEM768', 'x25519', 'secp384r1'] }, { groups: ['secp384r1'] });
    q.pump();
    clean(q);
    expect(q.c.handshake?.helloRetryRequest).toBe(true);
    expect(q.c.handshake?.group).toBe('secp384r1');
    talk(q);
  });

  test('groups: unknown names are a TypeError', () => {
    expect(() => pair(IDENTITIES.p256, { groups: ['X25519Kyber768' as NamedGroupName] })).toThrow(TypeError);
  });
});

describe('which groups get a key share', () => {
  test('the first, plus the first classical group after a hybrid', () => {
    const H = NamedGroup.X25519MLKEM768;
    const H2 = NamedGroup.SecP256r1MLKEM768;
    expect(initialShareGroups([H, NamedGroup.x25519, NamedGroup.secp256r1])).toEqual([H, NamedGroup.x25519]);
    expect(initialShareGroups([H, H2, NamedGroup.secp256r1])).toEqual([H, NamedGroup.secp256r1]);
    expect(initialShareGroups([H, H2])).toEqual([H]);
    expect(initialShareGroups([NamedGroup.secp256r1, H])).toEqual([NamedGroup.secp256r1]);
    expect(initialShareGroups([])).toEqual([]);
  });
});

function alertOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof TlsError) return `${e.alert}: ${e.message}`;
    throw e;
  }
  return 'no error';
}

describe('hybrid key_share checks', () => {
  const client = () => wasmProvider.keyExchange(NamedGroup.X25519MLKEM768);
  const server = () => wasmProvider.keyExchange(NamedGroup.X25519MLKEM768);

  test('client and server derive the same 64-byte secret: ML-KEM K then X25519', () => {
    // The test hook seeds the client: SHAKE256(seed, 128) = d ‖ z ‖ X25519 key ‖ m.
    const seed = seededBytes(3, 32);
    const c = wasmProvider.keyExchange(NamedGroup.X25519MLKEM768, seed);
    const s = server();
    const { keyExchange, sharedSecret } = acceptKeyShare(s, c.publicKey);
    expect(keyExchange.length).toBe(1120);
    const mine = computeSharedSecret(c, keyExchange);
    expect(toHex(mine)).toBe(toHex(sharedSecret));
    // Layout: ML-KEM-768's K for the ciphertext, then X25519 with the server's key.
    const r = shake256(seed, 128);
    const keys = mlkem768.keygen(r.subarray(0, 64));
    expect(toHex(c.publicKey)).toBe(toHex(new Uint8Array([...keys.publicKey, ...x25519.getPublicKey(r.subarray(64, 96))])));
    expect(toHex(mine.subarray(0, 32))).toBe(toHex(mlkem768.decapsulate(keyExchange.subarray(0, 1088), keys.secretKey)));
    expect(toHex(mine.subarray(32))).toBe(toHex(x25519.getSharedSecret(r.subarray(64, 96), keyExchange.subarray(1088))));
    c.dispose();
    s.dispose();
  });

  test('wrong lengths either way are illegal_parameter', () => {
    const c = client();
    expect(alertOf(() => acceptKeyShare(server(), c.publicKey.subarray(0, 1215)))).toMatch(/^illegal_parameter: key_share: the client's X25519MLKEM768 share must be 1216 bytes/);
    expect(alertOf(() => acceptKeyShare(server(), new Uint8Array(1120)))).toMatch(/^illegal_parameter: .*must be 1216 bytes/);
    expect(alertOf(() => computeSharedSecret(c, new Uint8Array(1216)))).toMatch(/^illegal_parameter: key_share: the server's X25519MLKEM768 share must be 1120 bytes/);
    const p = wasmProvider.keyExchange(NamedGroup.SecP256r1MLKEM768);
    const bad = p.publicKey.slice();
    bad[0] = 3;
    expect(alertOf(() => acceptKeyShare(wasmProvider.keyExchange(NamedGroup.SecP256r1MLKEM768), bad))).toMatch(/^illegal_parameter: .*SecP256r1MLKEM768 share must be 1249 bytes, an uncompressed P-256 point/);
  });

  test('an all-zero X25519 half is illegal_parameter (RFC 8446 §7.4.2), from either side', () => {
    const c = client();
    const lowOrder = c.publicKey.slice();
    lowOrder.fill(0, 1184);
    expect(alertOf(() => acceptKeyShare(server(), lowOrder))).toMatch(/^illegal_parameter: key_share: the peer's X25519MLKEM768 key is invalid/);
    const { keyExchange } = acceptKeyShare(server(), c.publicKey);
    const zeroed = keyExchange.slice();
    zeroed.fill(0, 1088);
    expect(alertOf(() => computeSharedSecret(c, zeroed))).toMatch(/^illegal_parameter/);
  });

  test('an encapsulation key failing the FIPS 203 modulus check is illegal_parameter', () => {
    const share = client().publicKey.slice();
    share[0] = 0xff;
    share[1] = share[1]! | 0x0f;
    expect(alertOf(() => acceptKeyShare(server(), share))).toMatch(/^illegal_parameter/);
  });

  test('secretKey (the test hook) seeds every part: same seed, same shares', () => {
    const seed = seededBytes(9, 32);
    const a = wasmProvider.keyExchange(NamedGroup.X25519MLKEM768, seed);
    const b = wasmProvider.keyExchange(NamedGroup.X25519MLKEM768, seed);
    expect(toHex(a.publicKey)).toBe(toHex(b.publicKey));
    const peer = client().publicKey;
    expect(toHex(a.encapsulate!(peer).keyExchange)).toBe(toHex(b.encapsulate!(peer).keyExchange));
    expect(mlkem768.publicKeyLength).toBe(1184);
  });
});
