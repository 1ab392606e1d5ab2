// HMAC-SHA256/384/512: every Wycheproof case, and RFC 4231 test case 2.
import { describe, expect, test } from 'vitest';
import { hmac, hmacSha256, hmacSha384, hmacSha512 } from '../src/crypto.js';
import { fromHex, toHex, utf8 } from './helpers/hex.js';
import { runWycheproof, type WycheproofFile } from './helpers/wycheproof.js';
import h256 from './vectors/wycheproof/hmac_sha256_test.json' with { type: 'json' };
import h384 from './vectors/wycheproof/hmac_sha384_test.json' with { type: 'json' };
import h512 from './vectors/wycheproof/hmac_sha512_test.json' with { type: 'json' };

const files = [
  ['hmac_sha256_test.json', h256, hmacSha256],
  ['hmac_sha384_test.json', h384, hmacSha384],
  ['hmac_sha512_test.json', h512, hmacSha512],
] as const;

for (const [name, file, fn] of files) {
  describe(name, () => {
    runWycheproof<{ tagSize: number; tests: never[] }>(name, file as unknown as WycheproofFile, (c, g) => {
      const tag = fn(fromHex(c.key as string), fromHex(c.msg as string));
      // Truncated-tag groups compare the leftmost tagSize bits (RFC 2104 §5).
      return toHex(tag.subarray(0, g.tagSize / 8)) === c.tag ? 'pass' : 'reject';
    });
  });
}

describe('HMAC', () => {
  test('RFC 4231 test case 2 ("Jefe")', () => {
    const key = utf8('Jefe');
    const data = utf8('what do ya want for nothing?');
    expect(toHex(hmacSha256(key, data))).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    expect(toHex(hmacSha384(key, data))).toBe(
      'af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649',
    );
    expect(toHex(hmacSha512(key, data))).toBe(
      '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
    );
  });
  test('bad arguments are typed errors naming the parameter', () => {
    expect(() => hmacSha256('k' as unknown as Uint8Array, new Uint8Array(1))).toThrow(/key must be a Uint8Array/);
    expect(() => hmacSha256(new Uint8Array(1), null as unknown as Uint8Array)).toThrow(/data must be a Uint8Array/);
    expect(() => hmac('md5' as never, new Uint8Array(1), new Uint8Array(1))).toThrow(TypeError);
  });
});
