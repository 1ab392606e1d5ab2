// server_name (RFC 6066 §3; RFC 8446 §4.2 lists it for ClientHello and EncryptedExtensions).

import { decodeError, illegalParameter } from '../../errors.js';
import { NameType } from '../constants.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';

/** One entry of ServerNameList (RFC 6066 §3). */
export interface ServerName {
  /** `NameType.host_name` (0) is the only type defined. */
  nameType: number;
  /** For host_name: the ASCII DNS name, without a trailing dot. */
  name: Uint8Array;
}

/** server_name in a ClientHello: `ServerName server_name_list<1..2^16-1>`. */
export interface ServerNameClientHello {
  type: 'server_name';
  serverNames: ServerName[];
}

/** server_name in EncryptedExtensions: empty extension_data (RFC 6066 §3). */
export interface ServerNameAck {
  type: 'server_name';
}

/** Reads the ClientHello form. */
export function readServerNameClientHello(r: Reader): ServerNameClientHello {
  const list = r.vec16('server_name_list', 1, 0xffff);
  const serverNames: ServerName[] = [];
  const seen = new Set<number>();
  while (!list.isEmpty) {
    const nameType = list.u8('name_type');
    // RFC 6066 §3: future NameTypes must also start with a 16-bit length, so
    // every entry is parsed as opaque<1..2^16-1>.
    const name = list.opaque16('host_name', 1, 0xffff);
    // RFC 6066 §3: "MUST NOT contain more than one name of the same name_type".
    if (seen.has(nameType)) throw illegalParameter(`${r.context}: more than one name of name_type ${nameType}`);
    seen.add(nameType);
    serverNames.push({ nameType, name });
  }
  return { type: 'server_name', serverNames };
}

/** Writes the ClientHello form. */
export function writeServerNameClientHello(w: Writer, e: ServerNameClientHello): void {
  w.vec16('server_name_list', 1, 0xffff, () => {
    for (const s of e.serverNames) {
      w.u8(s.nameType, 'name_type');
      w.opaque16('host_name', s.name, 1, 0xffff);
    }
  });
}

/** Reads the EncryptedExtensions form (must be empty). */
export function readServerNameAck(r: Reader): ServerNameAck {
  if (!r.isEmpty) throw decodeError(`${r.context}: must be empty in a server's response, got ${r.remaining} bytes`);
  return { type: 'server_name' };
}

/** Writes the EncryptedExtensions form (nothing). */
export function writeServerNameAck(_w: Writer, _e: ServerNameAck): void {}

/**
 * The host_name of a ClientHello server_name list as a string, or undefined
 * when there is none. Throws illegal_parameter for bytes outside printable
 * ASCII (RFC 6066 §3: HostName is an ASCII DNS name; RFC 5890 A-labels for IDNs).
 * @example hostName(ext.serverNames) // 'example.com'
 */
export function hostName(serverNames: readonly ServerName[]): string | undefined {
  const entry = serverNames.find((s) => s.nameType === NameType.host_name);
  if (entry === undefined) return undefined;
  let s = '';
  for (const b of entry.name) {
    if (b < 0x21 || b > 0x7e) throw illegalParameter(`server_name: host_name has a byte 0x${b.toString(16)} outside printable ASCII`);
    s += String.fromCharCode(b);
  }
  return s;
}
