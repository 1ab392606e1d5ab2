// The project-wide error: every protocol failure carries the alert it maps to (RFC 8446 §6).

/**
 * Alert descriptions of RFC 8446 §6 (values 0-120, the `_RESERVED` ones left
 * out: TLS 1.3 never sends them).
 * @example AlertDescription.decode_error // 50
 */
export const AlertDescription = {
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
  /** TLS 1.2 only (RFC 5246 §7.2.2): a warning refusing renegotiation. */
  no_renegotiation: 100,
  missing_extension: 109,
  unsupported_extension: 110,
  unrecognized_name: 112,
  bad_certificate_status_response: 113,
  unknown_psk_identity: 115,
  certificate_required: 116,
  no_application_protocol: 120,
} as const;

/** The name of an alert of RFC 8446 §6, e.g. `'decode_error'`. */
export type AlertName = keyof typeof AlertDescription;

/**
 * Alert levels (RFC 8446 §6). In TLS 1.3 every error alert is fatal; only
 * `close_notify` and `user_canceled` may carry `warning`.
 */
export const AlertLevel = { warning: 1, fatal: 2 } as const;

const ALERT_NAMES = new Map<number, AlertName>(
  (Object.entries(AlertDescription) as [AlertName, number][]).map(([name, code]) => [code, name]),
);

/**
 * The name of an alert code, or `undefined` for codes RFC 8446 does not define.
 * @example alertName(47) // 'illegal_parameter'
 */
export function alertName(code: number): AlertName | undefined {
  return ALERT_NAMES.get(code);
}

/**
 * Who raised the error: `'local'` when this endpoint detected it (and sends
 * the alert), `'remote'` when the peer sent the alert.
 */
export type ErrorSide = 'local' | 'remote';

/**
 * What ended the connection:
 * - `'alert-sent'`: this endpoint found a fault and sent (or would send) `alert`;
 * - `'alert-received'`: the peer sent the error alert `alert`;
 * - `'truncated'`: the transport ended without the peer's close_notify (RFC 8446 §6.1: data may be missing);
 * - `'closed'`: the peer's close_notify came before the handshake completed;
 * - `'timeout'`: the handshake did not complete within `handshakeTimeout`
 *   (carried by {@link TlsTimeoutError}, whose `code` is node's string code).
 */
export type TlsErrorReason = 'alert-sent' | 'alert-received' | 'truncated' | 'closed' | 'timeout';

/** Options of {@link TlsError}. */
export interface TlsErrorOptions {
  /** Defaults to `'local'`. */
  side?: ErrorSide;
  /** The underlying error, if any. */
  cause?: unknown;
  /** Defaults to `'alert-sent'` (side local) or `'alert-received'` (side remote). */
  reason?: TlsErrorReason;
  /** node:tls's `code` for this failure, where node:tls has one (see {@link TlsError.nodeCode}). */
  nodeCode?: string;
}

/**
 * node:tls's error codes for the alerts whose meaning is one of its codes
 * (OpenSSL's X509_V_ERR_* names as Node reports them). Certificate failures
 * with a more precise cause set their own.
 */
const NODE_CODES: Partial<Record<AlertName, string>> = {
  certificate_expired: 'CERT_HAS_EXPIRED',
  unknown_ca: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
};

/**
 * A TLS failure and the alert that reports it (RFC 8446 §6.2).
 *
 * Layers below the handshake (codec, record framing, key schedule) throw
 * `TlsError` with `side: 'local'`; the engine sends `code` as a fatal alert
 * and closes. Alerts received from the peer become `TlsError` with
 * `side: 'remote'` through {@link TlsError.fromAlert}.
 *
 * @example
 * try { decodeHandshake(frame) } catch (e) {
 *   if (e instanceof TlsError) sendAlert(e.code) // e.alert === 'decode_error'
 * }
 */
export class TlsError extends Error {
  override readonly name = 'TlsError';
  /** Alert name; `'unknown'` only for a code the peer sent that RFC 8446 does not define. */
  readonly alert: AlertName | 'unknown';
  /** Alert code on the wire (RFC 8446 §6). */
  readonly code: number;
  /** Which endpoint raised the alert. */
  readonly side: ErrorSide;
  /** What ended the connection: an alert sent or received, a truncation, an early close_notify. Branch on this, not on the message. */
  readonly reason: TlsErrorReason;
  /**
   * node:tls's string code for this failure where it has one
   * (`'CERT_HAS_EXPIRED'`, `'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'`,
   * `'DEPTH_ZERO_SELF_SIGNED_CERT'`, `'SELF_SIGNED_CERT_IN_CHAIN'`,
   * `'ERR_TLS_CERT_ALTNAME_INVALID'`, `'ECONNRESET'` for a truncation, ...),
   * else undefined. `code` stays the alert number on the wire.
   */
  readonly nodeCode: string | undefined;

