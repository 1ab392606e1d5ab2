// P-256 ECDH/ECDSA and P-384 ECDSA against node:crypto on random keys and
// messages, both directions; and memory scans for secrets after each call.
import {
  createECDH, createHash, createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject,
  randomBytes, randomInt, sign as nodeSign, verify as nodeVerify,
} from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { getCore } from '../bindings/loader.js';
import { ecdsaP256, ecdsaP384, InvalidKeyError, p256 } from '../src/crypto.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const b64u = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
const N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

function toBytes(v: bigint, len: number): Uint8Array {
  return Uint8Array.from(Buffer.from(v.toString(16).padStart(2 * len, '0'), 'hex'));
}
const toInt = (b: Uint8Array): bigint => BigInt(`0x${hex(b)}`);

/** node KeyObjects for a raw P-256/P-384 key pair. */
function nodeKeys(crv: 'P-256' | 'P-384', pub: Uint8Array, sk?: Uint8Array): { pub: KeyObject; priv?: KeyObject } {
  const len = (pub.length - 1) / 2;
  const jwk = { kty: 'EC', crv, x: b64u(pub.subarray(1, 1 + len)), y: b64u(pub.subarray(1 + len)) };
  const out: { pub: KeyObject; priv?: KeyObject } = { pub: createPublicKey({ key: jwk, format: 'jwk' }) };
  if (sk) out.priv = createPrivateKey({ key: { ...jwk, d: b64u(sk) }, format: 'jwk' });
  return out;
}

/** Raw 04 || x || y of a node EC public KeyObject. */
function rawPublic(key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  return Uint8Array.from([4, ...Buffer.from(jwk.x!, 'base64url'), ...Buffer.from(jwk.y!, 'base64url')]);
}

describe('P-256 ECDH against node:crypto', () => {
  test('public keys and shared secrets for 64 random key pairs, both directions', () => {
    for (let i = 0; i < 64; i++) {
      const ours = p256.randomSecretKey();
      const theirs = createECDH('prime256v1');
      theirs.generateKeys();
      const nodeSide = createECDH('prime256v1');
      nodeSide.setPrivateKey(Buffer.from(ours));
      expect(hex(p256.getPublicKey(ours))).toBe(nodeSide.getPublicKey('hex'));
      expect(hex(p256.getPublicKey(ours, true))).toBe(nodeSide.getPublicKey('hex', 'compressed'));
      const want = theirs.computeSecret(p256.getPublicKey(ours)).toString('hex');
      expect(hex(p256.getSharedSecret(ours, theirs.getPublicKey()))).toBe(want);
      expect(hex(p256.getSharedSecret(ours, theirs.getPublicKey(null, 'compressed')))).toBe(want);
      // Their secret key through our code gives the same secret (node drops
      // leading zero bytes; we take exactly 32).
      const theirKey = toBytes(toInt(theirs.getPrivateKey()), 32);
      expect(hex(p256.getSharedSecret(theirKey, p256.getPublicKey(ours)))).toBe(want);
    }
  });
});

describe('ECDSA against node:crypto', () => {
  test('P-256: node signs, we verify; we sign, node verifies (random keys and messages)', () => {
    for (let i = 0; i < 40; i++) {
      const sk = p256.randomSecretKey();
      const pub = p256.getPublicKey(sk);
      const keys = nodeKeys('P-256', pub, sk);
      const msg = randomBytes(i < 3 ? randomInt(65_000, 140_000) : randomInt(0, 300));
      const theirs = nodeSign('sha256', msg, { key: keys.priv!, dsaEncoding: 'der' });
      expect(ecdsaP256.verify(theirs, msg, pub)).toBe(true);
      const ours = ecdsaP256.sign(msg, sk);
      expect(nodeVerify('sha256', msg, { key: keys.pub, dsaEncoding: 'der' }, ours)).toBe(true);
      // A flipped bit anywhere in the message or signature fails for both.
      const badMsg = Buffer.from(msg.length ? msg : Buffer.alloc(1));
      badMsg[randomInt(badMsg.length)]! ^= 1 << randomInt(8);
      expect(ecdsaP256.verify(theirs, badMsg, pub)).toBe(false);
      const badSig = Buffer.from(ours);
      badSig[randomInt(badSig.length)]! ^= 1 << randomInt(8);
      expect(ecdsaP256.verify(badSig, msg, pub)).toBe(nodeVerify('sha256', msg, { key: keys.pub, dsaEncoding: 'der' }, badSig));
    }
  });
  test('P-384: node signs, we verify', () => {
    for (let i = 0; i < 30; i++) {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
      const pub = rawPublic(publicKey);
      const msg = randomBytes(i < 2 ? 70_000 : randomInt(0, 300));
      const sig = nodeSign('sha384', msg, { key: privateKey, dsaEncoding: 'der' });
      expect(ecdsaP384.verify(sig, msg, pub)).toBe(true);
      const compressed = pub.slice(0, 49);
      compressed[0] = 2 | (pub[96]! & 1);
      expect(ecdsaP384.verify(sig, msg, compressed)).toBe(true);
      const bad = Buffer.from(sig);
      bad[randomInt(bad.length)]! ^= 1 << randomInt(8);
      expect(ecdsaP384.verify(bad, msg, pub)).toBe(nodeVerify('sha384', msg, { key: publicKey, dsaEncoding: 'der' }, bad));
    }
  });
});

