// Key shares (RFC 8446 §4.2.8): the format checks of §4.2.8.1-§4.2.8.2 and
// the shared secret with its all-zero check (§7.4.2), for any provider.

import { TlsError } from '../errors.js';
import type { KeyExchange } from '../provider.js';
import { NamedGroup, namedGroupName } from '../wire/constants.js';

/**
 * Checks a peer's key_exchange bytes for `group` before any arithmetic:
 * X25519 is exactly 32 bytes (§4.2.8.2, RFC 7748 §6.1); secp256r1 is an
 * uncompressed point, 0x04 || X || Y, 65 bytes (§4.2.8.2: "Other point
 * formats ... MUST NOT be used"). Anything else is illegal_parameter.
 */
export function checkKeyShareFormat(group: number, keyExchange: Uint8Array): void {
  if (group === NamedGroup.x25519) {
    if (keyExchange.length !== 32) throw new TlsError('illegal_parameter', `key_share: an x25519 key of ${keyExchange.length} bytes, expected 32 (RFC 8446 §4.2.8.2)`);
  } else if (group === NamedGroup.secp256r1) {
    if (keyExchange.length !== 65 || keyExchange[0] !== 4) {
      throw new TlsError(
        'illegal_parameter',
        `key_share: a secp256r1 key must be an uncompressed point (0x04, 65 bytes), got ${keyExchange.length} bytes starting 0x${(keyExchange[0] ?? 0).toString(16).padStart(2, '0')} (RFC 8446 §4.2.8.2)`,
      );
    }
  }
}

/**
 * The (EC)DHE shared secret with the peer's share. An invalid point is
 * illegal_parameter (§4.2.8.2); so is an all-zero X25519 result, which a
 * low-order point produces (§7.4.2: "MUST check whether the computed
 * Diffie-Hellman shared secret is the all-zero value and abort if so").
 */
export function computeSharedSecret(kx: KeyExchange, peerKey: Uint8Array): Uint8Array {
  checkKeyShareFormat(kx.group, peerKey);
  let shared: Uint8Array;
  try {
    shared = kx.sharedSecret(peerKey);
  } catch (cause) {
    if (cause instanceof TlsError) throw cause;
    throw new TlsError('illegal_parameter', `key_share: the peer's ${namedGroupName(kx.group)} key is invalid (RFC 8446 §4.2.8.2)`, { cause });
  }
  let any = 0;
  for (const b of shared) any |= b;
  if (any === 0) {
    throw new TlsError('illegal_parameter', `key_share: the ${namedGroupName(kx.group)} shared secret is all zeros, the peer sent a low-order point (RFC 8446 §7.4.2)`);
  }
  return shared;
}
