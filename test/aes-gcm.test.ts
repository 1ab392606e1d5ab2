// AES-128/192/256-GCM: every Wycheproof case, the McGrew–Viega GCM test
// cases 1–4, 7–10 and 13–16 (the spec's appendix B), and argument validation.
import { describe, expect, test } from 'vitest';
import { AesGcm, AuthenticationError } from '../src/crypto.js';
import { fromHex, toHex } from './helpers/hex.js';
import { expectBytes, runWycheproof, type WycheproofCase, type WycheproofFile } from './helpers/wycheproof.js';
import gcmFile from './vectors/wycheproof/aes_gcm_test.json' with { type: 'json' };

interface GcmGroup {
  [field: string]: unknown;
  keySize: number;
  ivSize: number;
  tagSize: number;
  tests: WycheproofCase[];
}

const wycheproof = gcmFile as unknown as WycheproofFile & { testGroups: GcmGroup[] };

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

describe('aes_gcm_test.json', () => {
  test('the file is the one counted in the report', () => {
    expect(wycheproof.numberOfTests).toBe(316);
    const bySize = new Map<number, number>();
    for (const g of wycheproof.testGroups) {
      expect(g.tagSize).toBe(128);
      bySize.set(g.keySize, (bySize.get(g.keySize) ?? 0) + g.tests.length);
    }
    expect([...bySize].sort((a, b) => a[0] - b[0])).toEqual([[128, 108], [192, 103], [256, 105]]);
  });

  // No case is `acceptable`. Valid cases must seal to ct || tag and open back
  // to msg; invalid ones (modified tags, zero-length IVs) must be refused:
  // open throws AuthenticationError, or the nonce is refused with RangeError.
  runWycheproof<GcmGroup>('aes_gcm_test.json', wycheproof, (c) => {
    const aead = new AesGcm(fromHex(c.key as string));
    try {
      const iv = fromHex(c.iv as string);
      const aad = fromHex(c.aad as string);
      const msg = fromHex(c.msg as string);
      const sealed = concat(fromHex(c.ct as string), fromHex(c.tag as string));
      if (c.result === 'valid') expectBytes(aead.seal(iv, msg, aad), `${c.ct}${c.tag}`, 'seal');
      const opened = aead.open(iv, sealed, aad);
      expectBytes(opened, c.msg as string, 'open');
      return 'pass';
    } finally {
      aead.dispose();
    }
  });
});

// McGrew and Viega, "The Galois/Counter Mode of Operation (GCM)", appendix B.
const K3 = 'feffe9928665731c6d6a8f9467308308';
const IV3 = 'cafebabefacedbaddecaf888';
const P3 =
  'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72' +
  '1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255';
const A4 = 'feedfacedeadbeeffeedfacedeadbeefabaddad2';
const C3 =
  '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e' +
  '21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985';
const K9 = 'feffe9928665731c6d6a8f9467308308feffe9928665731c';
const C9 =
  '3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c' +
  '7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710acade256';
const C15 =
  '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa' +
  '8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad';
const gcmSpec: [number, string, string, string, string, string, string][] = [
  [1, '00'.repeat(16), '00'.repeat(12), '', '', '', '58e2fccefa7e3061367f1d57a4e7455a'],
  [2, '00'.repeat(16), '00'.repeat(12), '00'.repeat(16), '', '0388dace60b6a392f328c2b971b2fe78', 'ab6e47d42cec13bdf53a67b21257bddf'],
  [3, K3, IV3, P3, '', C3, '4d5c2af327cd64a62cf35abd2ba6fab4'],
  [4, K3, IV3, P3.slice(0, 120), A4, C3.slice(0, 120), '5bc94fbc3221a5db94fae95ae7121a47'],
  [7, '00'.repeat(24), '00'.repeat(12), '', '', '', 'cd33b28ac773f74ba00ed1f312572435'],
  [8, '00'.repeat(24), '00'.repeat(12), '00'.repeat(16), '', '98e7247c07f0fe411c267e4384b0f600', '2ff58d80033927ab8ef4d4587514f0fb'],
  [9, K9, IV3, P3, '', C9, '9924a7c8587336bfb118024db8674a14'],
  [10, K9, IV3, P3.slice(0, 120), A4, C9.slice(0, 120), '2519498e80f1478f37ba55bd6d27618c'],
  [13, '00'.repeat(32), '00'.repeat(12), '', '', '', '530f8afbc74536b9a963b4f1c4cb738b'],
  [14, '00'.repeat(32), '00'.repeat(12), '00'.repeat(16), '', 'cea7403d4d606b6e074ec5d3baf39d18', 'd0d1c8a799996bf0265b98b5d48ab919'],
  [15, K3 + K3, IV3, P3, '', C15, 'b094dac5d93471bdec1a502270e3cc6c'],
  [16, K3 + K3, IV3, P3.slice(0, 120), A4, C15.slice(0, 120), '76fc6ece0f4e1768cddf8853bb2d551b'],
];

