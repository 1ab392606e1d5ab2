// ECDSA: every Wycheproof case of ecdsa_secp256r1_sha256 and
// ecdsa_secp384r1_sha384 (DER signatures), the RFC 6979 §A.2.5 P-256/SHA-256
// deterministic signatures, and argument handling.
import { describe, expect, test } from 'vitest';
import { ecdsaP256, ecdsaP384, p256 } from '../src/crypto.js';
import { fromHex, toHex, utf8 } from './helpers/hex.js';
import { runWycheproof, type WycheproofFile } from './helpers/wycheproof.js';
import v256 from './vectors/wycheproof/ecdsa_secp256r1_sha256_test.json' with { type: 'json' };
import v384 from './vectors/wycheproof/ecdsa_secp384r1_sha384_test.json' with { type: 'json' };

interface EcdsaGroup {
  publicKey: { uncompressed: string; wx: string; wy: string };
  tests: never[];
  [field: string]: unknown;
}

/** SEC 1 §2.3.3 compressed form of an uncompressed point. */
function compress(uncompressed: Uint8Array): Uint8Array {
  const len = (uncompressed.length - 1) / 2;
  const out = uncompressed.slice(0, len + 1);
  out[0] = 2 | (uncompressed[uncompressed.length - 1]! & 1);
  return out;
}

const files = [
  ['ecdsa_secp256r1_sha256_test.json', v256, ecdsaP256.verify],
  ['ecdsa_secp384r1_sha384_test.json', v384, ecdsaP384.verify],
] as const;

for (const [name, file, verify] of files) {
  describe(name, () => {
    // Neither file has `acceptable` cases: BER-encoded signatures, extra
    // zeros and long-form lengths are `invalid`, and strict DER rejects them.
    runWycheproof<EcdsaGroup>(name, file as unknown as WycheproofFile, (c, g) =>
      verify(fromHex(c.sig as string), fromHex(c.msg as string), fromHex(g.publicKey.uncompressed)) ? 'pass' : 'reject',
    );
    test('the same valid signatures verify under the compressed public key', () => {
      let checked = 0;
      for (const g of (file as unknown as WycheproofFile).testGroups as unknown as EcdsaGroup[]) {
        const c = (g.tests as unknown as { sig: string; msg: string; result: string }[]).find((t) => t.result === 'valid');
        if (c === undefined) continue;
        const pub = compress(fromHex(g.publicKey.uncompressed));
        expect(verify(fromHex(c.sig), fromHex(c.msg), pub), g.publicKey.uncompressed).toBe(true);
        checked++;
      }
      expect(checked).toBeGreaterThan(10);
    });
  });
}

// RFC 6979 §A.2.5, ECDSA P-256 with SHA-256.
const X = fromHex('c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721');
const rfc6979 = [
  {
    msg: 'sample',
    k: 'a6e3c57dd01abe90086538398355dd4c3b17aa873382b0f24d6129493d8aad60',
    r: 'efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716',
    s: 'f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8',
  },
  {
    msg: 'test',
    k: 'd16b6ae827f17175e040871a1c7ec3500192c4c92677336ec2537acaee0008e0',
    r: 'f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367',
    s: '019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083',
  },
];

/** Minimal DER INTEGER of a 32-byte big-endian value given in hex. */
function derInt(hex: string): string {
  let v = hex.replace(/^(00)+/, '');
  if (v === '') v = '00';
  if (parseInt(v.slice(0, 2), 16) >= 0x80) v = `00${v}`;
  return `02${(v.length / 2).toString(16).padStart(2, '0')}${v}`;
}

describe('ECDSA P-256/SHA-256 signing', () => {
  test('RFC 6979 §A.2.5 deterministic signatures ("sample", "test"): k, r, s', () => {
    const pub = p256.getPublicKey(X);
    for (const v of rfc6979) {
      const sig = ecdsaP256.sign(utf8(v.msg), X);
      const body = derInt(v.r) + derInt(v.s);
      expect(toHex(sig), v.msg).toBe(`30${(body.length / 2).toString(16)}${body}`);
      // r = x(k G) mod n ties the signature to the expected nonce k
      // (x(k G) < n here, so the x coordinate is r itself).
      expect(toHex(p256.getPublicKey(fromHex(v.k)).subarray(1, 33))).toBe(v.r);
      expect(ecdsaP256.verify(sig, utf8(v.msg), pub)).toBe(true);
      expect(ecdsaP256.verify(sig, utf8(`${v.msg}!`), pub)).toBe(false);
    }
  });
  test('sign then verify with random keys and messages; DER is minimal', () => {
    for (let i = 0; i < 16; i++) {
      const sk = p256.randomSecretKey();
      const msg = crypto.getRandomValues(new Uint8Array(i * 37));
      const sig = ecdsaP256.sign(msg, sk);
      expect(sig[0]).toBe(0x30);
      expect(sig[1]).toBe(sig.length - 2);
      expect(sig.length).toBeLessThanOrEqual(72);
      expect(ecdsaP256.verify(sig, msg, p256.getPublicKey(sk))).toBe(true);
      expect(ecdsaP256.verify(sig, msg, p256.getPublicKey(sk, true))).toBe(true);
      expect(toHex(ecdsaP256.sign(msg, sk))).toBe(toHex(sig));
    }
  });
  test('secret keys out of range or of the wrong size are RangeErrors naming secretKey', () => {
    const n = fromHex('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
    for (const bad of [new Uint8Array(32), n, new Uint8Array(31)]) {
      expect(() => ecdsaP256.sign(utf8('m'), bad)).toThrow(RangeError);
      expect(() => ecdsaP256.sign(utf8('m'), bad)).toThrow(/secretKey/);
    }
  });
  test('verify returns false for bad content and throws TypeError only for non-Uint8Arrays', () => {
    const sig = ecdsaP256.sign(utf8('sample'), X);
    const pub = p256.getPublicKey(X);
    expect(ecdsaP256.verify(new Uint8Array(0), utf8('sample'), pub)).toBe(false);
    expect(ecdsaP256.verify(sig, utf8('sample'), new Uint8Array(0))).toBe(false);
    expect(ecdsaP256.verify(sig, utf8('sample'), new Uint8Array(5000))).toBe(false);
    expect(ecdsaP256.verify(new Uint8Array(5000), utf8('sample'), pub)).toBe(false);
    expect(ecdsaP256.verify(Uint8Array.from([...sig, 0]), utf8('sample'), pub)).toBe(false);
    expect(ecdsaP384.verify(sig, utf8('sample'), pub)).toBe(false);
    expect(() => ecdsaP256.verify('x' as unknown as Uint8Array, utf8('sample'), pub)).toThrow(TypeError);
    expect(() => ecdsaP256.verify(sig, null as unknown as Uint8Array, pub)).toThrow(TypeError);
    expect(() => ecdsaP384.verify(sig, utf8('sample'), {} as unknown as Uint8Array)).toThrow(TypeError);
  });
});