/** RFC 6979 §3.2 nonce for P-256/SHA-256, in JavaScript with node's HMAC. */
function rfc6979Nonce(x: Uint8Array, msg: Uint8Array): bigint {
  const h1 = toBytes(toInt(createHash('sha256').update(msg).digest()) % N, 32);
  const mac = (k: Uint8Array, ...parts: Uint8Array[]): Uint8Array => {
    const h = createHmac('sha256', k);
    for (const p of parts) h.update(p);
    return h.digest();
  };
  let v: Uint8Array = new Uint8Array(32).fill(1);
  let k: Uint8Array = new Uint8Array(32);
  k = mac(k, v, Uint8Array.of(0), x, h1);
  v = mac(k, v);
  k = mac(k, v, Uint8Array.of(1), x, h1);
  v = mac(k, v);
  for (;;) {
    v = mac(k, v);
    const t = toInt(v);
    if (t >= 1n && t < N) return t;
    k = mac(k, v, Uint8Array.of(0));
    v = mac(k, v);
  }
}

/**
 * Every way a 32-byte scalar could sit in memory: big-endian (the key bytes),
 * little-endian (u32 limbs, least significant first), and in Montgomery form
 * mod n (d 2^256 mod n) in both orders.
 */
function forms(secret: bigint): Uint8Array[] {
  const be = toBytes(secret, 32);
  const mont = toBytes((secret << 256n) % N, 32);
  return [be, be.slice().reverse(), mont, mont.slice().reverse()];
}

/** The first 16-byte window of any form found in WASM memory, or undefined. */
function findInMemory(secret: bigint): string | undefined {
  const mem = Buffer.from(getCore().mem.buffer);
  for (const form of forms(secret)) {
    for (let i = 0; i + 16 <= form.length; i++) {
      const at = mem.indexOf(form.subarray(i, i + 16));
      if (at >= 0) return `${hex(form)} window ${i} at ${at}`;
    }
  }
  return undefined;
}

describe('no secret left in WASM memory', () => {
  test('after getPublicKey, getSharedSecret (also failing) and sign: no key, nonce or Montgomery form of them', () => {
    for (let i = 0; i < 12; i++) {
      const sk = p256.randomSecretKey();
      const d = toInt(sk);
      const peer = p256.getPublicKey(p256.randomSecretKey());
      p256.getPublicKey(sk);
      expect(findInMemory(d), 'after getPublicKey').toBeUndefined();
      const shared = p256.getSharedSecret(sk, peer);
      expect(findInMemory(d), 'after getSharedSecret').toBeUndefined();
      expect(Buffer.from(getCore().mem.buffer).indexOf(shared.subarray(0, 16)), 'shared secret').toBe(-1);
      // The error path: the key is loaded before the peer point is rejected.
      const offCurve = peer.slice();
      offCurve[64]! ^= 1;
      expect(() => p256.getSharedSecret(sk, offCurve)).toThrow(InvalidKeyError);
      expect(findInMemory(d), 'after a rejected peer key').toBeUndefined();
      const msg = randomBytes(randomInt(0, 200));
      const sig = ecdsaP256.sign(msg, sk);
      const k = rfc6979Nonce(sk, msg);
      // Our signature was made with exactly this k: r = x(k G) mod n.
      const r = toInt(p256.getPublicKey(toBytes(k, 32)).subarray(1, 33)) % N;
      const rLen = sig[3]!;
      expect(toInt(sig.subarray(4, 4 + rLen))).toBe(r);
      expect(findInMemory(d), 'key after sign').toBeUndefined();
      expect(findInMemory(k), 'nonce after sign').toBeUndefined();
    }
  });
});
