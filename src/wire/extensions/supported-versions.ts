// supported_versions (RFC 8446 §4.2.1): a list in ClientHello, the selected
// version in ServerHello and HelloRetryRequest.

import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';

/** ClientHello form: `ProtocolVersion versions<2..254>`. */
export interface SupportedVersionsClientHello {
  type: 'supported_versions';
  versions: number[];
}

/** ServerHello / HelloRetryRequest form: `ProtocolVersion selected_version`. */
export interface SupportedVersionsServerHello {
  type: 'supported_versions';
  selectedVersion: number;
}

/** Reads the ClientHello form. */
export function readSupportedVersionsClientHello(r: Reader): SupportedVersionsClientHello {
  return { type: 'supported_versions', versions: r.u16List(1, 'versions', 2, 254) };
}

/** Writes the ClientHello form. */
export function writeSupportedVersionsClientHello(w: Writer, e: SupportedVersionsClientHello): void {
  w.u16List(1, 'versions', e.versions, 2, 254);
}

/** Reads the ServerHello / HelloRetryRequest form. */
export function readSupportedVersionsServerHello(r: Reader): SupportedVersionsServerHello {
  return { type: 'supported_versions', selectedVersion: r.u16('selected_version') };
}

/** Writes the ServerHello / HelloRetryRequest form. */
export function writeSupportedVersionsServerHello(w: Writer, e: SupportedVersionsServerHello): void {
  w.u16(e.selectedVersion, 'selected_version');
}
