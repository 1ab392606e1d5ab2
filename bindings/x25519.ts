// X25519 (RFC 7748) over the WASM core.

import { InvalidKeyError } from './errors.js';
import { getCore, wipeIo } from './loader.js';
import { bytesOfLength } from './validate.js';

interface X25519Exports {
  x25519Io(): number;
  x25519BaseIo(): void;
}

const KEY_LEN = 32;

function exportsOf(): { c: ReturnType<typeof getCore>; x: X25519Exports } {
  const c = getCore();
  return { c, x: c.x as unknown as X25519Exports };
}

/**
 * X25519 key agreement (RFC 7748 §5, §6.1), constant time in the secret key.
 * @example
 * const sk = x25519.randomSecretKey();
 * const shared = x25519.getSharedSecret(sk, peerPublicKey);
 * send(x25519.getPublicKey(sk));
 */
export const x25519 = {
  /**
   * 32 random bytes from `crypto.getRandomValues`; any 32 bytes are a valid
   * X25519 secret key (clamping happens inside every operation).
   * @example const sk = x25519.randomSecretKey();
   */
  randomSecretKey(): Uint8Array {
    return globalThis.crypto.getRandomValues(new Uint8Array(KEY_LEN));
  },

  /**
   * The public key X25519(secretKey, 9).
   * @example const pk = x25519.getPublicKey(x25519.randomSecretKey());
   */
  getPublicKey(secretKey: Uint8Array): Uint8Array {
    bytesOfLength('secretKey', secretKey, KEY_LEN);
    const { c, x } = exportsOf();
    c.mem.set(secretKey, c.io);
    x.x25519BaseIo();
    const out = c.mem.slice(c.io, c.io + KEY_LEN);
    wipeIo(c, KEY_LEN);
    return out;
  },

  /**
   * The shared secret X25519(secretKey, publicKey). Throws InvalidKeyError
   * when it is all zero (a small-order public key), as RFC 7748 §6.1 allows
   * and TLS 1.3 requires (RFC 8446 §7.4.2).
   * @example const shared = x25519.getSharedSecret(mySecretKey, theirPublicKey);
   */
  getSharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
    bytesOfLength('secretKey', secretKey, KEY_LEN);
    bytesOfLength('publicKey', publicKey, KEY_LEN);
    const { c, x } = exportsOf();
    c.mem.set(secretKey, c.io);
    c.mem.set(publicKey, c.io + KEY_LEN);
    const nonZero = x.x25519Io();
    const out = c.mem.slice(c.io, c.io + KEY_LEN);
    wipeIo(c, 2 * KEY_LEN);
    if (nonZero === 0) throw new InvalidKeyError('publicKey yields the all-zero X25519 shared secret (small-order point)');
    return out;
  },
};
