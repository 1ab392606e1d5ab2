// ML-KEM-768 keygen, encapsulation and decapsulation against
// @noble/post-quantum and `mlkem` (both pure JavaScript). Node 20's
// node:crypto has no ML-KEM, so there is no node:crypto row. `mlkem`'s API
// is promise-based; its rows include one await per call.
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { MlKem768 } from 'mlkem';
import { randomBytes } from 'node:crypto';
import { mlkem768 } from '../../src/crypto.js';
import type { BenchGroup, BenchSuite } from '../suite.js';

export const mlkemSuite: BenchSuite = {
  name: 'mlkem',
  async groups(): Promise<BenchGroup[]> {
    const seed = new Uint8Array(randomBytes(64));
    const { publicKey, secretKey } = mlkem768.keygen(seed);
    const { ciphertext } = mlkem768.encapsulate(publicKey);
    const other = new MlKem768();
    return [
      {
        name: 'ML-KEM-768 keygen (from a 64-byte seed)',
        bytes: 0,
        cases: {
          wasmtls: () => mlkem768.keygen(seed),
          '@noble/post-quantum': () => ml_kem768.keygen(seed),
          mlkem: () => other.deriveKeyPair(seed),
        },
      },
      {
        name: 'ML-KEM-768 encapsulate',
        bytes: 0,
        cases: {
          wasmtls: () => mlkem768.encapsulate(publicKey),
          '@noble/post-quantum': () => ml_kem768.encapsulate(publicKey),
          mlkem: () => other.encap(publicKey),
        },
      },
      {
        name: 'ML-KEM-768 decapsulate',
        bytes: 0,
        cases: {
          wasmtls: () => mlkem768.decapsulate(ciphertext, secretKey),
          '@noble/post-quantum': () => ml_kem768.decapsulate(ciphertext, secretKey),
          mlkem: () => other.decap(ciphertext, secretKey),
        },
      },
    ];
  },
};
