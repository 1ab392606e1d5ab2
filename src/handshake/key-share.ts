// Key shares (RFC 8446 §4.2.8): the format checks of §4.2.8.1-§4.2.8.2 and
// draft-ietf-tls-ecdhe-mlkem §4, the shared secret with its all-zero check
// (§7.4.2), the server side of a KEM group, and which groups the client
// sends shares for; for any provider.

import { TlsError } from '../errors.js';
import type { KeyExchange } from '../provider.js';
import { NamedGroup, namedGroupName } from '../wire/constants.js';

/** Who sent a key_exchange: a hybrid's client and server shares differ in length. */
export type ShareSender = 'client' | 'server';

/**
 * key_exchange lengths per group and sender, and whether the bytes at `point`
 * must be 0x04 (an uncompressed point: §4.2.8.2 "Other point formats ...
 * MUST NOT be used"). Hybrids: draft-ietf-tls-ecdhe-mlkem §3 (ML-KEM-768
 * encapsulation key 1184, ciphertext 1088 bytes).
 */
const SHARE_FORMAT: ReadonlyMap<number, { client: number; server: number; point?: number; what: string }> = new Map([
  [NamedGroup.x25519, { client: 32, server: 32, what: 'an x25519 key (RFC 8446 §4.2.8.2, RFC 7748 §6.1)' }],
  [NamedGroup.secp256r1, { client: 65, server: 65, point: 0, what: 'an uncompressed secp256r1 point (RFC 8446 §4.2.8.2)' }],
  [NamedGroup.secp384r1, { client: 97, server: 97, point: 0, what: 'an uncompressed secp384r1 point (RFC 8446 §4.2.8.2)' }],
  [NamedGroup.X25519MLKEM768, { client: 1216, server: 1120, what: 'ML-KEM-768 then X25519 (draft-ietf-tls-ecdhe-mlkem §3)' }],
  [NamedGroup.SecP256r1MLKEM768, { client: 1249, server: 1153, point: 0, what: 'an uncompressed P-256 point then ML-KEM-768 (draft-ietf-tls-ecdhe-mlkem §3)' }],
]);

/** Groups whose key exchange includes ML-KEM (post-quantum hybrids). */
export function isHybridGroup(group: number): boolean {
  return group === NamedGroup.X25519MLKEM768 || group === NamedGroup.SecP256r1MLKEM768;
}

/** What a client offers by default, as Chrome and Firefox do (draft-ietf-tls-ecdhe-mlkem §1). */
const CLIENT_DEFAULT: readonly number[] = [NamedGroup.X25519MLKEM768, NamedGroup.x25519, NamedGroup.secp256r1];

/**
 * A client's default `groups`: the provider's groups among X25519MLKEM768,
 * x25519 and secp256r1, in the provider's order (the others, secp384r1 and
 * SecP256r1MLKEM768, only when asked for: each would lengthen the
 * ClientHello), or all of the provider's when it has none of those.
 */
export function defaultClientGroups(providerGroups: readonly number[]): number[] {
  const offered = providerGroups.filter((g) => CLIENT_DEFAULT.includes(g));
  return offered.length > 0 ? offered : [...providerGroups];
}

/**
 * The groups the first ClientHello carries key shares for, out of the
 * configured `groups` (in preference order): the first, and when that is a
 * post-quantum hybrid also the first classical group after it, as Chrome
 * and Firefox do, so that a server without ML-KEM can answer without a
 * HelloRetryRequest. RFC 8446 §4.2.8 lets a client send shares for any
 * subset of supported_groups, in the same order.
 */
export function initialShareGroups(groups: readonly number[]): number[] {
  const first = groups[0];
  if (first === undefined) return [];
  if (!isHybridGroup(first)) return [first];
  const classical = groups.find((g) => !isHybridGroup(g));
  return classical === undefined ? [first] : [first, classical];
}

/**
 * Checks a peer's key_exchange bytes for `group` before any arithmetic:
 * the exact length for the group and sender, and the uncompressed-point
 * prefix for the NIST curves. Anything else is illegal_parameter.
 */
export function checkKeyShareFormat(group: number, keyExchange: Uint8Array, sender: ShareSender): void {
  const f = SHARE_FORMAT.get(group);
  if (f === undefined) return;
  const want = f[sender];
  if (keyExchange.length !== want || (f.point !== undefined && keyExchange[f.point] !== 4)) {
    throw new TlsError(
      'illegal_parameter',
      `key_share: the ${sender}'s ${namedGroupName(group)} share must be ${want} bytes, ${f.what}; got ${keyExchange.length} bytes starting 0x${(keyExchange[0] ?? 0).toString(16).padStart(2, '0')}`,
    );
  }
}

function invalid(group: number, cause: unknown): TlsError {
  if (cause instanceof TlsError) return cause;
  return new TlsError('illegal_parameter', `key_share: the peer's ${namedGroupName(group)} key is invalid (RFC 8446 §4.2.8.2)`, { cause });
}

/** §7.4.2: "MUST check whether the computed Diffie-Hellman shared secret is the all-zero value and abort if so". */
function checkNonZero(group: number, shared: Uint8Array): Uint8Array {
  let any = 0;
  for (const b of shared) any |= b;
  if (any === 0) {
    throw new TlsError('illegal_parameter', `key_share: the ${namedGroupName(group)} shared secret is all zeros, the peer sent a low-order point (RFC 8446 §7.4.2)`);
  }
  return shared;
}

/**
 * The client's shared secret from the server's share. An invalid point or
 * ciphertext part is illegal_parameter (§4.2.8.2); so is an all-zero X25519
 * result, which a low-order point produces (the provider throws for the
 * X25519 half of a hybrid, the check here covers plain groups).
 */
export function computeSharedSecret(kx: KeyExchange, peerKey: Uint8Array): Uint8Array {
  checkKeyShareFormat(kx.group, peerKey, 'server');
  let shared: Uint8Array;
  try {
    shared = kx.sharedSecret(peerKey);
  } catch (cause) {
    throw invalid(kx.group, cause);
  }
  return checkNonZero(kx.group, shared);
}

/**
 * The server's side of the client's share: the key_exchange to send in
 * ServerHello and the shared secret. For a KEM group the provider
 * encapsulates (draft-ietf-tls-ecdhe-mlkem §3: an encapsulation key that
 * fails the FIPS 203 modulus check is illegal_parameter); for a
 * Diffie-Hellman group it is `publicKey` and `sharedSecret`.
 */
export function acceptKeyShare(kx: KeyExchange, clientShare: Uint8Array): { keyExchange: Uint8Array; sharedSecret: Uint8Array } {
  checkKeyShareFormat(kx.group, clientShare, 'client');
  if (isHybridGroup(kx.group) && kx.encapsulate === undefined) {
    throw new TlsError('internal_error', `the provider's ${namedGroupName(kx.group)} key exchange has no encapsulate()`);
  }
  let out: { keyExchange: Uint8Array; sharedSecret: Uint8Array };
  try {
    out = kx.encapsulate !== undefined ? kx.encapsulate(clientShare) : { keyExchange: kx.publicKey, sharedSecret: kx.sharedSecret(clientShare) };
  } catch (cause) {
    throw invalid(kx.group, cause);
  }
  checkNonZero(kx.group, out.sharedSecret);
  return out;
}
