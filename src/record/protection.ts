// Record protection (RFC 8446 §5.2-§5.5): one direction's AEAD, per-record
// nonce, additional data, TLSInnerPlaintext, sequence number and usage limit.

import { internalError, TlsError } from '../errors.js';
import type { TrafficSecret } from '../keyschedule.js';
import type { AeadCipher, CryptoProvider } from '../provider.js';
import { CIPHER_SUITE_PARAMS, CipherSuite, ContentType, MAX_CIPHERTEXT_LENGTH } from '../wire/constants.js';
import { recordHeader } from './framer.js';
import { checkInnerPlaintext, decodeInnerPlaintext, encodeInnerPlaintext } from './inner-plaintext.js';

/** The authentication tag of every TLS 1.3 AEAD (RFC 5116 §5.1-5.2, RFC 8439 §2.8). */
export const AEAD_TAG_LENGTH = 16;

/**
 * Records one key may protect before a KeyUpdate (RFC 8446 §5.5): 2^24.5
 * full-size records for AES-GCM, which keeps the attacker's advantage under
 * 2^-57 (RFC 8446 §5.5, citing [AEAD-LIMITS]). ChaCha20-Poly1305 has no
 * practical limit: the sequence number would wrap first (§5.5), so it gets
 * 2^53 - 1, the largest count a JS number holds exactly.
 * @example defaultRecordLimit(CipherSuite.TLS_AES_128_GCM_SHA256) // 23726566
 */
export function defaultRecordLimit(cipherSuite: number): number {
  return cipherSuite === CipherSuite.TLS_CHACHA20_POLY1305_SHA256 ? Number.MAX_SAFE_INTEGER : AES_GCM_RECORD_LIMIT;
}

/** floor(2^24.5). */
const AES_GCM_RECORD_LIMIT = 23726566;

/**
 * The protection of one direction for a traffic secret (RFC 8446 §7.3): the
 * key and IV derived, the AEAD keyed by the provider, the derived bytes
 * wiped. `limit` overrides the suite's record limit (§5.5).
 * @example const w = protectionFor(provider, suite, clientHandshakeTrafficSecret, undefined);
 */
export function protectionFor(provider: CryptoProvider, suite: number, secret: TrafficSecret, limit: number | undefined): RecordProtection {
  const params = CIPHER_SUITE_PARAMS[suite];
  if (params === undefined) throw internalError(`no record parameters for suite 0x${suite.toString(16)}`);
  const keys = secret.keys(params.keyLength, params.ivLength);
  let aead: AeadCipher;
  try {
    aead = provider.aead(suite, keys.key);
  } finally {
    keys.key.fill(0);
  }
  const p = new RecordProtection(aead, keys.iv, limit ?? defaultRecordLimit(suite));
  keys.iv.fill(0);
  return p;
}

/**
 * One direction's protection state. The sequence number starts at 0 for
 * every new key (§5.3) and counts records as a 64-bit integer held in two
 * u32 halves; it never wraps (§5.3: rekey or terminate instead).
 *
 * @example
 * const w = new RecordProtection(provider.aead(suite, keys.key), keys.iv);
 * out.push(w.seal(ContentType.handshake, finishedBytes));
 * const r = new RecordProtection(provider.aead(suite, peerKeys.key), peerKeys.iv);
 * const { type, content } = r.open(record.header, record.fragment);
 */
export class RecordProtection {
  readonly #aead: AeadCipher;
  readonly #iv: Uint8Array;
  readonly #limit: number;
  #hi = 0;
  #lo = 0;
  #disposed = false;
  /** Set once sequence number 2^64 - 1 has been used: this key can protect nothing more. */
  #spent = false;

  /**
   * @param aead keyed AEAD, owned from now on (disposed by {@link RecordProtection.dispose})
   * @param iv the 12-byte write_iv of RFC 8446 §7.3 (copied)
   * @param limit records after which {@link RecordProtection.exhausted} turns true (§5.5)
   */
  constructor(aead: AeadCipher, iv: Uint8Array, limit = AES_GCM_RECORD_LIMIT) {
    if (iv.length !== 12) throw internalError(`RecordProtection: iv of ${iv.length} bytes, expected 12`);
    if (!Number.isInteger(limit) || limit < 1) throw internalError(`RecordProtection: record limit must be a positive integer, got ${limit}`);
    this.#aead = aead;
    this.#iv = iv.slice();
    this.#limit = limit;
  }

  /** Records protected (or opened) with this key so far. */
  get sequence(): number {
    return this.#hi * 0x100000000 + this.#lo;
  }

