// HKDF-SHA256/384/512: every Wycheproof case (RFC 5869 vectors included).
import { describe, expect, test } from 'vitest';
import { hkdfExpand, hkdfExtract } from '../src/crypto.js';
import { fromHex, toHex } from './helpers/hex.js';
import { runWycheproof, type WycheproofFile } from './helpers/wycheproof.js';
import k256 from './vectors/wycheproof/hkdf_sha256_test.json' with { type: 'json' };
import k384 from './vectors/wycheproof/hkdf_sha384_test.json' with { type: 'json' };
import k512 from './vectors/wycheproof/hkdf_sha512_test.json' with { type: 'json' };

const files = [
  ['hkdf_sha256_test.json', k256, 'sha256'],
  ['hkdf_sha384_test.json', k384, 'sha384'],
  ['hkdf_sha512_test.json', k512, 'sha512'],
] as const;

for (const [name, file, hash] of files) {
  describe(name, () => {
    // Invalid cases ask for more than 255 * HashLen bytes: expand must throw.
    runWycheproof(name, file as unknown as WycheproofFile, (c) => {
      const prk = hkdfExtract(hash, fromHex(c.salt as string), fromHex(c.ikm as string));
      const okm = hkdfExpand(hash, prk, fromHex(c.info as string), c.size as number);
      return toHex(okm) === c.okm ? 'pass' : 'reject';
    });
  });
}

describe('HKDF limits', () => {
  test('expand throws a RangeError above 255 * HashLen', () => {
    const prk = new Uint8Array(32);
    expect(hkdfExpand('sha256', prk, new Uint8Array(0), 255 * 32).length).toBe(8160);
    expect(() => hkdfExpand('sha256', prk, new Uint8Array(0), 255 * 32 + 1)).toThrow(RangeError);
    expect(() => hkdfExpand('sha384', prk, new Uint8Array(0), 255 * 48 + 1)).toThrow(/length/);
    expect(() => hkdfExpand('sha256', prk, new Uint8Array(0), 1.5)).toThrow(TypeError);
  });
});
