// TLS 1.2 record protection for AEAD suites (RFC 5246 §6.2.3.3):
//
//   additional_data = seq_num (8) || type (1) || version (2) || length (2)
//   AES-GCM (RFC 5288 §3):   nonce = salt (4, implicit) || nonce_explicit (8, sent first in each record)
//   ChaCha20 (RFC 7905 §2):  nonce = client/server_write_IV (12) XOR (0 (4) || seq_num (8)), nothing sent
//
// The explicit GCM nonce is the record's sequence number, as OpenSSL, NSS and
// rustls send it: unique per key by construction (RFC 5288 §3 requires only
// uniqueness). A received explicit nonce is taken as sent, whatever its value.
// Unlike TLS 1.3 the outer content type is real and there is no
// TLSInnerPlaintext, so `open` returns the header's type.

import { internalError, TlsError } from '../errors.js';
import type { AeadCipher } from '../provider.js';
import { MAX_PLAINTEXT_LENGTH } from '../wire/constants.js';
import { recordHeader } from './framer.js';

/** The 16-byte tag of every TLS 1.2 AEAD wasmtls runs (RFC 5116 §5.1, RFC 8439 §2.8). */
const TAG = 16;
/** nonce_explicit bytes in a GCM record (RFC 5288 §3). */
export const GCM_EXPLICIT_NONCE_LENGTH = 8;

/**
 * One direction's TLS 1.2 record protection: sequence number from 0 after
 * each ChangeCipherSpec (RFC 5246 §6.1), never wrapping.
 *
 * @example
 * const w = new Tls12Protection(provider.aead(0x1301, keys.client.key), keys.client.iv, true);
 * socket.write(w.seal(ContentType.application_data, bytes));
 */
export class Tls12Protection {
  /** Tells the engine the outer type is the real one (no TLSInnerPlaintext). */
  readonly tls12 = true;
  readonly #aead: AeadCipher;
  readonly #iv: Uint8Array;
  readonly #explicit: boolean;
  #hi = 0;
  #lo = 0;
  #spent = false;
  #disposed = false;

  /**
   * @param aead keyed AEAD, owned from now on
   * @param iv 4-byte GCM salt (`explicitNonce`) or 12-byte ChaCha20-Poly1305 IV (copied)
   * @param explicitNonce true for AES-GCM (RFC 5288), false for ChaCha20-Poly1305 (RFC 7905)
   */
  constructor(aead: AeadCipher, iv: Uint8Array, explicitNonce: boolean) {
    const want = explicitNonce ? 4 : 12;
    if (iv.length !== want) throw internalError(`Tls12Protection: iv of ${iv.length} bytes, expected ${want}`);
    this.#aead = aead;
    // A copy, never a view: Buffer.prototype.slice would share the caller's memory.
    this.#iv = new Uint8Array(iv);
    this.#explicit = explicitNonce;
  }

  /** Records protected (or opened) so far. */
  get sequence(): number {
    return this.#hi * 0x100000000 + this.#lo;
  }

  /** True once 2^64 - 1 records were used; TLS 1.2 has no rekeying, so the connection must end. */
  get exhausted(): boolean {
    return this.#spent;
  }

  /** Seals one record of `type` and returns it, header included. */
  seal(type: number, content: Uint8Array): Uint8Array {
    if (content.length > MAX_PLAINTEXT_LENGTH) throw internalError(`Record: ${content.length} plaintext bytes exceed 2^14`);
    const seq = this.#seq();
    const explicit = this.#explicit ? seq : new Uint8Array(0);
    const sealed = this.#aead.seal(this.#nonce(seq), content, additionalData(seq, type, content.length));
    if (sealed.length !== content.length + TAG) throw internalError(`AEAD returned ${sealed.length} bytes, expected ${content.length + TAG}`);
    this.#advance();
    const length = explicit.length + sealed.length;
    const out = new Uint8Array(5 + length);
    out.set(recordHeader(type, 0x0303, length));
    out.set(explicit, 5);
    out.set(sealed, 5 + explicit.length);
    return out;
  }

