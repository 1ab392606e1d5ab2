// P-384 ECDH and ECDSA signing: every case of the Wycheproof files
// ecdh_secp384r1_ecpoint and ecdsa_secp384r1_sha384_p1363 (the DER file is in
// ecdsa.test.ts), the RFC 6979 §A.2.6 P-384/SHA-384 key and signatures, and
// argument errors.
import { describe, expect, test } from 'vitest';
import { ecdsaP384, InvalidKeyError, p384 } from '../src/crypto.js';
import { fromHex, toHex, utf8 } from './helpers/hex.js';
import { expectBytes, runWycheproof, type WycheproofFile } from './helpers/wycheproof.js';
import ecdh from './vectors/wycheproof/ecdh_secp384r1_ecpoint_test.json' with { type: 'json' };
import p1363 from './vectors/wycheproof/ecdsa_secp384r1_sha384_p1363_test.json' with { type: 'json' };

/** Wycheproof writes the private key as a minimal signed hex integer. */
function secretKey(hex: string): Uint8Array {
  return fromHex(BigInt(`0x${hex}`).toString(16).padStart(96, '0'));
}

/** DER INTEGER of a big-endian magnitude (minimal, with a 00 before a set top bit). */
function derInt(b: Uint8Array): number[] {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const v = [...b.subarray(i)];
  if (v[0]! >= 0x80) v.unshift(0);
  return [0x02, v.length, ...v];
}

describe('ecdh_secp384r1_ecpoint_test.json', () => {
  runWycheproof(
    'ecdh_secp384r1_ecpoint_test.json',
    ecdh as unknown as WycheproofFile,
    (c) => {
      expectBytes(p384.getSharedSecret(secretKey(c.private as string), fromHex(c.public as string)), c.shared as string, 'shared');
      return 'pass';
    },
    // The one acceptable case is a valid compressed point: accepted (decompressed
    // and validated), as for P-256; TLS's key_share length check admits only
    // the uncompressed form.
    (c) => (c.flags.includes('CompressedPublic') ? 'pass' : 'either'),
  );
});

describe('ecdsa_secp384r1_sha384_p1363_test.json', () => {
  // Raw r || s: 96 bytes or invalid. Re-encoded as DER for our verifier, so
  // the cases on the values of r and s (0, n, p, ...) reach it.
  runWycheproof<{ publicKey: { uncompressed: string }; tests: never[] }>(
    'ecdsa_secp384r1_sha384_p1363_test.json',
    p1363 as unknown as WycheproofFile,
    (c, g) => {
      const raw = fromHex(c.sig as string);
      if (raw.length !== 96) return 'reject';
      const body = [...derInt(raw.subarray(0, 48)), ...derInt(raw.subarray(48))];
      const der = Uint8Array.from([0x30, body.length, ...body]);
      return ecdsaP384.verify(der, fromHex(c.msg as string), fromHex(g.publicKey.uncompressed)) ? 'pass' : 'reject';
    },
  );
});

// RFC 6979 §A.2.6, ECDSA P-384 with SHA-384.
const X = fromHex('6b9d3dad2e1b8c1c05b19875b6659f4de23c3b667bf297ba9aa47740787137d896d5724e4c70a825f872c9ea60d2edf5');
const UX = 'ec3a4e415b4e19a4568618029f427fa5da9a8bc4ae92e02e06aae5286b300c64def8f0ea9055866064a254515480bc13';
const UY = '8015d9b72d7d57244ea8ef9ac0c621896708a59367f9dfb9f54ca84b3f1c9db1288b231c3ae0d4fe7344fd2533264720';
const rfc6979 = [
  {
    msg: 'sample',
    r: '94edbb92a5ecb8aad4736e56c691916b3f88140666ce9fa73d64c4ea95ad133c81a648152e44acf96e36dd1e80fabe46',
    s: '99ef4aeb15f178cea1fe40db2603138f130e740a19624526203b6351d0a3a94fa329c145786e679e7b82c71a38628ac8',
  },
  {
    msg: 'test',
    r: '8203b63d3c853e8d77227fb377bcf7b7b772e97892a80f36ab775d509d7a5feb0542a7f0812998da8f1dd3ca3cf023db',
    s: 'ddd0760448d42d8a43af45af836fce4de8be06b485e9b61b827c2f13173923e06a739f040649a667bf3b828246baa5a5',
  },
];

describe('P-384 keys and signing', () => {
  test('RFC 6979 §A.2.6 public key, uncompressed and compressed', () => {
    expect(toHex(p384.getPublicKey(X))).toBe(`04${UX}${UY}`);
    expect(toHex(p384.getPublicKey(X, true))).toBe(`02${UX}`);
  });
  test.each(rfc6979)('RFC 6979 §A.2.6 SHA-384 signature of "$msg"', ({ msg, r, s }) => {
    const body = [...derInt(fromHex(r)), ...derInt(fromHex(s))];
    const want = Uint8Array.from([0x30, body.length, ...body]);
    const sig = ecdsaP384.sign(utf8(msg), X);
    expect(toHex(sig)).toBe(toHex(want));
    expect(ecdsaP384.verify(sig, utf8(msg), p384.getPublicKey(X))).toBe(true);
  });
  test('ECDH agrees both ways on random keys; sign/verify round trip', () => {
    for (let i = 0; i < 10; i++) {
      const a = p384.randomSecretKey();
      const b = p384.randomSecretKey();
      expect(toHex(p384.getSharedSecret(a, p384.getPublicKey(b)))).toBe(toHex(p384.getSharedSecret(b, p384.getPublicKey(a))));
      const m = utf8(`message ${i}`);
      expect(ecdsaP384.verify(ecdsaP384.sign(m, a), m, p384.getPublicKey(a))).toBe(true);
    }
  });
  test('parameter-named and typed errors', () => {
    const sk = p384.randomSecretKey();
    const pub = p384.getPublicKey(sk);
    expect(() => p384.getPublicKey(new Uint8Array(32))).toThrow(/^secretKey must be 48 bytes, got 32$/);
    expect(() => p384.getPublicKey(new Uint8Array(48))).toThrow(/secretKey must be a big-endian integer in \[1, n - 1\] of P-384/);
    expect(() => p384.getPublicKey(new Uint8Array(48).fill(0xff))).toThrow(RangeError);
    expect(() => p384.getSharedSecret(sk, pub.subarray(0, 96))).toThrow(InvalidKeyError);
    const off = pub.slice();
    off[96]! ^= 1;
    expect(() => p384.getSharedSecret(sk, off)).toThrow(/not a valid P-384 point/);
    expect(() => ecdsaP384.sign(utf8('x'), new Uint8Array(47))).toThrow(/^secretKey must be 48 bytes/);
    expect(() => ecdsaP384.sign('x' as unknown as Uint8Array, sk)).toThrow(/^message must be a Uint8Array/);
  });
});
