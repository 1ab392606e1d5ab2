// SHA-256/384/512 known answers: FIPS 180-4 examples (from NIST's
// "Cryptographic Standards and Guidelines: Example Values") and the
// one-million-'a' messages.
import { describe, expect, test } from 'vitest';
import { sha224, sha256, sha384, sha512 } from '../src/crypto.js';
import { toHex, utf8 } from './helpers/hex.js';

const abc = utf8('abc');
const two56 = utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq');
const two112 = utf8(
  'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
);
const millionA = new Uint8Array(1_000_000).fill(0x61);

describe('SHA-256', () => {
  test('FIPS 180-4 one-block and two-block examples', () => {
    expect(toHex(sha256(abc))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(sha256(two56))).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    expect(toHex(sha256(new Uint8Array(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
  test("one million 'a'", () => {
    expect(toHex(sha256(millionA))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
    const h = sha256.create();
    for (let i = 0; i < 1000; i++) h.update(millionA.subarray(0, 1000));
    expect(toHex(h.digest())).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });
});

describe('SHA-224', () => {
  test('FIPS 180-4 examples', () => {
    expect(toHex(sha224(abc))).toBe('23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7');
    expect(toHex(sha224(two56))).toBe('75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525');
  });
  test("one million 'a'", () => {
    expect(toHex(sha224(millionA))).toBe('20794655980c91d8bbb4c1ea97618a4bf03f42581948b2ee4ee7ad67');
  });
});

describe('SHA-384', () => {
  test('FIPS 180-4 examples', () => {
    expect(toHex(sha384(abc))).toBe(
      'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
    );
    expect(toHex(sha384(two112))).toBe(
      '09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039',
    );
  });
  test("one million 'a'", () => {
    expect(toHex(sha384(millionA))).toBe(
      '9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985',
    );
  });
});

describe('SHA-512', () => {
  test('FIPS 180-4 examples', () => {
    expect(toHex(sha512(abc))).toBe(
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    );
    expect(toHex(sha512(two112))).toBe(
      '8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909',
    );
  });
  test("one million 'a'", () => {
    expect(toHex(sha512(millionA))).toBe(
      'e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b',
    );
  });
});

describe('hasher objects', () => {
  test('a digested hasher refuses more work', () => {
    const h = sha256.create().update(abc);
    h.digest();
    expect(() => h.update(abc)).toThrow(/already digested/);
    expect(() => h.digest()).toThrow(/already digested/);
  });
  test('interleaved hashers keep separate state', () => {
    const a = sha256.create();
    const b = sha512.create();
    const c = sha256.create();
    a.update(abc.subarray(0, 1));
    b.update(abc.subarray(0, 2));
    c.update(two56);
    a.update(abc.subarray(1));
    b.update(abc.subarray(2));
    expect(toHex(a.digest())).toBe(toHex(sha256(abc)));
    expect(toHex(b.digest())).toBe(toHex(sha512(abc)));
    expect(toHex(c.digest())).toBe(toHex(sha256(two56)));
  });
  test('wrong input types are TypeErrors naming the parameter', () => {
    expect(() => sha256('abc' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => sha256('abc' as unknown as Uint8Array)).toThrow(/data/);
    expect(() => sha384.create().update([1, 2] as unknown as Uint8Array)).toThrow(/data must be a Uint8Array/);
  });
});
