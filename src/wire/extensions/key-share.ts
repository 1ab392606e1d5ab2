// key_share (RFC 8446 §4.2.8): a list in ClientHello, one entry in
// ServerHello, the selected group alone in HelloRetryRequest.

import { illegalParameter } from '../../errors.js';
import { namedGroupName } from '../constants.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';

/** `struct { NamedGroup group; opaque key_exchange<1..2^16-1>; } KeyShareEntry`. */
export interface KeyShareEntry {
  group: number;
  keyExchange: Uint8Array;
}

/** ClientHello form: `KeyShareEntry client_shares<0..2^16-1>`. */
export interface KeyShareClientHello {
  type: 'key_share';
  shares: KeyShareEntry[];
}

/** ServerHello form: `KeyShareEntry server_share`. */
export interface KeyShareServerHello {
  type: 'key_share';
  share: KeyShareEntry;
}

/** HelloRetryRequest form: `NamedGroup selected_group`. */
export interface KeyShareHelloRetryRequest {
  type: 'key_share';
  selectedGroup: number;
}

function readEntry(r: Reader): KeyShareEntry {
  const group = r.u16('group');
  const keyExchange = r.opaque16('key_exchange', 1, 0xffff);
  return { group, keyExchange };
}

function writeEntry(w: Writer, e: KeyShareEntry): void {
  w.u16(e.group, 'group');
  w.opaque16('key_exchange', e.keyExchange, 1, 0xffff);
}

/** Reads the ClientHello form; two shares for one group are illegal_parameter (§4.2.8). */
export function readKeyShareClientHello(r: Reader): KeyShareClientHello {
  const list = r.vec16('client_shares', 0, 0xffff);
  const shares: KeyShareEntry[] = [];
  const seen = new Set<number>();
  while (!list.isEmpty) {
    const e = readEntry(list);
    // §4.2.8: "Clients MUST NOT offer multiple KeyShareEntry values for the
    // same group"; servers may abort with illegal_parameter.
    if (seen.has(e.group)) throw illegalParameter(`${r.context}: two key shares for ${namedGroupName(e.group)}`);
    seen.add(e.group);
    shares.push(e);
  }
  return { type: 'key_share', shares };
}

/** Writes the ClientHello form. */
export function writeKeyShareClientHello(w: Writer, e: KeyShareClientHello): void {
  w.vec16('client_shares', 0, 0xffff, () => {
    for (const s of e.shares) writeEntry(w, s);
  });
}

/** Reads the ServerHello form. */
export function readKeyShareServerHello(r: Reader): KeyShareServerHello {
  return { type: 'key_share', share: readEntry(r) };
}

/** Writes the ServerHello form. */
export function writeKeyShareServerHello(w: Writer, e: KeyShareServerHello): void {
  writeEntry(w, e.share);
}

/** Reads the HelloRetryRequest form. */
export function readKeyShareHelloRetryRequest(r: Reader): KeyShareHelloRetryRequest {
  return { type: 'key_share', selectedGroup: r.u16('selected_group') };
}

/** Writes the HelloRetryRequest form. */
export function writeKeyShareHelloRetryRequest(w: Writer, e: KeyShareHelloRetryRequest): void {
  w.u16(e.selectedGroup, 'selected_group');
}
