// The TLS 1.2 handshake messages that TLS 1.3 does not have, for ECDHE
// suites only (RFC 5246 §7.4, RFC 8422 §5.4, §5.7):
//
//   HelloRequest        struct { } HelloRequest;                       (RFC 5246 §7.4.1.1)
//   ServerKeyExchange   ECParameters curve_params; ECPoint public;     (RFC 8422 §5.4)
//                       SignatureAndHashAlgorithm algorithm; opaque signature<0..2^16-1>;
//   ServerHelloDone     struct { } ServerHelloDone;                    (RFC 5246 §7.4.5)
//   ClientKeyExchange   ECPoint ecdh_Yc;  (opaque point <1..2^8-1>)    (RFC 8422 §5.7)
//
// TLS 1.2 Finished is the TLS 1.3 Finished with 12 bytes of verify_data
// (src/wire/finished.ts). Only the named_curve form of ECParameters exists
// (RFC 8422 §5.4: explicit_prime and explicit_char2 are deprecated).

import { decodeError, illegalParameter } from '../errors.js';
import type { NewSessionTicket } from './new-session-ticket.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/** RFC 5246 §7.4.1.1. */
export interface HelloRequest {
  type: 'hello_request';
}

/** RFC 5246 §7.4.5. */
export interface ServerHelloDone {
  type: 'server_hello_done';
}

/** ECCurveType named_curve (RFC 8422 §5.4). */
export const EC_CURVE_TYPE_NAMED_CURVE = 3;

/**
 * ServerKeyExchange for ECDHE_ECDSA and ECDHE_RSA (RFC 8422 §5.4) with the
 * TLS 1.2 `DigitallySigned` of RFC 5246 §4.7.
 */
export interface ServerKeyExchange {
  type: 'server_key_exchange';
  /** NamedCurve (the TLS 1.3 NamedGroup code). */
  namedCurve: number;
  /** ECPoint.point: 32 bytes for x25519, an uncompressed point for the NIST curves. */
  publicKey: Uint8Array;
  /** SignatureAndHashAlgorithm, as a SignatureScheme code (RFC 8446 §4.2.3 keeps the values). */
  scheme: number;
  signature: Uint8Array;
}

/** ClientKeyExchange for ECDHE suites (RFC 8422 §5.7): the client's ephemeral public key. */
export interface ClientKeyExchange {
  type: 'client_key_exchange';
  publicKey: Uint8Array;
}

/** Reads a ServerKeyExchange body. Any curve type but named_curve is illegal_parameter (RFC 8422 §5.4). */
export function readServerKeyExchange(r: Reader): ServerKeyExchange {
  const curveType = r.u8('curve_params.curve_type');
  if (curveType !== EC_CURVE_TYPE_NAMED_CURVE) {
    throw illegalParameter(`${r.context}: curve_type ${curveType}; only named_curve (3) is allowed (RFC 8422 §5.4)`);
  }
  const namedCurve = r.u16('curve_params.namedcurve');
  const publicKey = r.opaque8('public.point', 1, 255);
  const scheme = r.u16('signed_params.algorithm');
  const signature = r.opaque16('signed_params.signature', 0, 0xffff);
  r.end();
  return { type: 'server_key_exchange', namedCurve, publicKey, scheme, signature };
}

/** Writes a ServerKeyExchange body. */
export function writeServerKeyExchange(w: Writer, m: ServerKeyExchange): void {
  w.bytes(serverEcdhParams(m.namedCurve, m.publicKey), 'params');
  w.u16(m.scheme, 'signed_params.algorithm');
  w.opaque16('signed_params.signature', m.signature, 0, 0xffff);
}

/**
 * The ServerECDHParams bytes (curve_type, namedcurve, point), the part of
 * ServerKeyExchange the signature covers after the two randoms (RFC 8422 §5.4).
 */
export function serverEcdhParams(namedCurve: number, publicKey: Uint8Array): Uint8Array {
  if (publicKey.length < 1 || publicKey.length > 255) throw decodeError(`ServerECDHParams: a ${publicKey.length}-byte point does not fit ECPoint <1..2^8-1>`);
  const out = new Uint8Array(4 + publicKey.length);
  out[0] = EC_CURVE_TYPE_NAMED_CURVE;
  out[1] = namedCurve >>> 8;
  out[2] = namedCurve & 0xff;
  out[3] = publicKey.length;
  out.set(publicKey, 4);
  return out;
}

/** Reads a ClientKeyExchange body (RFC 8422 §5.7: explicit form only, `ECPoint ecdh_Yc`). */
export function readClientKeyExchange(r: Reader): ClientKeyExchange {
  const publicKey = r.opaque8('exchange_keys.ecdh_Yc', 1, 255);
  r.end();
  return { type: 'client_key_exchange', publicKey };
}

/** Writes a ClientKeyExchange body. */
export function writeClientKeyExchange(w: Writer, m: ClientKeyExchange): void {
  w.opaque8('exchange_keys.ecdh_Yc', m.publicKey, 1, 255);
}

/**
 * Reads a TLS 1.2 NewSessionTicket body (RFC 5077 §3.3):
 * `uint32 ticket_lifetime_hint; opaque ticket<0..2^16-1>;`, as the TLS 1.3
 * struct with no age_add, nonce or extensions.
 */
export function readNewSessionTicket12(r: Reader): NewSessionTicket {
  const ticketLifetime = r.u32('ticket_lifetime_hint');
  const ticket = r.opaque16('ticket', 0, 0xffff);
  r.end();
  return { type: 'new_session_ticket', ticketLifetime, ticketAgeAdd: 0, ticketNonce: new Uint8Array(0), ticket, extensions: [] };
}