  /** True once the §5.5 limit is reached: the sender must KeyUpdate before the next record. */
  get exhausted(): boolean {
    return this.#spent || this.sequence >= this.#limit;
  }

  /**
   * Protects one record: `TLSInnerPlaintext = content || type || zeros`,
   * sealed with `additional_data` = the record header (§5.2) under
   * `nonce = iv xor seq` (§5.3). Returns the whole record, header included.
   */
  seal(type: number, content: Uint8Array, padding = 0): Uint8Array {
    const sealRecord = this.#aead.sealRecord;
    if (padding === 0 && sealRecord !== undefined) {
      // The AEAD's fast path: one allocation instead of three (measured in
      // the commit that added it).
      checkInnerPlaintext(content.length, type);
      const length = content.length + 1 + AEAD_TAG_LENGTH;
      if (length > MAX_CIPHERTEXT_LENGTH) throw internalError(`Record: ${length} protected bytes exceed 2^14 + 256`);
      const header = recordHeader(ContentType.application_data, 0x0303, length);
      const out = sealRecord.call(this.#aead, this.#nonce(), header, content, type);
      this.#advance();
      if (out.length !== header.length + length) throw internalError(`AEAD returned ${out.length} bytes, expected ${header.length + length}`);
      return out;
    }
    const inner = encodeInnerPlaintext(content, type, padding);
    const length = inner.length + AEAD_TAG_LENGTH;
    if (length > MAX_CIPHERTEXT_LENGTH) throw internalError(`Record: ${length} protected bytes exceed 2^14 + 256`);
    const header = recordHeader(ContentType.application_data, 0x0303, length);
    const sealed = this.#aead.seal(this.#nonce(), inner, header);
    inner.fill(0);
    this.#advance();
    if (sealed.length !== length) throw internalError(`AEAD returned ${sealed.length} bytes, expected ${length}`);
    const out = new Uint8Array(header.length + sealed.length);
    out.set(header);
    out.set(sealed, header.length);
    return out;
  }

  /**
   * Opens one protected record (§5.2): a tag that does not verify is
   * `bad_record_mac`; an inner plaintext over 2^14 + 1 bytes is
   * `record_overflow`; one with no non-zero type byte `unexpected_message`
   * (§5.4).
   * @param header the 5-byte record header (the additional data)
   * @param fragment encrypted_record
   */
  open(header: Uint8Array, fragment: Uint8Array): { type: number; content: Uint8Array } {
    if (fragment.length <= AEAD_TAG_LENGTH) {
      throw new TlsError('bad_record_mac', `Record: protected record of ${fragment.length} bytes is too short for a ${AEAD_TAG_LENGTH}-byte tag and a content type (RFC 8446 §5.2)`);
    }
    let plaintext: Uint8Array;
    try {
      plaintext = this.#aead.open(this.#nonce(), fragment, header);
    } catch (cause) {
      throw new TlsError('bad_record_mac', `Record: record ${this.sequence} does not authenticate (RFC 8446 §5.2)`, { cause });
    }
    this.#advance();
    return decodeInnerPlaintext(plaintext);
  }

  /** Wipes the key and IV. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#aead.dispose();
    this.#iv.fill(0);
  }

  /** §5.3: the 64-bit sequence number, big-endian, left-padded to 12 bytes, XORed with the IV. */
  #nonce(): Uint8Array {
    if (this.#disposed) throw internalError('Record: protection used after dispose');
    // §5.3: a sequence number must never wrap; after 2^64 - 1 the key is done.
    if (this.#spent) throw internalError('Record: sequence number would wrap (RFC 8446 §5.3)');
    const n = this.#iv.slice();
    const hi = this.#hi;
    const lo = this.#lo;
    n[4] = (n[4] as number) ^ (hi >>> 24);
    n[5] = (n[5] as number) ^ ((hi >>> 16) & 0xff);
    n[6] = (n[6] as number) ^ ((hi >>> 8) & 0xff);
    n[7] = (n[7] as number) ^ (hi & 0xff);
    n[8] = (n[8] as number) ^ (lo >>> 24);
    n[9] = (n[9] as number) ^ ((lo >>> 16) & 0xff);
    n[10] = (n[10] as number) ^ ((lo >>> 8) & 0xff);
    n[11] = (n[11] as number) ^ (lo & 0xff);
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
  static withSequence(p: RecordProtection, hi: number, lo: number): RecordProtection {
    p.#hi = hi >>> 0;
    p.#lo = lo >>> 0;
    return p;
  }
}
