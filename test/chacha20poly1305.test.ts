// ChaCha20-Poly1305: every Wycheproof case, the RFC 8439 examples of §2.4.2,
// §2.5.2 and §2.8.2, an input larger than IO, and argument validation.
import { describe, expect, test } from 'vitest';
import { chacha20, poly1305 } from '../bindings/chacha20poly1305.js';
import { AuthenticationError, ChaCha20Poly1305, sha256 } from '../src/crypto.js';
import { fromHex, seededBytes, toHex, utf8 } from './helpers/hex.js';
import { expectBytes, runWycheproof, type WycheproofFile } from './helpers/wycheproof.js';
import vectors from './vectors/wycheproof/chacha20_poly1305_test.json' with { type: 'json' };

const SUNSCREEN = utf8(
  "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
);

/** Throws a WrongOutput error (a failure whatever the expected result) unless `fn` throws a RangeError. */
function expectRangeError(fn: () => unknown, what: string): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof RangeError) return;
    throw e;
  }
  const e = new Error(`${what}: accepted, want RangeError`);
  e.name = 'WrongOutput';
  throw e;
}

describe('chacha20_poly1305_test.json', () => {
  // The file has no `acceptable` cases; the default (either way) is never used.
  runWycheproof('chacha20_poly1305_test.json', vectors as unknown as WycheproofFile, (c) => {
    const aead = new ChaCha20Poly1305(fromHex(c.key as string));
    try {
      const iv = fromHex(c.iv as string);
      const msg = fromHex(c.msg as string);
      const aad = fromHex(c.aad as string);
      const sealed = fromHex((c.ct as string) + (c.tag as string));
      if (iv.length !== 12) {
        // RFC 8439 §2.8 nonces are 96 bits: both directions refuse others.
        expectRangeError(() => aead.seal(iv, msg, aad), `tcId ${c.tcId} seal`);
        expectRangeError(() => aead.open(iv, sealed, aad), `tcId ${c.tcId} open`);
        return 'reject';
      }
      // Open first: a modified tag must be refused here, releasing nothing.
      let opened: Uint8Array;
      try {
        opened = aead.open(iv, sealed, aad);
      } catch (e) {
        if (e instanceof AuthenticationError) return 'reject';
        throw e;
      }
      expectBytes(opened, c.msg as string, `tcId ${c.tcId} open`);
      expectBytes(aead.seal(iv, msg, aad), (c.ct as string) + (c.tag as string), `tcId ${c.tcId} seal`);
      return 'pass';
    } finally {
      aead.dispose();
    }
  });
});

describe('RFC 8439 examples', () => {
  test('§2.4.2 ChaCha20 encryption', () => {
    const key = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    const nonce = fromHex('000000000000004a00000000');
    const want =
      '6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0bf91b65c5524733ab8f593dabcd62b357' +
      '1639d624e65152ab8f530c359f0861d807ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736' +
      '5af90bbf74a35be6b40b8eedf2785e42874d';
    expect(toHex(chacha20(key, nonce, 1, SUNSCREEN))).toBe(want);
    expect(chacha20(key, nonce, 1, fromHex(want))).toEqual(SUNSCREEN);
  });

  test('§2.5.2 Poly1305', () => {
    const key = fromHex('85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b');
    expect(toHex(poly1305(key, utf8('Cryptographic Forum Research Group')))).toBe('a8061dc1305136c6c22b8baf0c0127a9');
  });

  test('§2.8.2 AEAD', () => {
    const key = fromHex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
    const nonce = fromHex('070000004041424344454647');
    const aad = fromHex('50515253c0c1c2c3c4c5c6c7');
    const ct =
      'd31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b' +
      '1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc' +
      '3ff4def08e4b7a9de576d26586cec64b6116';
    const tag = '1ae10b594f09e26a7e902ecbd0600691';
    const aead = new ChaCha20Poly1305(key);
    const sealed = aead.seal(nonce, SUNSCREEN, aad);
    expect(toHex(sealed)).toBe(ct + tag);
    expect(aead.open(nonce, sealed, aad)).toEqual(SUNSCREEN);
    sealed[0]! ^= 1;
    expect(() => aead.open(nonce, sealed, aad)).toThrow(AuthenticationError);
    aead.dispose();
  });
});

