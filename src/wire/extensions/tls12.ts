// TLS 1.2 hello extensions, kept as RawExtension in the message structs
// (the TLS 1.3 tables do not list them) and read and written here:
//
//   renegotiation_info      opaque renegotiated_connection<0..255>;   (RFC 5746 §3.2)
//   extended_master_secret  empty                                     (RFC 7627 §5.1)
//   ec_point_formats        ECPointFormat ec_point_format_list<1..2^8-1>;  (RFC 8422 §5.1.2)
//
// wasmtls never renegotiates, so renegotiated_connection is always empty on
// the initial handshake, which is the only one it does (RFC 5746 §3.4, §3.6).

import { decodeError, illegalParameter } from '../../errors.js';
import { ExtensionType } from '../constants.js';
import { Reader } from '../reader.js';
import type { RawExtension } from './index.js';

/** ECPointFormat uncompressed (RFC 8422 §5.1.2), the only one left. */
export const EC_POINT_FORMAT_UNCOMPRESSED = 0;

/** renegotiation_info with an empty renegotiated_connection, for an initial handshake (RFC 5746 §3.4, §3.6). */
export function renegotiationInfo(): RawExtension {
  return { type: 'raw', code: ExtensionType.renegotiation_info, data: Uint8Array.of(0) };
}

/** extended_master_secret (RFC 7627 §5.1): no body. */
export function extendedMasterSecretExtension(): RawExtension {
  return { type: 'raw', code: ExtensionType.extended_master_secret, data: new Uint8Array(0) };
}

/** ec_point_formats listing uncompressed only (RFC 8422 §5.1.2). */
export function ecPointFormats(): RawExtension {
  return { type: 'raw', code: ExtensionType.ec_point_formats, data: Uint8Array.of(1, EC_POINT_FORMAT_UNCOMPRESSED) };
}

function rawOf(list: readonly { type: string }[], code: number): Uint8Array | undefined {
  for (const e of list) if (e.type === 'raw' && (e as RawExtension).code === code) return (e as RawExtension).data;
  return undefined;
}

/**
 * renegotiated_connection of a renegotiation_info extension, or undefined
 * when absent. decode_error for a malformed body.
 */
export function readRenegotiationInfo(list: readonly { type: string }[], where: string): Uint8Array | undefined {
  const data = rawOf(list, ExtensionType.renegotiation_info);
  if (data === undefined) return undefined;
  const r = new Reader(data, `${where}.renegotiation_info`);
  const v = r.opaque8('renegotiated_connection', 0, 255);
  r.end();
  return v;
}

/** True when extended_master_secret is present; a non-empty body is decode_error (RFC 7627 §5.1). */
export function hasExtendedMasterSecret(list: readonly { type: string }[], where: string): boolean {
  const data = rawOf(list, ExtensionType.extended_master_secret);
  if (data === undefined) return false;
  if (data.length !== 0) throw decodeError(`${where}: extended_master_secret has a ${data.length}-byte body; it must be empty (RFC 7627 §5.1)`);
  return true;
}

/**
 * Checks an ec_point_formats extension, if present: it must list
 * uncompressed (RFC 8422 §5.1.2: otherwise illegal_parameter).
 */
export function checkEcPointFormats(list: readonly { type: string }[], where: string): void {
  const data = rawOf(list, ExtensionType.ec_point_formats);
  if (data === undefined) return;
  const r = new Reader(data, `${where}.ec_point_formats`);
  const formats = r.u8List('ec_point_format_list', 1, 255);
  r.end();
  if (!formats.includes(EC_POINT_FORMAT_UNCOMPRESSED)) {
    throw illegalParameter(`${where}: ec_point_formats lacks uncompressed (0) (RFC 8422 §5.1.2)`);
  }
}

/** The raw body of an extension by code, or undefined. */
export function rawExtension(list: readonly { type: string }[], code: number): Uint8Array | undefined {
  return rawOf(list, code);
}
