// pre_shared_key (RFC 8446 §4.2.11): OfferedPsks in ClientHello (where it must
// be the last extension), the selected identity in ServerHello.

import { illegalParameter } from '../../errors.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';

/** `struct { opaque identity<1..2^16-1>; uint32 obfuscated_ticket_age; } PskIdentity`. */
export interface PskIdentity {
  identity: Uint8Array;
  obfuscatedTicketAge: number;
}

/**
 * ClientHello form, OfferedPsks: `PskIdentity identities<7..2^16-1>` and
 * `PskBinderEntry binders<33..2^16-1>` with `opaque PskBinderEntry<32..255>`,
 * one binder per identity.
 */
export interface PreSharedKeyClientHello {
  type: 'pre_shared_key';
  identities: PskIdentity[];
  binders: Uint8Array[];
}

/** ServerHello form: `uint16 selected_identity`. */
export interface PreSharedKeyServerHello {
  type: 'pre_shared_key';
  selectedIdentity: number;
}

/** Reads the ClientHello form; a binder count unlike the identity count is illegal_parameter. */
export function readPreSharedKeyClientHello(r: Reader): PreSharedKeyClientHello {
  const ids = r.vec16('identities', 7, 0xffff);
  const identities: PskIdentity[] = [];
  while (!ids.isEmpty) {
    const identity = ids.opaque16('identity', 1, 0xffff);
    const obfuscatedTicketAge = ids.u32('obfuscated_ticket_age');
    identities.push({ identity, obfuscatedTicketAge });
  }
  const list = r.vec16('binders', 33, 0xffff);
  const binders: Uint8Array[] = [];
  while (!list.isEmpty) binders.push(list.opaque8('PskBinderEntry', 32, 255));
  if (binders.length !== identities.length) {
    throw illegalParameter(`${r.context}: ${identities.length} identities but ${binders.length} binders`);
  }
  return { type: 'pre_shared_key', identities, binders };
}

/** Writes the ClientHello form. */
export function writePreSharedKeyClientHello(w: Writer, e: PreSharedKeyClientHello): void {
  w.vec16('identities', 7, 0xffff, () => {
    for (const id of e.identities) {
      w.opaque16('identity', id.identity, 1, 0xffff);
      w.u32(id.obfuscatedTicketAge, 'obfuscated_ticket_age');
    }
  });
  w.vec16('binders', 33, 0xffff, () => {
    for (const b of e.binders) w.opaque8('PskBinderEntry', b, 32, 255);
  });
}

/** Reads the ServerHello form. */
export function readPreSharedKeyServerHello(r: Reader): PreSharedKeyServerHello {
  return { type: 'pre_shared_key', selectedIdentity: r.u16('selected_identity') };
}

/** Writes the ServerHello form. */
export function writePreSharedKeyServerHello(w: Writer, e: PreSharedKeyServerHello): void {
  w.u16(e.selectedIdentity, 'selected_identity');
}

/**
 * Encoded size of the `binders` field, length prefix included: what
 * Truncate(ClientHello) removes from the end of an encoded ClientHello
 * before hashing it for the binders (RFC 8446 §4.2.11.2).
 * @example const partial = ch.subarray(0, ch.length - bindersLength(offer.binders))
 */
export function bindersLength(binders: readonly Uint8Array[]): number {
  let n = 2;
  for (const b of binders) n += 1 + b.length;
  return n;
}