describe('inputs larger than the 64 KiB IO buffer', () => {
  test('70,000-byte text with 66,000 bytes of aad (expected values from node:crypto)', () => {
    const aead = new ChaCha20Poly1305(seededBytes(1, 32));
    const nonce = seededBytes(2, 12);
    const aad = seededBytes(3, 66000);
    const pt = seededBytes(4, 70000);
    const sealed = aead.seal(nonce, pt, aad);
    expect(toHex(sealed.subarray(70000))).toBe('76c8491490a08f53b96c0bb23d8594e9');
    expect(toHex(sha256(sealed))).toBe('3b00039ea71bc3a62bf9faf97b199e6f9cac69947fac2e4859b95e9f0873919c');
    // Compared by hash: a deep equality of 70,000 elements takes vitest half a second.
    expect(toHex(sha256(aead.open(nonce, sealed, aad)))).toBe(toHex(sha256(pt)));
    sealed[12345]! ^= 4;
    expect(() => aead.open(nonce, sealed, aad)).toThrow(AuthenticationError);
    aead.dispose();
  });
});

describe('ChaCha20Poly1305 arguments', () => {
  const key = new Uint8Array(32);
  const nonce = new Uint8Array(12);

  test('wrong types are TypeErrors naming the parameter', () => {
    expect(() => new ChaCha20Poly1305('k' as unknown as Uint8Array)).toThrow(/key must be a Uint8Array/);
    const aead = new ChaCha20Poly1305(key);
    expect(() => aead.seal([0] as unknown as Uint8Array, new Uint8Array(1))).toThrow(TypeError);
    expect(() => aead.seal(nonce, 'text' as unknown as Uint8Array)).toThrow(/plaintext must be a Uint8Array/);
    expect(() => aead.seal(nonce, new Uint8Array(1), null as unknown as Uint8Array)).toThrow(/aad must be a Uint8Array/);
    expect(() => aead.open(nonce, {} as unknown as Uint8Array)).toThrow(/sealed must be a Uint8Array/);
    expect(() => aead.open(nonce, new Uint8Array(16), 5 as unknown as Uint8Array)).toThrow(TypeError);
  });

  test('wrong sizes are RangeErrors naming the parameter', () => {
    expect(() => new ChaCha20Poly1305(new Uint8Array(16))).toThrow(/key must be 32 bytes/);
    expect(() => new ChaCha20Poly1305(new Uint8Array(33))).toThrow(RangeError);
    const aead = new ChaCha20Poly1305(key);
    expect(() => aead.seal(new Uint8Array(8), new Uint8Array(1))).toThrow(/nonce must be 12 bytes/);
    expect(() => aead.open(new Uint8Array(24), new Uint8Array(16))).toThrow(/nonce must be 12 bytes/);
    expect(() => aead.open(nonce, new Uint8Array(15))).toThrow(/sealed.length must be between 16/);
  });

  test('the tag authenticates the aad and the nonce too', () => {
    const aead = new ChaCha20Poly1305(key);
    const sealed = aead.seal(nonce, utf8('hello'), utf8('header'));
    expect(aead.open(nonce, sealed, utf8('header'))).toEqual(utf8('hello'));
    expect(() => aead.open(nonce, sealed, utf8('headex'))).toThrow(AuthenticationError);
    expect(() => aead.open(nonce, sealed)).toThrow(AuthenticationError);
    expect(() => aead.open(new Uint8Array(12).fill(1), sealed, utf8('header'))).toThrow(AuthenticationError);
    try {
      aead.open(nonce, sealed);
    } catch (e) {
      expect((e as Error).name).toBe('AuthenticationError');
    }
  });

  test('the key is copied; use after dispose() throws', () => {
    const k = new Uint8Array(32).fill(7);
    const aead = new ChaCha20Poly1305(k);
    const sealed = aead.seal(nonce, utf8('x'));
    k.fill(0);
    expect(aead.open(nonce, sealed)).toEqual(utf8('x'));
    aead.dispose();
    expect(() => aead.seal(nonce, utf8('x'))).toThrow(/after dispose/);
    expect(() => aead.open(nonce, sealed)).toThrow(/after dispose/);
    aead.dispose();
  });
});
