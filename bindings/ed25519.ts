// Ed25519 (RFC 8032) over the WASM core.

import { type Core, getCore, wipeIo } from './loader.js';
import { bytes, bytesOfLength } from './validate.js';

interface Ed25519Exports {
  edPublicKeyIo(): void;
  edSignInit(): void;
  edSignUpdate(len: number): void;
  edSignMid(): void;
  edSignFinal(): void;
  edSignIo(len: number): void;
  edVerifyInit(): number;
  edVerifyUpdate(len: number): void;
  edVerifyFinal(): number;
  edVerifyIo(len: number): number;
}

const SEED_LEN = 32;
const PUBLIC_LEN = 32;
const SIGNATURE_LEN = 64;

function core(): { c: Core; x: Ed25519Exports } {
  const c = getCore();
  return { c, x: c.x as unknown as Ed25519Exports };
}

/** Feeds `data` through IO in chunks to `update`, wiping each chunk. */
function stream(c: Core, data: Uint8Array, update: (len: number) => void): void {
  for (let off = 0; off < data.length; off += c.ioSize) {
    const n = Math.min(c.ioSize, data.length - off);
    c.mem.set(data.subarray(off, off + n), c.io);
    update(n);
    wipeIo(c, n);
  }
}

/**
 * Ed25519 signatures (RFC 8032 §5.1): pure Ed25519, no context, no prehash.
 * Key generation and signing are constant time in the secret key;
 * verification is strict (S < L, canonical encodings) and cofactorless.
 * @example
 * const sk = ed25519.randomSecretKey();
 * const sig = ed25519.sign(message, sk);
 * ed25519.verify(sig, message, ed25519.getPublicKey(sk)); // true
 */
export const ed25519 = {
  /**
   * 32 random bytes from `crypto.getRandomValues`: a new secret key (seed).
   * @example const secretKey = ed25519.randomSecretKey();
   */
  randomSecretKey(): Uint8Array {
    return globalThis.crypto.getRandomValues(new Uint8Array(SEED_LEN));
  },

  /**
   * The 32-byte public key of a 32-byte secret key (the RFC 8032 seed).
   * @example const publicKey = ed25519.getPublicKey(secretKey);
   */
  getPublicKey(secretKey: Uint8Array): Uint8Array {
    bytesOfLength('secretKey', secretKey, SEED_LEN);
    const { c, x } = core();
    c.mem.set(secretKey, c.io);
    x.edPublicKeyIo();
    const out = c.mem.slice(c.io, c.io + PUBLIC_LEN);
    wipeIo(c, SEED_LEN);
    return out;
  },

  /**
   * The 64-byte signature R || S of `message` under the 32-byte secret key.
   * Deterministic (RFC 8032 §5.1.6); any message length.
   * @example const sig = ed25519.sign(new TextEncoder().encode('hello'), secretKey);
   */
  sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
    bytes('message', message);
    bytesOfLength('secretKey', secretKey, SEED_LEN);
    const { c, x } = core();
    if (SEED_LEN + message.length <= c.ioSize) {
      c.mem.set(secretKey, c.io);
      c.mem.set(message, c.io + SEED_LEN);
      x.edSignIo(message.length);
      const out = c.mem.slice(c.io, c.io + SIGNATURE_LEN);
      wipeIo(c, Math.max(SIGNATURE_LEN, SEED_LEN + message.length));
      return out;
    }
    // Two passes over the message: r = H(prefix || M), then k = H(R || A || M).
    c.mem.set(secretKey, c.io);
    x.edSignInit();
    wipeIo(c, SEED_LEN);
    stream(c, message, (n) => x.edSignUpdate(n));
    x.edSignMid();
    stream(c, message, (n) => x.edSignUpdate(n));
    x.edSignFinal();
    const out = c.mem.slice(c.io, c.io + SIGNATURE_LEN);
    wipeIo(c, SIGNATURE_LEN);
    return out;
  },

  /**
   * True when `signature` is a valid Ed25519 signature of `message` under
   * `publicKey`. Never throws for bad content: a signature or public key of
   * the wrong length, S >= L, a public key that does not decode or a
   * non-canonical R all give false. Throws TypeError for non-Uint8Array inputs.
   * @example if (!ed25519.verify(sig, message, publicKey)) throw new Error('bad signature');
   */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    bytes('signature', signature);
    bytes('message', message);
    bytes('publicKey', publicKey);
    if (signature.length !== SIGNATURE_LEN || publicKey.length !== PUBLIC_LEN) return false;
    const { c, x } = core();
    const head = SIGNATURE_LEN + PUBLIC_LEN;
    c.mem.set(signature, c.io);
    c.mem.set(publicKey, c.io + SIGNATURE_LEN);
    if (head + message.length <= c.ioSize) {
      c.mem.set(message, c.io + head);
      const ok = x.edVerifyIo(message.length);
      wipeIo(c, head + message.length);
      return ok === 1;
    }
    const started = x.edVerifyInit();
    wipeIo(c, head);
    if (started === 0) return false;
    stream(c, message, (n) => x.edVerifyUpdate(n));
    return x.edVerifyFinal() === 1;
  },
};
