/**
 * PEM, the textual encoding of RFC 7468: `-----BEGIN LABEL-----`, base64
 * (RFC 4648 §4) of the DER, `-----END LABEL-----`. Decoding accepts several
 * blocks and explanatory text between them (§5.2), whitespace inside the
 * base64 (§3's lax reading), and refuses everything else: characters outside
 * the base64 alphabet, misplaced or missing padding, non-zero padding bits
 * (RFC 4648 §3.5), mismatched labels and RFC 1421 headers.
 * @module
 */

/** Malformed PEM text. */
export class PemError extends Error {
  constructor(message: string) {
    super(`PEM: ${message}`);
    this.name = 'PemError';
  }
}

/** One decoded block. */
export interface PemBlock {
  /** The label, e.g. `CERTIFICATE` or `PRIVATE KEY`. */
  readonly label: string;
  /** The decoded DER bytes. */
  readonly der: Uint8Array;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/**
 * Strict base64 (RFC 4648 §4): padded, canonical, no whitespace.
 *
 * @example
 * ```ts
 * base64Decode('Zm9v'); // bytes of 'foo'
 * ```
 */
export function base64Decode(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new PemError(`base64 length ${text.length} is not a multiple of 4`);
  let pad = 0;
  if (text.endsWith('==')) pad = 2;
  else if (text.endsWith('=')) pad = 1;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const q: number[] = [];
    for (let j = 0; j < 4; j++) {
      const c = text.charCodeAt(i + j);
      const v = c < 128 ? (DECODE[c] as number) : -1;
      if (v < 0) {
        if (c === 0x3d && last && j >= 4 - pad) {
          q.push(0);
          continue;
        }
        throw new PemError(`invalid base64 character ${JSON.stringify(text[i + j])} at ${i + j}`);
      }
      q.push(v);
    }
    const n = ((q[0] as number) << 18) | ((q[1] as number) << 12) | ((q[2] as number) << 6) | (q[3] as number);
    // RFC 4648 §3.5: the bits that padding leaves over must be zero.
    if (last && ((pad === 1 && (n & 0xff) !== 0) || (pad === 2 && (n & 0xffff) !== 0))) {
      throw new PemError('non-canonical base64 (padding bits are not zero)');
    }
    out[o++] = n >>> 16;
    if (o < out.length) out[o++] = (n >>> 8) & 0xff;
    if (o < out.length) out[o++] = n & 0xff;
  }
  return out;
}

/**
 * Base64 (RFC 4648 §4) with padding.
 *
 * @example
 * ```ts
 * base64Encode(new TextEncoder().encode('foo')); // 'Zm9v'
 * ```
 */
export function base64Encode(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const rest = bytes.length - i;
    const n = ((bytes[i] as number) << 16) | ((rest > 1 ? (bytes[i + 1] as number) : 0) << 8) | (rest > 2 ? (bytes[i + 2] as number) : 0);
    s += ALPHABET[(n >>> 18) & 63];
    s += ALPHABET[(n >>> 12) & 63];
    s += rest > 1 ? ALPHABET[(n >>> 6) & 63] : '=';
    s += rest > 2 ? ALPHABET[n & 63] : '=';
  }
  return s;
}

// RFC 7468 §3: label = [ labelchar *( ["-" / SP] labelchar ) ], labelchar = %x21-2C / %x2E-7E.
const LABEL = /^(?:[\x21-\x2c\x2e-\x7e](?:[- ]?[\x21-\x2c\x2e-\x7e])*)?$/;
const BEGIN = /^-----BEGIN (.*)-----[ \t]*$/;
const END = /^-----END (.*)-----[ \t]*$/;

/**
 * Decodes every PEM block in `text`, in order. Text outside blocks is
 * ignored (RFC 7468 §5.2). Throws {@link PemError} if there is no block or a
 * block is malformed.
 *
 * @example
 * ```ts
 * const [block] = decodePem(pemText);
 * if (block?.label === 'CERTIFICATE') parseCertificate(block.der);
 * ```
 */
export function decodePem(text: string): PemBlock[] {
  if (typeof text !== 'string') throw new TypeError('text must be a string');
  const lines = text.split(/\r\n|\r|\n/);
  const blocks: PemBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const begin = BEGIN.exec(lines[i] as string);
    if (begin === null) continue;
    const label = begin[1] as string;
    if (!LABEL.test(label)) throw new PemError(`invalid label ${JSON.stringify(label)} on line ${i + 1}`);
    let body = '';
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j] as string;
      const end = END.exec(line);
      if (end !== null) {
        if (end[1] !== label) throw new PemError(`BEGIN ${label} closed by END ${end[1]} on line ${j + 1}`);
        break;
      }
      if (line.startsWith('-----')) throw new PemError(`unexpected ${JSON.stringify(line)} inside ${label} on line ${j + 1}`);
      if (line.includes(':')) {
        throw new PemError(
          `${label} block has RFC 1421 headers on line ${j + 1} (an encrypted legacy key?); ` +
            'convert it to unencrypted PKCS#8 first, e.g. `openssl pkcs8 -topk8 -nocrypt -in key.pem`',
        );
      }
      body += line.replace(/[ \t]/g, '');
    }
    if (j === lines.length) throw new PemError(`BEGIN ${label} on line ${i + 1} has no END line`);
    if (body.length === 0) throw new PemError(`empty ${label} block on line ${i + 1}`);
    blocks.push({ label, der: base64Decode(body) });
    i = j;
  }
  if (blocks.length === 0) throw new PemError('no "-----BEGIN ...-----" block found');
  return blocks;
}

/**
 * Encodes `der` as one PEM block with 64-character lines and LF line ends
 * (RFC 7468 §3, the strict form).
 *
 * @example
 * ```ts
 * const text = encodePem('CERTIFICATE', der);
 * ```
 */
export function encodePem(label: string, der: Uint8Array): string {
  if (!LABEL.test(label) || label.length === 0) throw new RangeError(`invalid PEM label ${JSON.stringify(label)}`);
  if (!(der instanceof Uint8Array)) throw new TypeError('der must be a Uint8Array');
  const b64 = base64Encode(der);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
