// post_handshake_auth (RFC 8446 §4.2.6): ClientHello only, empty.

import { decodeError } from '../../errors.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';

/** The client will answer a post-handshake CertificateRequest; `extension_data` is empty. */
export interface PostHandshakeAuth {
  type: 'post_handshake_auth';
}

/** Reads post_handshake_auth (must be empty). */
export function readPostHandshakeAuth(r: Reader): PostHandshakeAuth {
  if (!r.isEmpty) throw decodeError(`${r.context}: must be empty, got ${r.remaining} bytes`);
  return { type: 'post_handshake_auth' };
}

/** Writes post_handshake_auth (nothing). */
export function writePostHandshakeAuth(_w: Writer, _e: PostHandshakeAuth): void {}