  /**
   * Opens one record. Too short for the explicit nonce and tag, or a tag
   * that does not verify, is `bad_record_mac` (RFC 5246 §6.2.3.3); a
   * plaintext over 2^14 bytes is `record_overflow` (§6.2.3).
   */
  open(header: Uint8Array, fragment: Uint8Array): { type: number; content: Uint8Array } {
    const type = header[0] as number;
    const explicitLength = this.#explicit ? GCM_EXPLICIT_NONCE_LENGTH : 0;
    if (fragment.length < explicitLength + TAG) {
      const what = this.#explicit ? `an ${GCM_EXPLICIT_NONCE_LENGTH}-byte explicit nonce and a ${TAG}-byte tag` : `a ${TAG}-byte tag`;
      throw new TlsError('bad_record_mac', `Record: protected record of ${fragment.length} bytes is too short for ${what} (RFC 5246 §6.2.3.3, RFC 5288 §3)`);
    }
    const plaintextLength = fragment.length - explicitLength - TAG;
    if (plaintextLength > MAX_PLAINTEXT_LENGTH) {
      throw new TlsError('record_overflow', `Record: ${plaintextLength} plaintext bytes exceed 2^14 (RFC 5246 §6.2.3)`);
    }
    const seq = this.#seq();
    const nonce = this.#explicit ? this.#nonce(fragment.subarray(0, GCM_EXPLICIT_NONCE_LENGTH)) : this.#nonce(seq);
    let content: Uint8Array;
    try {
      content = this.#aead.open(nonce, fragment.subarray(explicitLength), additionalData(seq, type, plaintextLength));
    } catch (cause) {
      throw new TlsError('bad_record_mac', `Record: record ${this.sequence} does not authenticate (RFC 5246 §6.2.3.3)`, { cause });
    }
    this.#advance();
    return { type, content };
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#aead.dispose();
    this.#iv.fill(0);
  }

  /** The sequence number as 8 big-endian bytes. */
  #seq(): Uint8Array {
    if (this.#disposed) throw internalError('Record: protection used after dispose');
    if (this.#spent) throw internalError('Record: sequence number would wrap (RFC 5246 §6.1)');
    const s = new Uint8Array(8);
    const v = new DataView(s.buffer);
    v.setUint32(0, this.#hi);
    v.setUint32(4, this.#lo);
    return s;
  }

  /** GCM: salt || explicit (RFC 5288 §3). ChaCha20: iv XOR (0^4 || seq) (RFC 7905 §2). */
  #nonce(eightBytes: Uint8Array): Uint8Array {
    if (this.#explicit) {
      const n = new Uint8Array(12);
      n.set(this.#iv);
      n.set(eightBytes, 4);
      return n;
    }
    const n = this.#iv.slice();
    for (let i = 0; i < 8; i++) n[4 + i] = (n[4 + i] as number) ^ (eightBytes[i] as number);
    return n;
  }

  #advance(): void {
    if (this.#lo === 0xffffffff) {
      if (this.#hi === 0xffffffff) {
        this.#spent = true;
        return;
      }
      this.#hi++;
      this.#lo = 0;
    } else {
      this.#lo++;
    }
  }

  /** For tests: start at a given 64-bit sequence number (hi, lo). */
  static withSequence(p: Tls12Protection, hi: number, lo: number): Tls12Protection {
    p.#hi = hi >>> 0;
    p.#lo = lo >>> 0;
    return p;
  }
}

/** RFC 5246 §6.2.3.3: seq_num || TLSCompressed.type || version || length. */
function additionalData(seq: Uint8Array, type: number, length: number): Uint8Array {
  const ad = new Uint8Array(13);
  ad.set(seq);
  ad[8] = type;
  ad[9] = 3;
  ad[10] = 3;
  ad[11] = length >>> 8;
  ad[12] = length & 0xff;
  return ad;
}
