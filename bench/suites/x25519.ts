// X25519 shared secret and public key against node:crypto, @noble/curves and libsodium-wrappers.
import { x25519 as nobleX25519 } from '@noble/curves/ed25519.js';
import sodium from 'libsodium-wrappers';
import { createPrivateKey, createPublicKey, diffieHellman, randomBytes } from 'node:crypto';
import { x25519 } from '../../src/crypto.js';
import type { BenchGroup, BenchSuite } from '../suite.js';

const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

export const x25519Suite: BenchSuite = {
  name: 'x25519',
  async groups(): Promise<BenchGroup[]> {
    await sodium.ready;
    const sk = randomBytes(32);
    const peerPk = x25519.getPublicKey(randomBytes(32));
    // node:crypto KeyObjects are built once, outside the timed functions.
    const nodeSk = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, sk]), format: 'der', type: 'pkcs8' });
    const nodePeer = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, peerPk]), format: 'der', type: 'spki' });
    return [
      {
        name: 'X25519 shared secret',
        bytes: 0,
        targets: [
          { peer: 'libsodium-wrappers', atLeast: 1.2, issue: 'issue 18 item 5' },
          { peer: '@noble/curves', atLeast: 10, issue: 'issue 2' },
        ],
        cases: {
          'node:crypto': () => diffieHellman({ privateKey: nodeSk, publicKey: nodePeer }),
          wasmtls: () => x25519.getSharedSecret(sk, peerPk),
          '@noble/curves': () => nobleX25519.getSharedSecret(sk, peerPk),
          'libsodium-wrappers': () => sodium.crypto_scalarmult(sk, peerPk),
        },
      },
      {
        name: 'X25519 public key',
        bytes: 0,
        cases: {
          // createPublicKey derives the public key from the private KeyObject.
          'node:crypto': () => createPublicKey(nodeSk).export({ format: 'der', type: 'spki' }),
          wasmtls: () => x25519.getPublicKey(sk),
          '@noble/curves': () => nobleX25519.getPublicKey(sk),
          'libsodium-wrappers': () => sodium.crypto_scalarmult_base(sk),
        },
      },
    ];
  },
};
