// Parser for Botan's .vec test-vector format: `[Section]` headers, `Key = value`
// lines, `#` comments. Hex values may contain spaces and upper case.
import { fromHex } from './hex.js';

/** Sections in file order, each a map of key to raw value. */
export type VecFile = Map<string, Map<string, string>>;

/** Parses the text of a .vec file. */
export function parseVec(text: string): VecFile {
  const out: VecFile = new Map();
  let section: Map<string, string> | undefined;
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = new Map();
      out.set(header[1] as string, section);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0 || section === undefined) throw new Error(`vec line ${i + 1}: cannot parse "${line}"`);
    section.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return out;
}

/** The value of `key` in `section` as bytes (whitespace removed). */
export function vecBytes(file: VecFile, section: string, key: string): Uint8Array {
  const v = file.get(section)?.get(key);
  if (v === undefined) throw new Error(`vec: no ${key} in [${section}]`);
  return fromHex(v.replace(/\s+/g, '').toLowerCase());
}

/** One TLSPlaintext/TLSCiphertext record split off a byte string (test-side, independent of src/record). */
export interface TestRecord {
  type: number;
  version: number;
  fragment: Uint8Array;
}

/** Splits back-to-back records; throws on a malformed trailing piece. */
export function splitRecords(bytes: Uint8Array): TestRecord[] {
  const out: TestRecord[] = [];
  let i = 0;
  while (i < bytes.length) {
    if (i + 5 > bytes.length) throw new Error('splitRecords: truncated header');
    const type = bytes[i] as number;
    const version = ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    const len = ((bytes[i + 3] as number) << 8) | (bytes[i + 4] as number);
    if (i + 5 + len > bytes.length) throw new Error('splitRecords: truncated fragment');
    out.push({ type, version, fragment: bytes.subarray(i + 5, i + 5 + len) });
    i += 5 + len;
  }
  return out;
}

/** Splits back-to-back handshake messages (header included in each). */
export function splitHandshakes(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let i = 0;
  while (i < bytes.length) {
    if (i + 4 > bytes.length) throw new Error('splitHandshakes: truncated header');
    const len = ((bytes[i + 1] as number) << 16) | ((bytes[i + 2] as number) << 8) | (bytes[i + 3] as number);
    if (i + 4 + len > bytes.length) throw new Error('splitHandshakes: truncated body');
    out.push(bytes.subarray(i, i + 4 + len));
    i += 4 + len;
  }
  return out;
}

/** Concatenates byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
