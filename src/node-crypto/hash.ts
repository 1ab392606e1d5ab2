// SHA-256/SHA-384 with HMAC (RFC 2104) and HKDF (RFC 5869) on node:crypto,
// for the key schedule and transcript hash of the node-crypto provider.
//
// HKDF-Expand is written out over createHmac rather than taken from
// hkdfSync: TLS 1.3 expands 32-48 bytes at a time (one HMAC block), and
// hkdfSync's per-call cost is about 4x an HMAC's (measured in npm run bench:
// HKDF extract+expand 79k/s against HMAC-SHA256 318k/s on node:crypto).

import { createHash, createHmac, type Hash } from 'node:crypto';
import { internalError } from '../errors.js';
import type { Hasher, TlsHash } from '../provider.js';

function plain(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

class NodeHasher implements Hasher {
  readonly #h: Hash;
  constructor(h: Hash) {
    this.#h = h;
  }
  update(data: Uint8Array): this {
    this.#h.update(data);
    return this;
  }
  digest(): Uint8Array {
    return plain(this.#h.digest());
  }
  clone(): Hasher {
    return new NodeHasher(this.#h.copy());
  }
}

function nodeHash(name: 'sha256' | 'sha384', length: number): TlsHash {
  const zeros = new Uint8Array(length);
  const hmac = (key: Uint8Array, data: Uint8Array) => plain(createHmac(name, key).update(data).digest());
  return {
    name,
    length,
    digest: (data) => plain(createHash(name).update(data).digest()),
    create: () => new NodeHasher(createHash(name)),
    hmac,
    // RFC 5869 §2.2: an absent salt is HashLen zeros (HMAC pads a short key with zeros, so an empty key is the same).
    extract: (salt, ikm) => hmac(salt.length === 0 ? zeros : salt, ikm),
    // RFC 5869 §2.3: T(i) = HMAC(PRK, T(i-1) | info | i), L <= 255 * HashLen.
    expand(prk, info, outLength) {
      if (!Number.isInteger(outLength) || outLength < 0 || outLength > 255 * length) throw internalError(`HKDF-Expand: length ${outLength} outside 0..${255 * length}`);
      const out = new Uint8Array(outLength);
      let t: Uint8Array = new Uint8Array(0);
      const counter = new Uint8Array(1);
      for (let i = 1, off = 0; off < outLength; i++) {
        counter[0] = i;
        const next = plain(createHmac(name, prk).update(t).update(info).update(counter).digest());
        t.fill(0);
        t = next;
        out.set(t.subarray(0, Math.min(length, outLength - off)), off);
        off += length;
      }
      t.fill(0);
      return out;
    },
  };
}

/** SHA-256 and its HMAC and HKDF on node:crypto. */
export const NODE_SHA256: TlsHash = nodeHash('sha256', 32);
/** SHA-384 and its HMAC and HKDF on node:crypto. */
export const NODE_SHA384: TlsHash = nodeHash('sha384', 48);
