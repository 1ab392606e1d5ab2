// P-256 ECDH and ECDSA sign/verify, P-384 ECDSA verify, against node:crypto
// and @noble/curves. Keys, peers and signatures are prepared outside the
// timed functions.
import { p256 as nobleP256, p384 as nobleP384 } from '@noble/curves/nist.js';
import { createECDH, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { ecdsaP256, ecdsaP384, p256 } from '../../src/crypto.js';
import type { BenchGroup, BenchSuite } from '../suite.js';

function rawPublic(jwk: JsonWebKey): Uint8Array {
  return Uint8Array.from([4, ...Buffer.from(jwk.x!, 'base64url'), ...Buffer.from(jwk.y!, 'base64url')]);
}

export const p256Suite: BenchSuite = {
  name: 'p256',
  async groups(): Promise<BenchGroup[]> {
    const msg = randomBytes(64);

    // ECDH: our secret key, a peer public key.
    const sk = p256.randomSecretKey();
    const pk = p256.getPublicKey(sk);
    const peer = createECDH('prime256v1');
    peer.generateKeys();
    const peerPub = new Uint8Array(peer.getPublicKey());
    const nodeEcdh = createECDH('prime256v1');
    nodeEcdh.setPrivateKey(Buffer.from(sk));

    // ECDSA P-256: one key pair in every representation.
    const jwk = {
      kty: 'EC',
      crv: 'P-256',
      x: Buffer.from(pk.subarray(1, 33)).toString('base64url'),
      y: Buffer.from(pk.subarray(33)).toString('base64url'),
    };
    const nodePriv = createPrivateKey({ key: { ...jwk, d: Buffer.from(sk).toString('base64url') }, format: 'jwk' });
    const nodePub = createPublicKey({ key: jwk, format: 'jwk' });
    const sigDer = ecdsaP256.sign(msg, sk);
    const nobleSig = nobleP256.sign(msg, sk, { format: 'der' });

    // ECDSA P-384 verify: a node key pair and signature.
    const k384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const pub384 = rawPublic(k384.publicKey.export({ format: 'jwk' }));
    const sig384 = new Uint8Array(sign('sha384', msg, { key: k384.privateKey, dsaEncoding: 'der' }));

    return [
      {
        name: 'P-256 ECDH shared secret',
        bytes: 0,
        cases: {
          'node:crypto': () => nodeEcdh.computeSecret(peerPub),
          wasmtls: () => p256.getSharedSecret(sk, peerPub),
          '@noble/curves': () => nobleP256.getSharedSecret(sk, peerPub),
        },
      },
      {
        name: 'P-256 public key from secret key',
        bytes: 0,
        cases: {
          'node:crypto': () => {
            nodeEcdh.setPrivateKey(Buffer.from(sk));
            return nodeEcdh.getPublicKey();
          },
          wasmtls: () => p256.getPublicKey(sk),
          '@noble/curves': () => nobleP256.getPublicKey(sk, false),
        },
      },
      {
        name: 'ECDSA P-256 sign (64 B message)',
        bytes: 0,
        targets: [{ peer: '@noble/curves', atLeast: 5, issue: 'issue 18 item 6' }],
        cases: {
          'node:crypto': () => sign('sha256', msg, { key: nodePriv, dsaEncoding: 'der' }),
          wasmtls: () => ecdsaP256.sign(msg, sk),
          '@noble/curves': () => nobleP256.sign(msg, sk, { format: 'der' }),
        },
      },
      {
        name: 'ECDSA P-256 verify (64 B message)',
        bytes: 0,
        targets: [{ peer: 'node:crypto', atLeast: 0.55, issue: 'issue 18 item 5' }],
        cases: {
          'node:crypto': () => verify('sha256', msg, { key: nodePub, dsaEncoding: 'der' }, sigDer),
          wasmtls: () => ecdsaP256.verify(sigDer, msg, pk),
          '@noble/curves': () => nobleP256.verify(nobleSig, msg, pk, { format: 'der', lowS: false }),
        },
      },
      {
        name: 'ECDSA P-384 verify (64 B message)',
        bytes: 0,
        cases: {
          'node:crypto': () => verify('sha384', msg, { key: k384.publicKey, dsaEncoding: 'der' }, sig384),
          wasmtls: () => ecdsaP384.verify(sig384, msg, pub384),
          '@noble/curves': () => nobleP384.verify(sig384, msg, pub384, { format: 'der', lowS: false }),
        },
      },
    ];
  },
};
