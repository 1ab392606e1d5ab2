// EncryptedExtensions (RFC 8446 §4.3.1).

import { type EncryptedExtension, readExtensions, writeExtensions } from './extensions/index.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/** `struct { Extension extensions<0..2^16-1>; } EncryptedExtensions`. */
export interface EncryptedExtensions {
  type: 'encrypted_extensions';
  extensions: EncryptedExtension[];
}

/** Reads an EncryptedExtensions body. */
export function readEncryptedExtensions(r: Reader): EncryptedExtensions {
  const extensions = readExtensions(r, 'encrypted_extensions', 0, 0xffff);
  r.end();
  return { type: 'encrypted_extensions', extensions };
}

/** Writes an EncryptedExtensions body. */
export function writeEncryptedExtensions(w: Writer, m: EncryptedExtensions): void {
  writeExtensions(w, 'encrypted_extensions', m.extensions, 0, 0xffff);
}
