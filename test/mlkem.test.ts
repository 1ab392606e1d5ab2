// ML-KEM-768 (FIPS 203): every case of the four Wycheproof ML-KEM-768 files,
// each honouring `result` and `flags`, and the wrapper's argument errors.
import { describe, expect, test } from 'vitest';
import { InvalidKeyError, mlkem768 } from '../src/crypto.js';
import { fromHex, toHex } from './helpers/hex.js';
import { expectBytes, runWycheproof, type WycheproofFile } from './helpers/wycheproof.js';
import encaps from './vectors/wycheproof/mlkem_768_encaps_test.json' with { type: 'json' };
import keygen from './vectors/wycheproof/mlkem_768_keygen_seed_test.json' with { type: 'json' };
import semiExpanded from './vectors/wycheproof/mlkem_768_semi_expanded_decaps_test.json' with { type: 'json' };
import full from './vectors/wycheproof/mlkem_768_test.json' with { type: 'json' };

describe('mlkem_768_keygen_seed_test.json', () => {
  // KeyGen_internal(d, z) from the 64-byte seed: ek and the expanded dk.
  runWycheproof('mlkem_768_keygen_seed_test.json', keygen as unknown as WycheproofFile, (c) => {
    const { publicKey, secretKey } = mlkem768.keygen(fromHex(c.seed as string));
    expectBytes(publicKey, c.ek as string, 'ek');
    expectBytes(secretKey, c.dk as string, 'dk');
    return 'pass';
  });
});

describe('mlkem_768_encaps_test.json', () => {
  // Encaps_internal(ek, m): c and K; invalid cases are wrong lengths and
  // keys that fail the modulus check (flag ModulusOverflow, and the
  // "Public key not reduced" FIPS 203 cases), which must be refused.
  runWycheproof('mlkem_768_encaps_test.json', encaps as unknown as WycheproofFile, (c) => {
    const { ciphertext, sharedSecret } = mlkem768.encapsulate(fromHex(c.ek as string), fromHex(c.m as string));
    expectBytes(ciphertext, c.c as string, 'c');
    expectBytes(sharedSecret, c.K as string, 'K');
    return 'pass';
  });
});

describe('mlkem_768_test.json', () => {
  // KeyGen from the seed (checking ek), then Decaps(c) = K. The Strcmp case
  // has a re-encryption sharing its first byte(s) with c: the implicit
  // rejection path must still be taken. Invalid cases are seeds and
  // ciphertexts of the wrong length.
  runWycheproof('mlkem_768_test.json', full as unknown as WycheproofFile, (c) => {
    const { publicKey, secretKey } = mlkem768.keygen(fromHex(c.seed as string));
    expectBytes(publicKey, c.ek as string, 'ek');
    expectBytes(mlkem768.decapsulate(fromHex(c.c as string), secretKey), c.K as string, 'K');
    return 'pass';
  });
});

describe('mlkem_768_semi_expanded_decaps_test.json', () => {
  // Decaps with the expanded dk: wrong lengths and a dk whose embedded hash
  // or ek was corrupted (the §7.3 hash check) are refused; the two
  // MalleableCiphertext cases are valid and test that the compare covers
  // the last bytes of c1 and c2.
  runWycheproof('mlkem_768_semi_expanded_decaps_test.json', semiExpanded as unknown as WycheproofFile, (c) => {
    expectBytes(mlkem768.decapsulate(fromHex(c.c as string), fromHex(c.dk as string)), c.K as string, 'K');
    return 'pass';
  });
});

describe('ML-KEM-768 round trip and errors', () => {
  test('random keys: decapsulate(encapsulate) agrees; a flipped bit in c gives the rejection secret', () => {
    for (let i = 0; i < 20; i++) {
      const { publicKey, secretKey } = mlkem768.keygen();
      const { ciphertext, sharedSecret } = mlkem768.encapsulate(publicKey);
      expect(toHex(mlkem768.decapsulate(ciphertext, secretKey))).toBe(toHex(sharedSecret));
      const bad = ciphertext.slice();
      bad[(i * 97) % bad.length]! ^= 1 << (i % 8);
      const rejected = mlkem768.decapsulate(bad, secretKey);
      expect(toHex(rejected)).not.toBe(toHex(sharedSecret));
      expect(rejected.length).toBe(32);
    }
  });
  test('parameter-named errors', () => {
    const { publicKey, secretKey } = mlkem768.keygen();
    expect(() => mlkem768.keygen(new Uint8Array(63))).toThrow(/^seed must be 64 bytes, got 63$/);
    expect(() => mlkem768.encapsulate(publicKey.subarray(1))).toThrow(/^publicKey must be 1184 bytes, got 1183$/);
    expect(() => mlkem768.encapsulate(publicKey, new Uint8Array(31))).toThrow(/^randomness must be 32 bytes/);
    expect(() => mlkem768.decapsulate(new Uint8Array(1087), secretKey)).toThrow(/^ciphertext must be 1088 bytes/);
    expect(() => mlkem768.decapsulate(new Uint8Array(1088), secretKey.subarray(1))).toThrow(/^secretKey must be 2400 bytes/);
    expect(() => mlkem768.decapsulate('x' as unknown as Uint8Array, secretKey)).toThrow(TypeError);
    const unreduced = publicKey.slice();
    unreduced[0] = 0xff;
    unreduced[1] = unreduced[1]! | 0x0f;
    expect(() => mlkem768.encapsulate(unreduced)).toThrow(InvalidKeyError);
    const corrupt = secretKey.slice();
    corrupt[1152 + 10]! ^= 1;
    expect(() => mlkem768.decapsulate(new Uint8Array(1088), corrupt)).toThrow(InvalidKeyError);
  });
});
