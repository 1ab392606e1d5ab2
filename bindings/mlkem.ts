// ML-KEM-768 (FIPS 203) over the WASM core (assembly/mlkem.ts).

import { InvalidKeyError } from './errors.js';
import { getCore, wipeIo } from './loader.js';
import { bytesOfLength } from './validate.js';

interface MlKemExports {
  mlkem768KeygenIo(): void;
  mlkem768EncapsIo(): number;
  mlkem768DecapsIo(): number;
}

const SEED_LEN = 64;
const EK_LEN = 1184;
const DK_LEN = 2400;
const CT_LEN = 1088;
const SS_LEN = 32;
const M_LEN = 32;

function exportsOf(): { c: ReturnType<typeof getCore>; x: MlKemExports } {
  const c = getCore();
  return { c, x: c.x as unknown as MlKemExports };
}

function random(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

/** An ML-KEM-768 key pair: the encapsulation key (public) and the decapsulation key (secret). */
export interface MlKemKeyPair {
  /** Encapsulation key ek, 1184 bytes. */
  publicKey: Uint8Array;
  /** Decapsulation key dk, 2400 bytes (FIPS 203 §7.1 "expanded" form). */
  secretKey: Uint8Array;
}

/** The result of encapsulation: what to send and what to keep. */
export interface MlKemEncapsulation {
  /** Ciphertext c, 1088 bytes, for the holder of the secret key. */
  ciphertext: Uint8Array;
  /** Shared secret K, 32 bytes. */
  sharedSecret: Uint8Array;
}

/**
 * ML-KEM-768 (FIPS 203, parameter set of §8 Table 2), constant time in every
 * secret. Wrong sizes throw a RangeError naming the parameter; keys that fail
 * the input checks of FIPS 203 §7.2 (encapsulation key not reduced mod q) and
 * §7.3 (decapsulation key's embedded hash does not match) throw
 * InvalidKeyError. A tampered ciphertext does not throw: decapsulation then
 * returns the implicit-rejection secret, as FIPS 203 requires.
 * @example
 * const { publicKey, secretKey } = mlkem768.keygen();
 * const { ciphertext, sharedSecret } = mlkem768.encapsulate(publicKey);
 * const same = mlkem768.decapsulate(ciphertext, secretKey); // equals sharedSecret
 */
export const mlkem768 = {
  publicKeyLength: EK_LEN,
  secretKeyLength: DK_LEN,
  ciphertextLength: CT_LEN,
  sharedSecretLength: SS_LEN,
  seedLength: SEED_LEN,

  /**
   * ML-KEM.KeyGen (FIPS 203 Algorithm 19), or KeyGen_internal(d, z)
   * (Algorithm 16) from the 64-byte `seed` d ‖ z when given.
   * @example const { publicKey, secretKey } = mlkem768.keygen();
   */
  keygen(seed?: Uint8Array): MlKemKeyPair {
    const s = seed === undefined ? random(SEED_LEN) : bytesOfLength('seed', seed, SEED_LEN);
    const { c, x } = exportsOf();
    c.mem.set(s, c.io);
    if (seed === undefined) s.fill(0);
    x.mlkem768KeygenIo();
    const publicKey = c.mem.slice(c.io, c.io + EK_LEN);
    const secretKey = c.mem.slice(c.io + EK_LEN, c.io + EK_LEN + DK_LEN);
    wipeIo(c, EK_LEN + DK_LEN);
    return { publicKey, secretKey };
  },

  /**
   * ML-KEM.Encaps (Algorithm 20) with the modulus check of §7.2, or
   * Encaps_internal (Algorithm 17) with the 32-byte message m as
   * `randomness` when given (for known-answer tests).
   * @example const { ciphertext, sharedSecret } = mlkem768.encapsulate(publicKey);
   */
  encapsulate(publicKey: Uint8Array, randomness?: Uint8Array): MlKemEncapsulation {
    bytesOfLength('publicKey', publicKey, EK_LEN);
    const m = randomness === undefined ? random(M_LEN) : bytesOfLength('randomness', randomness, M_LEN);
    const { c, x } = exportsOf();
    c.mem.set(publicKey, c.io);
    c.mem.set(m, c.io + EK_LEN);
    if (randomness === undefined) m.fill(0);
    const ok = x.mlkem768EncapsIo();
    if (ok === 0) {
      wipeIo(c, EK_LEN + M_LEN);
      throw new InvalidKeyError('publicKey fails the ML-KEM modulus check (FIPS 203 §7.2): a coefficient is not below q = 3329');
    }
    const ciphertext = c.mem.slice(c.io, c.io + CT_LEN);
    const sharedSecret = c.mem.slice(c.io + CT_LEN, c.io + CT_LEN + SS_LEN);
    wipeIo(c, EK_LEN + M_LEN);
    return { ciphertext, sharedSecret };
  },

  /**
   * ML-KEM.Decaps (Algorithm 21) with the hash check of §7.3. A ciphertext
   * that is not the encryption it claims yields the implicit-rejection
   * secret J(z ‖ c), never an error.
   * @example const sharedSecret = mlkem768.decapsulate(ciphertext, secretKey);
   */
  decapsulate(ciphertext: Uint8Array, secretKey: Uint8Array): Uint8Array {
    bytesOfLength('ciphertext', ciphertext, CT_LEN);
    bytesOfLength('secretKey', secretKey, DK_LEN);
    const { c, x } = exportsOf();
    c.mem.set(secretKey, c.io);
    c.mem.set(ciphertext, c.io + DK_LEN);
    const ok = x.mlkem768DecapsIo();
    const out = c.mem.slice(c.io, c.io + SS_LEN);
    wipeIo(c, DK_LEN + CT_LEN);
    if (ok === 0) {
      throw new InvalidKeyError('secretKey fails the ML-KEM hash check (FIPS 203 §7.3): H(ek) inside it does not match');
    }
    return out;
  },
};