  /**
   * @param alert the alert this failure maps to
   * @param message what went wrong, naming the message and field
   */
  constructor(alert: AlertName, message: string, options: TlsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.alert = alert;
    this.code = AlertDescription[alert];
    this.side = options.side ?? 'local';
    this.reason = options.reason ?? (this.side === 'local' ? 'alert-sent' : 'alert-received');
    this.nodeCode = options.nodeCode ?? (this.reason === 'truncated' ? 'ECONNRESET' : this.side === 'local' ? NODE_CODES[alert] : undefined);
  }

  /**
   * The error for a transport that ended without the peer's close_notify
   * (RFC 8446 §6.1): `reason` `'truncated'`, `alert` `'close_notify'`,
   * `side` `'remote'`, `nodeCode` `'ECONNRESET'`; nothing is sent for it.
   * @example TlsError.truncated(true).message // 'truncated: the transport closed during the handshake ...'
   */
  static truncated(duringHandshake: boolean): TlsError {
    const during = duringHandshake ? ' during the handshake' : '';
    return new TlsError('close_notify', `truncated: the transport closed${during} without the peer's close_notify (RFC 8446 §6.1); data may be missing`, {
      side: 'remote',
      reason: 'truncated',
    });
  }

  /**
   * The error for an error alert received from the peer (RFC 8446 §6: unknown
   * alert types are treated as error alerts). close_notify is a closure, not
   * an error; the engine handles it before calling this.
   * @example throw TlsError.fromAlert(40) // handshake_failure, side 'remote'
   */
  static fromAlert(code: number): TlsError {
    const name = alertName(code);
    if (name !== undefined) {
      return new TlsError(name, `peer sent a fatal ${name} alert (${code})${REMOTE_ALERT_HINTS[name] ?? ''}`, { side: 'remote' });
    }
    const e = new TlsError('illegal_parameter', `peer sent an unknown alert (${code})`, { side: 'remote' });
    const w = e as { alert: AlertName | 'unknown'; code: number };
    w.alert = 'unknown';
    w.code = code;
    return e;
  }
}

/**
 * A handshake that did not complete within `handshakeTimeout`: `reason`
 * `'timeout'` as on {@link TlsError}, and the Node-style string `code` each
 * adapter has always given (`'ETIMEDOUT'` for `startTls` and the TCP
 * transport, `'ERR_TLS_HANDSHAKE_TIMEOUT'` for `wasmtls/node`, as node:tls),
 * also as `nodeCode`. Not a `TlsError`: its `code` is that string, where a
 * `TlsError`'s is the alert number; no alert is sent for a timeout.
 * @example
 * socket.on('error', (e) => { if (e.reason === 'timeout') retry(); });
 */
export class TlsTimeoutError extends Error {
  override readonly name = 'TlsTimeoutError';
  /** Always `'timeout'`. */
  readonly reason = 'timeout' as const satisfies TlsErrorReason;
  /** node's code: `'ETIMEDOUT'` or `'ERR_TLS_HANDSHAKE_TIMEOUT'`. */
  readonly code: string;
  /** The same as `code`, for code that reads `nodeCode` on every wasmtls error. */
  readonly nodeCode: string;

  /**
   * @param code node's code for the adapter's timeout
   * @param message what timed out and after how long
   */
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.nodeCode = code;
  }
}

/**
 * A `decode_error` (RFC 8446 §6.2: a field out of its specified range or a
 * wrong message length).
 * @example throw decodeError('ClientHello: 3 trailing bytes after extensions')
 */
export function decodeError(message: string): TlsError {
  return new TlsError('decode_error', message);
}

/**
 * An `illegal_parameter` (RFC 8446 §6.2: a field that is well-formed but
 * incorrect or inconsistent with other fields).
 * @example throw illegalParameter('ClientHello: duplicated extension key_share')
 */
export function illegalParameter(message: string): TlsError {
  return new TlsError('illegal_parameter', message);
}

/**
 * An `internal_error`: this endpoint tried to encode something the protocol
 * cannot carry (a bug or a configuration out of range), never a peer fault.
 * @example throw internalError('ALPN protocol of 300 bytes exceeds 255')
 */
export function internalError(message: string): TlsError {
  return new TlsError('internal_error', message);
}

/** What an alert from the peer usually means, for the message (issue 16: errors that say what to do). */
const REMOTE_ALERT_HINTS: Partial<Record<AlertName, string>> = {
  protocol_version: ': the peer accepts none of the versions offered; it may speak only TLS 1.1 or older, and wasmtls speaks TLS 1.2 and TLS 1.3',
};
