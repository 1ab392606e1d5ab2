// application_layer_protocol_negotiation (RFC 7301 §3.1): a list in
// ClientHello, exactly one protocol in EncryptedExtensions.

import { decodeError, internalError } from '../../errors.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';

/** ClientHello form: `ProtocolName protocol_name_list<2..2^16-1>`, `opaque ProtocolName<1..2^8-1>`. */
export interface AlpnClientHello {
  type: 'application_layer_protocol_negotiation';
  protocols: Uint8Array[];
}

/** EncryptedExtensions form: the same list holding exactly one name (RFC 7301 §3.1). */
export interface AlpnEncryptedExtensions {
  type: 'application_layer_protocol_negotiation';
  protocol: Uint8Array;
}

function readList(r: Reader): Uint8Array[] {
  const list = r.vec16('protocol_name_list', 2, 0xffff);
  const out: Uint8Array[] = [];
  while (!list.isEmpty) out.push(list.opaque8('ProtocolName', 1, 255));
  return out;
}

function writeList(w: Writer, protocols: readonly Uint8Array[]): void {
  w.vec16('protocol_name_list', 2, 0xffff, () => {
    for (const p of protocols) w.opaque8('ProtocolName', p, 1, 255);
  });
}

/** Reads the ClientHello form. */
export function readAlpnClientHello(r: Reader): AlpnClientHello {
  return { type: 'application_layer_protocol_negotiation', protocols: readList(r) };
}

/** Writes the ClientHello form. */
export function writeAlpnClientHello(w: Writer, e: AlpnClientHello): void {
  writeList(w, e.protocols);
}

/** Reads the EncryptedExtensions form; a list of other than one name is decode_error. */
export function readAlpnEncryptedExtensions(r: Reader): AlpnEncryptedExtensions {
  const list = readList(r);
  const [protocol] = list;
  if (list.length !== 1 || protocol === undefined) {
    throw decodeError(`${r.context}: the server's protocol_name_list must hold exactly one name, got ${list.length}`);
  }
  return { type: 'application_layer_protocol_negotiation', protocol };
}

/** Writes the EncryptedExtensions form. */
export function writeAlpnEncryptedExtensions(w: Writer, e: AlpnEncryptedExtensions): void {
  if (e.protocol.length === 0) throw internalError(`${w.context}: ALPN protocol must not be empty`);
  writeList(w, [e.protocol]);
}
