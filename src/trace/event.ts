// The step-by-step trace's event shape. The four steps are those of the
// usual "how HTTPS works" story (1 Client Hello, 2 the server proves who it
// is, 3 both agree on a session key, 4 everything after is encrypted); each
// event's explanation says where TLS 1.3 (RFC 8446) differs from that story.

import type { HandshakeMessage } from '../wire/handshake.js';

/** One of the four steps of the story, in the story's numbering. */
export type TraceStep = 1 | 2 | 3 | 4;

/**
 * The title of each step. TLS 1.3 runs step 3 before step 2: the key
 * exchange finishes in the ServerHello, and the certificate travels
 * encrypted afterwards.
 */
export const TRACE_STEPS: Readonly<Record<TraceStep, string>> = {
  1: 'Client Hello',
  2: 'The server proves who it is',
  3: 'Both sides agree on a session key',
  4: 'Everything after is encrypted',
};

/** What an event reports. */
export type TraceKind =
  /** A handshake message (RFC 8446 §4). */
  | 'handshake'
  /** The dummy change_cipher_spec record of middlebox compatibility mode (§D.4). */
  | 'change_cipher_spec'
  /** New traffic keys derived and installed (§7.1, §7.3); `direction` is `'local'`. */
  | 'keys'
  /** The first application data record in one direction (§5.2). */
  | 'application_data'
  /** An alert: close_notify (§6.1) or an error alert (§6.2). */
  | 'alert';

/** One readable field of a traced message; `children` for structures (extensions, certificates). */
export interface TraceField {
  readonly name: string;
  /** The value in readable form; byte strings as lowercase hex. */
  readonly value: string;
  readonly children?: readonly TraceField[];
}

/** What the receiving side checked in a message, and the result. */
export interface TraceCheck {
  readonly ok: boolean;
  /** What was checked (when ok) or why it failed. */
  readonly text: string;
}

/**
 * One event of the step-by-step trace (engine option `trace`/`onTrace`).
 * Built only while tracing is on.
 */
export interface TraceEvent {
  /** What is reported. */
  readonly kind: TraceKind;
  /** The step of the story it belongs to. */
  readonly step: TraceStep;
  /** {@link TRACE_STEPS}[step]. */
  readonly stepTitle: string;
  /** The endpoint that traced it. */
  readonly side: 'client' | 'server';
  /** `'sent'` by this endpoint, `'received'` from the peer, `'local'` for key derivation. */
  readonly direction: 'sent' | 'received' | 'local';
  /** Who sent it (for `'local'` events: the tracing side). */
  readonly from: 'client' | 'server';
  /** `'ClientHello'`, `'Finished'`, `'ChangeCipherSpec'`, `'Handshake keys'`, `'Application data'`, `'close_notify'`, ... */
  readonly name: string;
  /** True when it travelled inside an encrypted record. */
  readonly encrypted: boolean;
  /**
   * The bytes: a handshake message with its 4-byte header, before record
   * protection; the record as on the wire for change_cipher_spec and the
   * first application data; the alert's two bytes; empty for `keys`.
   */
  readonly bytes: Uint8Array;
  /** The decoded handshake message (`kind === 'handshake'` only). */
  readonly decoded: HandshakeMessage | undefined;
  /** The message's fields in readable form. */
  readonly fields: readonly TraceField[];
  /** What the receiver checked, for received messages it verifies. */
  readonly check: TraceCheck | undefined;
  /** One or two sentences on what this step does, citing the RFC. */
  readonly explanation: string;
  /** The section the explanation rests on, e.g. `'RFC 8446 §4.1.2'`. */
  readonly rfc: string;
}
