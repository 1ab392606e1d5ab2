// P-384 ECDH and ECDSA signing against node:crypto (OpenSSL) on random keys
// and messages, both directions; our RFC 6979 signatures byte-equal to
// @noble/curves'; and memory scans for the key, the nonce and the shared
// secret after each call.
import { p384 as nobleP384 } from '@noble/curves/nist.js';
import {
  createECDH, createHash, createHmac, createPrivateKey, createPublicKey, type KeyObject, randomBytes, randomInt,
  sign as nodeSign, verify as nodeVerify,
} from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { getCore } from '../bindings/loader.js';
import { ecdsaP384, InvalidKeyError, p384 } from '../src/crypto.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const b64u = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
const N = BigInt(
  '0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973',
);
const toBytes = (v: bigint, len: number): Uint8Array =>
  Uint8Array.from(Buffer.from(v.toString(16).padStart(2 * len, '0'), 'hex'));
const toInt = (b: Uint8Array): bigint => BigInt(`0x${hex(b)}`);

function nodeKeys(pub: Uint8Array, sk: Uint8Array): { pub: KeyObject; priv: KeyObject } {
  const jwk = { kty: 'EC', crv: 'P-384', x: b64u(pub.subarray(1, 49)), y: b64u(pub.subarray(49)) };
  return {
    pub: createPublicKey({ key: jwk, format: 'jwk' }),
    priv: createPrivateKey({ key: { ...jwk, d: b64u(sk) }, format: 'jwk' }),
  };
}

describe('P-384 against node:crypto and @noble/curves', () => {
  test('public keys and ECDH shared secrets for 40 random key pairs, both directions', () => {
    for (let i = 0; i < 40; i++) {
      const sk = p384.randomSecretKey();
      const node = createECDH('secp384r1');
      node.setPrivateKey(Buffer.from(sk));
      expect(hex(p384.getPublicKey(sk))).toBe(node.getPublicKey('hex'));
      expect(hex(p384.getPublicKey(sk, true))).toBe(node.getPublicKey('hex', 'compressed'));
      const peer = createECDH('secp384r1');
      peer.generateKeys();
      const peerPub = new Uint8Array(peer.getPublicKey());
      expect(hex(p384.getSharedSecret(sk, peerPub))).toBe(peer.computeSecret(node.getPublicKey()).toString('hex'));
      expect(hex(p384.getSharedSecret(sk, new Uint8Array(peer.getPublicKey(null, 'compressed'))))).toBe(
        node.computeSecret(peerPub).toString('hex'),
      );
    }
  });
  test('ECDSA P-384: we sign, node verifies; signatures equal noble RFC 6979 ones; tampering fails both', () => {
    for (let i = 0; i < 40; i++) {
      const sk = p384.randomSecretKey();
      const pub = p384.getPublicKey(sk);
      const keys = nodeKeys(pub, sk);
      const msg = randomBytes(i < 2 ? randomInt(65_000, 140_000) : randomInt(0, 300));
      const ours = ecdsaP384.sign(msg, sk);
      expect(nodeVerify('sha384', msg, { key: keys.pub, dsaEncoding: 'der' }, ours)).toBe(true);
      expect(hex(ours)).toBe(hex(nobleP384.sign(msg, sk, { format: 'der', lowS: false })));
      const theirs = nodeSign('sha384', msg, { key: keys.priv, dsaEncoding: 'der' });
      expect(ecdsaP384.verify(theirs, msg, pub)).toBe(true);
      const badSig = Buffer.from(ours);
      badSig[randomInt(badSig.length)]! ^= 1 << randomInt(8);
      expect(ecdsaP384.verify(badSig, msg, pub)).toBe(nodeVerify('sha384', msg, { key: keys.pub, dsaEncoding: 'der' }, badSig));
    }
  });
});

/** RFC 6979 §3.2 nonce for P-384/SHA-384, in JavaScript with node's HMAC. */
function rfc6979Nonce(x: Uint8Array, msg: Uint8Array): bigint {
  const h1 = toBytes(toInt(createHash('sha384').update(msg).digest()) % N, 48);
  const mac = (k: Uint8Array, ...parts: Uint8Array[]): Uint8Array => {
    const h = createHmac('sha384', k);
    for (const p of parts) h.update(p);
    return h.digest();
  };
  let v: Uint8Array = new Uint8Array(48).fill(1);
  let k: Uint8Array = new Uint8Array(48);
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

/** A 48-byte scalar big-endian, little-endian, and in Montgomery form mod n (d 2^384 mod n) both ways. */
function forms(secret: bigint): Uint8Array[] {
  const be = toBytes(secret, 48);
  const mont = toBytes((secret << 384n) % N, 48);
  return [be, be.slice().reverse(), mont, mont.slice().reverse()];
}

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

describe('P-384 leaves no secret in WASM memory', () => {
  test('after getPublicKey, getSharedSecret (also failing) and sign: no key, nonce or shared secret', () => {
    for (let i = 0; i < 8; i++) {
      const sk = p384.randomSecretKey();
      const d = toInt(sk);
      const peer = p384.getPublicKey(p384.randomSecretKey());
      p384.getPublicKey(sk);
      expect(findInMemory(d), 'after getPublicKey').toBeUndefined();
      const shared = p384.getSharedSecret(sk, peer);
      expect(findInMemory(d), 'after getSharedSecret').toBeUndefined();
      expect(Buffer.from(getCore().mem.buffer).indexOf(shared.subarray(0, 16)), 'shared secret').toBe(-1);
      const offCurve = peer.slice();
      offCurve[96]! ^= 1;
      expect(() => p384.getSharedSecret(sk, offCurve)).toThrow(InvalidKeyError);
      expect(findInMemory(d), 'after a rejected peer key').toBeUndefined();
      const msg = randomBytes(randomInt(0, 200));
      const sig = ecdsaP384.sign(msg, sk);
      const k = rfc6979Nonce(sk, msg);
      const r = toInt(p384.getPublicKey(toBytes(k, 48)).subarray(1, 49)) % N;
      expect(toInt(sig.subarray(4, 4 + sig[3]!))).toBe(r);
      expect(findInMemory(d), 'key after sign').toBeUndefined();
      expect(findInMemory(k), 'nonce after sign').toBeUndefined();
    }
  });
});
