// The TLS 1.2 key schedule (RFC 5246 §5, §6.3, §7.4.9, §8.1; RFC 7627 §4;
// RFC 5705 §4) for the AEAD suites of RFC 5288/5289 and RFC 7905:
//
//   PRF(secret, label, seed) = P_<hash>(secret, label || seed)          §5
//   master_secret = PRF(pms, "extended master secret", session_hash)     RFC 7627 §4
//                 | PRF(pms, "master secret", client_random || server_random)  §8.1 (opt-out only)
//   key_block     = PRF(master, "key expansion", server_random || client_random)  §6.3
//   verify_data   = PRF(master, finished_label, Hash(handshake_messages))[0..11]  §7.4.9
//   exporter      = PRF(master, label, client_random || server_random [|| len16 || context])  RFC 5705 §4
//
// The HMAC is the suite's TlsHash (SHA-256, or SHA-384 for the _SHA384
// suites: RFC 5289 §3.2). The master secret is a class whose constructor is
// not exported: only the two derivations below make one, and it is wiped when
// the connection ends.

import { internalError } from '../../errors.js';
import type { TlsHash } from '../../keyschedule.js';

const encoder = new TextEncoder();

function concat(...parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The TLS 1.2 PRF (RFC 5246 §5): `P_hash(secret, label || seed)`, truncated
 * to `length` bytes.
 * @example prf(SHA256, preMaster, 'master secret', concat(clientRandom, serverRandom), 48)
 */
export function prf(hash: TlsHash, secret: Uint8Array, label: string, seed: Uint8Array, length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > 0xffff) throw internalError(`PRF: length ${length} out of range`);
  const labelSeed = concat(encoder.encode(label), seed);
  const out = new Uint8Array(length);
  // A(0) = seed; A(i) = HMAC(secret, A(i-1)); output HMAC(secret, A(i) || seed).
  let a = labelSeed;
  for (let at = 0; at < length; ) {
    a = hash.hmac(secret, a);
    const block = hash.hmac(secret, concat(a, labelSeed));
    const n = Math.min(block.length, length - at);
    out.set(block.subarray(0, n), at);
    block.fill(0);
    at += n;
  }
  a.fill(0);
  return out;
}

/** Bytes of a TLS 1.2 master secret (RFC 5246 §8.1). */
export const MASTER_SECRET_LENGTH = 48;
/** Bytes of verify_data for every suite wasmtls runs (RFC 5246 §7.4.9). */
export const VERIFY_DATA_LENGTH = 12;

/** The write keys of one direction for an AEAD suite (RFC 5246 §6.3 without MAC keys, RFC 5288 §3). */
export interface Tls12DirectionKeys {
  readonly key: Uint8Array;
  /** GCM: the 4-byte implicit salt (RFC 5288 §3); ChaCha20-Poly1305: the 12-byte IV (RFC 7905 §2). */
  readonly iv: Uint8Array;
}

/** Both directions' keys from one key_block. */
export interface Tls12KeyBlock {
  readonly client: Tls12DirectionKeys;
  readonly server: Tls12DirectionKeys;
}

/**
 * A TLS 1.2 master secret. Only {@link extendedMasterSecret} and
 * {@link legacyMasterSecret} make one.
 */
class MasterSecret12 {
  readonly hash: TlsHash;
  readonly extended: boolean;
  #secret: Uint8Array;
  #wiped = false;

  constructor(token: typeof MAKE, hash: TlsHash, secret: Uint8Array, extended: boolean) {
    if (token !== MAKE) throw internalError('MasterSecret12 is made by the key schedule only');
    this.hash = hash;
    this.#secret = secret;
    this.extended = extended;
  }

  #get(): Uint8Array {
    if (this.#wiped) throw internalError('TLS 1.2 master secret used after wipe');
    return this.#secret;
  }

  /**
   * key_block (RFC 5246 §6.3): client_write_key, server_write_key,
   * client_write_IV, server_write_IV (AEAD suites have no MAC keys).
   */
  keyBlock(clientRandom: Uint8Array, serverRandom: Uint8Array, keyLength: number, ivLength: number): Tls12KeyBlock {
    const block = prf(this.hash, this.#get(), 'key expansion', concat(serverRandom, clientRandom), 2 * (keyLength + ivLength));
    const take = (at: number, n: number) => block.slice(at, at + n);
    const result = {
      client: { key: take(0, keyLength), iv: take(2 * keyLength, ivLength) },
      server: { key: take(keyLength, keyLength), iv: take(2 * keyLength + ivLength, ivLength) },
    };
    block.fill(0);
    return result;
  }

  /** verify_data (RFC 5246 §7.4.9) over `Hash(handshake_messages)`. */
  verifyData(sender: 'client' | 'server', transcriptHash: Uint8Array): Uint8Array {
    return prf(this.hash, this.#get(), `${sender} finished`, transcriptHash, VERIFY_DATA_LENGTH);
  }

  /**
   * RFC 5705 §4 keying material exporter. `context` undefined means "no
   * context" (different from an empty one in TLS 1.2).
   */
  export(label: string, clientRandom: Uint8Array, serverRandom: Uint8Array, context: Uint8Array | undefined, length: number): Uint8Array {
    // RFC 5705 §4: labels reserved for the protocol itself must not be used.
    if (/^(client finished|server finished|master secret|extended master secret|key expansion)$/.test(label)) {
      throw new RangeError(`exportKeyingMaterial: label "${label}" is reserved by TLS (RFC 5705 §4)`);
    }
    let seed = concat(clientRandom, serverRandom);
    if (context !== undefined) {
      if (context.length > 0xffff) throw new RangeError('exportKeyingMaterial: context longer than 65535 bytes (RFC 5705 §4)');
      seed = concat(seed, Uint8Array.of(context.length >>> 8, context.length & 0xff), context);
    }
    return prf(this.hash, this.#get(), label, seed, length);
  }

  /** The secret itself, for the NSS key log (`CLIENT_RANDOM`). A copy: the caller wipes it. */
  exportSecret(): Uint8Array {
    return this.#get().slice();
  }

  wipe(): void {
    this.#secret.fill(0);
    this.#wiped = true;
  }
}

const MAKE: unique symbol = Symbol('MasterSecret12');

export type MasterSecret = MasterSecret12;

/**
 * The extended master secret (RFC 7627 §4): bound to the session hash, the
 * hash of every handshake message through ClientKeyExchange. Wipes `preMaster`.
 */
export function extendedMasterSecret(hash: TlsHash, preMaster: Uint8Array, sessionHash: Uint8Array): MasterSecret {
  const secret = prf(hash, preMaster, 'extended master secret', sessionHash, MASTER_SECRET_LENGTH);
  preMaster.fill(0);
  return new MasterSecret12(MAKE, hash, secret, true);
}

/**
 * The RFC 5246 §8.1 master secret, bound only to the randoms: open to the
 * triple-handshake attack (RFC 7627 §1). Used only when the application set
 * `requireExtendedMasterSecret: false` and the peer does not do EMS. Wipes `preMaster`.
 */
export function legacyMasterSecret(hash: TlsHash, preMaster: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array): MasterSecret {
  const secret = prf(hash, preMaster, 'master secret', concat(clientRandom, serverRandom), MASTER_SECRET_LENGTH);
  preMaster.fill(0);
  return new MasterSecret12(MAKE, hash, secret, false);
}
