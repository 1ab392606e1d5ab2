// Ed25519 sign and verify against node:crypto, @noble/curves and libsodium-wrappers.
import { ed25519 as nobleEd25519 } from '@noble/curves/ed25519.js';
import sodium from 'libsodium-wrappers';
import { createPrivateKey, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import { ed25519 } from '../../src/crypto.js';
import type { BenchGroup, BenchSuite } from '../suite.js';

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export const ed25519Suite: BenchSuite = {
  name: 'ed25519',
  async groups(): Promise<BenchGroup[]> {
    await sodium.ready;
    const seed = randomBytes(32);
    const msg = randomBytes(64);
    const pk = ed25519.getPublicKey(seed);
    const sig = ed25519.sign(msg, seed);
    // Keys in each library's own form, prepared outside the timed functions.
    const nodeSk = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
    const nodePk = createPublicKey(nodeSk);
    const sodiumSk = sodium.crypto_sign_seed_keypair(seed).privateKey;
    return [
      {
        name: 'Ed25519 sign 64 B',
        bytes: 0,
        cases: {
          'node:crypto': () => sign(null, msg, nodeSk),
          wasmtls: () => ed25519.sign(msg, seed),
          '@noble/curves': () => nobleEd25519.sign(msg, seed),
          'libsodium-wrappers': () => sodium.crypto_sign_detached(msg, sodiumSk),
        },
      },
      {
        name: 'Ed25519 verify 64 B',
        bytes: 0,
        cases: {
          'node:crypto': () => verify(null, msg, nodePk, sig),
          wasmtls: () => ed25519.verify(sig, msg, pk),
          '@noble/curves': () => nobleEd25519.verify(sig, msg, pk),
          'libsodium-wrappers': () => sodium.crypto_sign_verify_detached(sig, msg, pk),
        },
      },
      {
        name: 'Ed25519 public key',
        bytes: 0,
        cases: {
          'node:crypto': () => createPublicKey(nodeSk).export({ format: 'der', type: 'spki' }),
          wasmtls: () => ed25519.getPublicKey(seed),
          '@noble/curves': () => nobleEd25519.getPublicKey(seed),
          'libsodium-wrappers': () => sodium.crypto_sign_seed_keypair(seed),
        },
      },
    ];
  },
};
