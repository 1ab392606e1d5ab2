/**
 * The error wasmtls throws for protocol and certificate failures: it carries
 * the TLS alert that reports the failure to the peer (RFC 8446 §6).
 * @module
 */

/** Alert descriptions and their codes, RFC 8446 §6 (reserved values omitted). */
export const ALERT_CODES = {
  close_notify: 0,
  unexpected_message: 10,
  bad_record_mac: 20,
  record_overflow: 22,
  handshake_failure: 40,
  bad_certificate: 42,
  unsupported_certificate: 43,
  certificate_revoked: 44,
  certificate_expired: 45,
  certificate_unknown: 46,
  illegal_parameter: 47,
  unknown_ca: 48,
  access_denied: 49,
  decode_error: 50,
  decrypt_error: 51,
  protocol_version: 70,
  insufficient_security: 71,
  internal_error: 80,
  inappropriate_fallback: 86,
  user_canceled: 90,
  missing_extension: 109,
  unsupported_extension: 110,
  unrecognized_name: 112,
  bad_certificate_status_response: 113,
  unknown_psk_identity: 115,
  certificate_required: 116,
  no_application_protocol: 120,
} as const;

/** An alert description name, e.g. `'bad_certificate'`. */
export type AlertName = keyof typeof ALERT_CODES;

/**
 * A TLS failure. `alert` names the alert (RFC 8446 §6.2) and `code` is its
 * number; `side` says who detected it: `'local'` when this end refuses
 * (and sends the alert), `'remote'` when the peer sent the alert.
 *
 * @example
 * ```ts
 * try {
 *   validateChain(chain, { trustAnchors, verifier, hostname: 'example.com' });
 * } catch (e) {
 *   if (e instanceof TlsError) console.log(e.alert, e.code, e.message);
 * }
 * ```
 */
export class TlsError extends Error {
  /** Alert description name (RFC 8446 §6). */
  readonly alert: AlertName;
  /** Alert description code (RFC 8446 §6). */
  readonly code: number;
  /** `'local'`: detected here; `'remote'`: received from the peer. */
  readonly side: 'local' | 'remote';

  constructor(alert: AlertName, message: string, side: 'local' | 'remote' = 'local', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TlsError';
    this.alert = alert;
    this.code = ALERT_CODES[alert];
    this.side = side;
  }
}
