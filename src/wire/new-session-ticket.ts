// NewSessionTicket (RFC 8446 §4.6.1).

import { type NewSessionTicketExtension, readExtensions, writeExtensions } from './extensions/index.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/**
 * ```
 * struct {
 *     uint32 ticket_lifetime;
 *     uint32 ticket_age_add;
 *     opaque ticket_nonce<0..255>;
 *     opaque ticket<1..2^16-1>;
 *     Extension extensions<0..2^16-2>;
 * } NewSessionTicket;
 * ```
 * ticket_lifetime is kept as sent; §4.6.1 has clients cap it at 604800
 * seconds (7 days), which is the session cache's job.
 */
export interface NewSessionTicket {
  type: 'new_session_ticket';
  ticketLifetime: number;
  ticketAgeAdd: number;
  ticketNonce: Uint8Array;
  ticket: Uint8Array;
  extensions: NewSessionTicketExtension[];
}

/** Reads a NewSessionTicket body. */
export function readNewSessionTicket(r: Reader): NewSessionTicket {
  const ticketLifetime = r.u32('ticket_lifetime');
  const ticketAgeAdd = r.u32('ticket_age_add');
  const ticketNonce = r.opaque8('ticket_nonce', 0, 255);
  const ticket = r.opaque16('ticket', 1, 0xffff);
  const extensions = readExtensions(r, 'new_session_ticket', 0, 0xfffe);
  r.end();
  return { type: 'new_session_ticket', ticketLifetime, ticketAgeAdd, ticketNonce, ticket, extensions };
}

/** Writes a NewSessionTicket body. */
export function writeNewSessionTicket(w: Writer, m: NewSessionTicket): void {
  w.u32(m.ticketLifetime, 'ticket_lifetime');
  w.u32(m.ticketAgeAdd, 'ticket_age_add');
  w.opaque8('ticket_nonce', m.ticketNonce, 0, 255);
  w.opaque16('ticket', m.ticket, 1, 0xffff);
  writeExtensions(w, 'new_session_ticket', m.extensions, 0, 0xfffe);
}
