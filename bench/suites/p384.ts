// P-384 ECDH, public-key derivation and ECDSA signing against node:crypto
// and @noble/curves (P-384 verification is in the p256 suite). Keys and
// peers are prepared outside the timed functions.
import { p384 as nobleP384 } from '@noble/curves/nist.js';
import { createECDH, createPrivateKey, randomBytes, sign } from 'node:crypto';
import { ecdsaP384, p384 } from '../../src/crypto.js';
import type { BenchGroup, BenchSuite } from '../suite.js';

export const p384Suite: BenchSuite = {
  name: 'p384',
  async groups(): Promise<BenchGroup[]> {
    const msg = randomBytes(64);
    const sk = p384.randomSecretKey();
    const pk = p384.getPublicKey(sk);
    const peer = createECDH('secp384r1');
    peer.generateKeys();
    const peerPub = new Uint8Array(peer.getPublicKey());
    const nodeEcdh = createECDH('secp384r1');
    nodeEcdh.setPrivateKey(Buffer.from(sk));
    const jwk = {
      kty: 'EC',
      crv: 'P-384',
      x: Buffer.from(pk.subarray(1, 49)).toString('base64url'),
      y: Buffer.from(pk.subarray(49)).toString('base64url'),
      d: Buffer.from(sk).toString('base64url'),
    };
    const nodePriv = createPrivateKey({ key: jwk, format: 'jwk' });
    return [
      {
        name: 'P-384 ECDH shared secret',
        bytes: 0,
        cases: {
          'node:crypto': () => nodeEcdh.computeSecret(peerPub),
          wasmtls: () => p384.getSharedSecret(sk, peerPub),
          '@noble/curves': () => nobleP384.getSharedSecret(sk, peerPub),
        },
      },
      {
        name: 'P-384 public key from secret key',
        bytes: 0,
        cases: {
          'node:crypto': () => {
            nodeEcdh.setPrivateKey(Buffer.from(sk));
            return nodeEcdh.getPublicKey();
          },
          wasmtls: () => p384.getPublicKey(sk),
          '@noble/curves': () => nobleP384.getPublicKey(sk, false),
        },
      },
      {
        name: 'ECDSA P-384 sign (64 B message)',
        bytes: 0,
        cases: {
          'node:crypto': () => sign('sha384', msg, { key: nodePriv, dsaEncoding: 'der' }),
          wasmtls: () => ecdsaP384.sign(msg, sk),
          '@noble/curves': () => nobleP384.sign(msg, sk, { format: 'der' }),
        },
      },
    ];
  },
};