describe('GCM specification test cases', () => {
  test.each(gcmSpec)('test case %i', (_n, key, iv, p, a, c, t) => {
    const aead = new AesGcm(fromHex(key));
    const sealed = aead.seal(fromHex(iv), fromHex(p), fromHex(a));
    expect(toHex(sealed)).toBe(c + t);
    expect(toHex(aead.open(fromHex(iv), sealed, fromHex(a)))).toBe(p);
    aead.dispose();
  });
});

describe('AesGcm arguments', () => {
  const key = new Uint8Array(16).fill(7);
  const nonce = new Uint8Array(12).fill(1);

  test('the key must be a 16-, 24- or 32-byte Uint8Array', () => {
    expect(() => new AesGcm('k' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => new AesGcm('k' as unknown as Uint8Array)).toThrow(/key must be a Uint8Array/);
    for (const n of [0, 15, 17, 23, 25, 31, 33, 64]) {
      expect(() => new AesGcm(new Uint8Array(n))).toThrow(RangeError);
      expect(() => new AesGcm(new Uint8Array(n))).toThrow(/key must be 16, 24 or 32 bytes/);
    }
    for (const n of [16, 24, 32]) new AesGcm(new Uint8Array(n)).dispose();
  });

  test('nonce, plaintext, sealed and aad are type- and size-checked', () => {
    const aead = new AesGcm(key);
    expect(() => aead.seal([1] as unknown as Uint8Array, new Uint8Array(1))).toThrow(/nonce must be a Uint8Array/);
    expect(() => aead.seal(new Uint8Array(0), new Uint8Array(1))).toThrow(RangeError);
    expect(() => aead.seal(new Uint8Array(0), new Uint8Array(1))).toThrow(/nonce must be between 1 and/);
    expect(() => aead.seal(new Uint8Array(65537), new Uint8Array(1))).toThrow(RangeError);
    expect(() => aead.seal(nonce, null as unknown as Uint8Array)).toThrow(/plaintext must be a Uint8Array/);
    expect(() => aead.seal(nonce, new Uint8Array(1), 'x' as unknown as Uint8Array)).toThrow(/aad must be a Uint8Array/);
    expect(() => aead.open(nonce, {} as unknown as Uint8Array)).toThrow(/sealed must be a Uint8Array/);
    // A sealed input shorter than the tag is a RangeError, not an authentication failure.
    expect(() => aead.open(nonce, new Uint8Array(15))).toThrow(RangeError);
    expect(() => aead.open(nonce, new Uint8Array(15))).toThrow(/sealed must be at least 16 bytes/);
    aead.dispose();
  });

  test('a bad tag, nonce or aad throws AuthenticationError', () => {
    const aead = new AesGcm(key);
    const sealed = aead.seal(nonce, new Uint8Array(40).fill(9), new Uint8Array([1, 2, 3]));
    for (const i of [0, 39, 40, 55]) {
      const bad = sealed.slice();
      bad[i]! ^= 0x80;
      expect(() => aead.open(nonce, bad, new Uint8Array([1, 2, 3]))).toThrow(AuthenticationError);
    }
    expect(() => aead.open(nonce, sealed, new Uint8Array([1, 2, 4]))).toThrow(AuthenticationError);
    expect(() => aead.open(nonce, sealed)).toThrow(AuthenticationError);
    expect(() => aead.open(new Uint8Array(12), sealed, new Uint8Array([1, 2, 3]))).toThrow(AuthenticationError);
    try {
      aead.open(nonce, sealed.subarray(0, 16));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AuthenticationError);
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).name).toBe('AuthenticationError');
      expect((e as Error).message).toMatch(/tag does not match/);
    }
    aead.dispose();
  });

  test('aad is optional and empty by default', () => {
    const aead = new AesGcm(key);
    const p = new Uint8Array([1, 2, 3]);
    expect(toHex(aead.seal(nonce, p))).toBe(toHex(aead.seal(nonce, p, new Uint8Array(0))));
    expect(toHex(aead.open(nonce, aead.seal(nonce, p)))).toBe('010203');
    aead.dispose();
  });

  test('use after dispose throws', () => {
    const aead = new AesGcm(key);
    aead.dispose();
    expect(() => aead.seal(nonce, new Uint8Array(1))).toThrow(/disposed/);
    expect(() => aead.open(nonce, new Uint8Array(16))).toThrow(/disposed/);
    aead.dispose();
  });

  test('instances interleave', () => {
    const a = new AesGcm(key);
    const b = new AesGcm(new Uint8Array(32).fill(3));
    const p = new Uint8Array(100).fill(5);
    const sa = a.seal(nonce, p);
    const sb = b.seal(nonce, p);
    expect(toHex(sa)).not.toBe(toHex(sb));
    expect(toHex(b.open(nonce, sb))).toBe(toHex(p));
    expect(toHex(a.open(nonce, sa))).toBe(toHex(p));
    expect(() => a.open(nonce, sb)).toThrow(AuthenticationError);
    expect(toHex(a.seal(nonce, p))).toBe(toHex(sa));
    a.dispose();
    b.dispose();
  });
});
