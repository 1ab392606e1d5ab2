// The wasm provider's key exchanges beyond x25519 and secp256r1: secp384r1
// (RFC 8446 §4.2.7, §7.4.2) and the post-quantum hybrids X25519MLKEM768
// and SecP256r1MLKEM768 of draft-ietf-tls-ecdhe-mlkem (§3, §4):
//
// | group             | client share          | server share          | shared secret        |
// |-------------------|-----------------------|-----------------------|----------------------|
// | X25519MLKEM768    | ek (1184) ‖ X25519 (32) | ct (1088) ‖ X25519 (32) | K (32) ‖ X25519 (32) |
// | SecP256r1MLKEM768 | P-256 (65) ‖ ek (1184)  | P-256 (65) ‖ ct (1088)  | ECDH (32) ‖ K (32)   |
//
// A hybrid is a KEM, not a Diffie-Hellman exchange: the server's share is an
// encapsulation to the client's key, so the server side is `encapsulate`
// (see KeyExchange in provider.ts), and the client side `sharedSecret`
// decapsulates. Lengths are checked by the engine (handshake/key-share.ts)
// before these run; the X25519 half refuses an all-zero result itself
// (InvalidKeyError, RFC 8446 §7.4.2), ML-KEM refuses an encapsulation key
// that fails the FIPS 203 §7.2 modulus check.

import { p256ScalarInRange } from '../bindings/p256.js';
import { mlkem768, p256, p384, shake256, x25519 } from './crypto.js';
import type { KeyExchange } from './provider.js';
import { NamedGroup } from './wire/constants.js';

const EK = 1184;
const CT = 1088;

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The P-384 ephemeral key pair of the secp384r1 group (97-byte uncompressed share). */
export function p384KeyExchange(secretKey?: Uint8Array): KeyExchange {
  let sk = secretKey?.slice() ?? p384.randomSecretKey();
  const publicKey = p384.getPublicKey(sk, false);
  return {
    group: NamedGroup.secp384r1,
    publicKey,
    sharedSecret: (peer) => p384.getSharedSecret(sk, peer),
    dispose: () => {
      sk.fill(0);
      sk = new Uint8Array(48);
    },
  };
}

/** The classical half of a hybrid: X25519 or P-256. */
interface Classical {
  publicKey(sk: Uint8Array): Uint8Array;
  shared(sk: Uint8Array, peer: Uint8Array): Uint8Array;
  secretKey(seed: Uint8Array): Uint8Array;
  length: number;
}

const X25519: Classical = {
  publicKey: (sk) => x25519.getPublicKey(sk),
  shared: (sk, peer) => x25519.getSharedSecret(sk, peer),
  secretKey: (seed) => seed.slice(0, 32),
  length: 32,
};

const P256: Classical = {
  publicKey: (sk) => p256.getPublicKey(sk, false),
  shared: (sk, peer) => p256.getSharedSecret(sk, peer),
  // A 32-byte string outside [1, n - 1] has probability about 2^-32; then the
  // scalar is drawn afresh (only the test hook's determinism is lost).
  secretKey: (seed) => {
    const sk = seed.slice(0, 32);
    return p256ScalarInRange(sk) ? sk : p256.randomSecretKey();
  },
  length: 65,
};

/**
 * One hybrid key pair. Its randomness is 128 bytes: ML-KEM's d ‖ z (64), the
 * classical secret (32), and the encapsulation message m (32, used on the
 * server side only). `secretKey`, the provider's test hook, seeds all of it
 * through SHAKE256 so that a fixed seed of any length replays a handshake.
 * The ML-KEM key pair is made on first use of `publicKey`: a server never
 * needs it.
 */
function hybrid(group: number, classical: Classical, kemFirst: boolean, secretKey?: Uint8Array): KeyExchange {
  const seed = secretKey === undefined ? globalThis.crypto.getRandomValues(new Uint8Array(128)) : shake256(secretKey, 128);
  const sk = classical.secretKey(seed.subarray(64, 96));
  let keys: { publicKey: Uint8Array; secretKey: Uint8Array } | undefined;
  let share: Uint8Array | undefined;
  const kemKeys = () => (keys ??= mlkem768.keygen(seed.subarray(0, 64)));
  const join = (kem: Uint8Array, ec: Uint8Array) => (kemFirst ? concat(kem, ec) : concat(ec, kem));
  const split = (peer: Uint8Array, kemLen: number) =>
    kemFirst
      ? { kem: peer.subarray(0, kemLen), ec: peer.subarray(kemLen) }
      : { kem: peer.subarray(classical.length), ec: peer.subarray(0, classical.length) };
  return {
    group,
    get publicKey(): Uint8Array {
      return (share ??= join(kemKeys().publicKey, classical.publicKey(sk)));
    },
    sharedSecret(peer: Uint8Array): Uint8Array {
      const { kem, ec } = split(peer, CT);
      return join(mlkem768.decapsulate(kem, kemKeys().secretKey), classical.shared(sk, ec));
    },
    encapsulate(peer: Uint8Array): { keyExchange: Uint8Array; sharedSecret: Uint8Array } {
      const { kem, ec } = split(peer, EK);
      const { ciphertext, sharedSecret } = mlkem768.encapsulate(kem, seed.subarray(96, 128));
      const ecShared = classical.shared(sk, ec);
      const out = { keyExchange: join(ciphertext, classical.publicKey(sk)), sharedSecret: join(sharedSecret, ecShared) };
      sharedSecret.fill(0);
      ecShared.fill(0);
      return out;
    },
    dispose(): void {
      seed.fill(0);
      sk.fill(0);
      keys?.secretKey.fill(0);
    },
  };
}

/** X25519MLKEM768 (0x11ec): ML-KEM-768 first, then X25519 (draft-ietf-tls-ecdhe-mlkem §3). */
export function x25519Mlkem768KeyExchange(secretKey?: Uint8Array): KeyExchange {
  return hybrid(NamedGroup.X25519MLKEM768, X25519, true, secretKey);
}

/** SecP256r1MLKEM768 (0x11eb): P-256 first, then ML-KEM-768 (draft-ietf-tls-ecdhe-mlkem §3). */
export function secp256r1Mlkem768KeyExchange(secretKey?: Uint8Array): KeyExchange {
  return hybrid(NamedGroup.SecP256r1MLKEM768, P256, false, secretKey);
}
