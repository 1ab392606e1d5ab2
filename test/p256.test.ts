// P-256 keys and ECDH: every Wycheproof ecdh_secp256r1_ecpoint case, the
// RFC 6979 §A.2.5 key pair, and argument errors.
import { describe, expect, test } from 'vitest';
import { InvalidKeyError, p256 } from '../src/crypto.js';
import { fromHex, toHex } from './helpers/hex.js';
import { expectBytes, runWycheproof, type WycheproofFile } from './helpers/wycheproof.js';
import ecdh from './vectors/wycheproof/ecdh_secp256r1_ecpoint_test.json' with { type: 'json' };

/** Wycheproof writes the private key as a minimal signed hex integer (a leading 00, or fewer than 32 bytes). */
function secretKey(hex: string): Uint8Array {
  const v = BigInt(`0x${hex}`);
  return fromHex(v.toString(16).padStart(64, '0'));
}

describe('ecdh_secp256r1_ecpoint_test.json', () => {
  runWycheproof(
    'ecdh_secp256r1_ecpoint_test.json',
    ecdh as unknown as WycheproofFile,
    (c) => {
      const shared = p256.getSharedSecret(secretKey(c.private as string), fromHex(c.public as string));
      expectBytes(shared, c.shared as string, 'shared secret');
      return 'pass';
    },
    // The one acceptable case (tcId 2) is a valid compressed public key. We
    // accept compressed points (SEC 1 §2.3.4, decompressed and validated, as
    // node:crypto's ECDH does), so it must produce the shared secret; TLS 1.3
    // key_share allows only the uncompressed form, which the protocol layer
    // enforces by length. Every invalid compressed point is rejected.
    (c) => (c.flags.includes('CompressedPublic') ? 'pass' : 'either'),
  );
});

// RFC 6979 §A.2.5: x and U = xG.
const X = fromHex('c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721');
const UX = '60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6';
const UY = '7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299';
const N = fromHex('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

describe('P-256 keys', () => {
  test('RFC 6979 §A.2.5 public key, uncompressed and compressed', () => {
    expect(toHex(p256.getPublicKey(X))).toBe(`04${UX}${UY}`);
    expect(toHex(p256.getPublicKey(X, true))).toBe(`03${UX}`);
  });
  test('1 G, (n - 1) G and a compressed key give the same shared secret as the uncompressed one', () => {
    const one = new Uint8Array(32);
    one[31] = 1;
    expect(toHex(p256.getPublicKey(one))).toBe(
      '046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5',
    );
    const nMinus1 = N.slice();
    nMinus1[31]! -= 1;
    // (n - 1) G = -G: same x, y = p - Gy.
    expect(toHex(p256.getPublicKey(nMinus1))).toBe(
      '046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296b01cbd1c01e58065711814b583f061e9d431cca994cea1313449bf97c840ae0a',
    );
    const a = p256.randomSecretKey();
    const b = p256.randomSecretKey();
    const ab = p256.getSharedSecret(a, p256.getPublicKey(b));
    expect(toHex(p256.getSharedSecret(b, p256.getPublicKey(a)))).toBe(toHex(ab));
    expect(toHex(p256.getSharedSecret(a, p256.getPublicKey(b, true)))).toBe(toHex(ab));
  });
  test('randomSecretKey gives distinct 32-byte keys in range', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const k = p256.randomSecretKey();
      expect(k.length).toBe(32);
      expect(p256.getPublicKey(k).length).toBe(65);
      seen.add(toHex(k));
    }
    expect(seen.size).toBe(20);
  });
  test('secret keys out of [1, n - 1] or of the wrong size are RangeErrors naming secretKey', () => {
    const peer = p256.getPublicKey(X);
    for (const bad of [new Uint8Array(32), N, fromHex('ff'.repeat(32)), new Uint8Array(31), new Uint8Array(33)]) {
      expect(() => p256.getPublicKey(bad)).toThrow(RangeError);
      expect(() => p256.getPublicKey(bad)).toThrow(/secretKey/);
      expect(() => p256.getSharedSecret(bad, peer)).toThrow(/secretKey/);
    }
  });
  test('malformed public keys are InvalidKeyErrors; wrong types are TypeErrors', () => {
    const peer = p256.getPublicKey(X);
    const bad = [
      new Uint8Array(0),
      new Uint8Array([0]), // SEC 1 encoding of the point at infinity
      peer.subarray(0, 64),
      Uint8Array.from([...peer, 0]),
      Uint8Array.from([0x05, ...peer.subarray(1)]),
      Uint8Array.from([0x04, ...peer.subarray(1, 64), peer[64]! ^ 1]), // off the curve
      Uint8Array.from([0x04, ...N, ...peer.subarray(33)]), // x >= p
    ];
    for (const pk of bad) expect(() => p256.getSharedSecret(X, pk), toHex(pk)).toThrow(InvalidKeyError);
    expect(() => p256.getSharedSecret(X, 'x' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => p256.getSharedSecret([1] as unknown as Uint8Array, peer)).toThrow(TypeError);
    expect(() => p256.getPublicKey(X, 1 as unknown as boolean)).toThrow(TypeError);
  });
});
