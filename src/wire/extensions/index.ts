// Extension blocks (RFC 8446 §4.2): `Extension extensions<..>` with
// `struct { ExtensionType extension_type; opaque extension_data<0..2^16-1>; }`.
//
// The same extension type has different bodies in different messages
// (key_share is a list in ClientHello, one entry in ServerHello, a group in
// HelloRetryRequest), so each message has its own union of extension shapes
// and its own codec table. Extensions wasmtls does not interpret are kept as
// RawExtension {code, data}, in their original order, so a decoded message
// re-encodes byte for byte.

import { illegalParameter, internalError, TlsError } from '../../errors.js';
import { ExtensionType, type ExtensionTypeName, extensionName } from '../constants.js';
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { type AlpnClientHello, type AlpnEncryptedExtensions, readAlpnClientHello, readAlpnEncryptedExtensions, writeAlpnClientHello, writeAlpnEncryptedExtensions } from './alpn.js';
import { type CertificateAuthorities, readCertificateAuthorities, writeCertificateAuthorities } from './certificate-authorities.js';
import { type Cookie, readCookie, writeCookie } from './cookie.js';
import { type EarlyDataIndication, type EarlyDataTicket, readEarlyDataIndication, readEarlyDataTicket, writeEarlyDataIndication, writeEarlyDataTicket } from './early-data.js';
import {
  type KeyShareClientHello,
  type KeyShareHelloRetryRequest,
  type KeyShareServerHello,
  readKeyShareClientHello,
  readKeyShareHelloRetryRequest,
  readKeyShareServerHello,
  writeKeyShareClientHello,
  writeKeyShareHelloRetryRequest,
  writeKeyShareServerHello,
} from './key-share.js';
import { type PostHandshakeAuth, readPostHandshakeAuth, writePostHandshakeAuth } from './post-handshake-auth.js';
import {
  type PreSharedKeyClientHello,
  type PreSharedKeyServerHello,
  readPreSharedKeyClientHello,
  readPreSharedKeyServerHello,
  writePreSharedKeyClientHello,
  writePreSharedKeyServerHello,
} from './pre-shared-key.js';
import { type PskKeyExchangeModes, readPskKeyExchangeModes, writePskKeyExchangeModes } from './psk-key-exchange-modes.js';
import { type RecordSizeLimit, readRecordSizeLimit, writeRecordSizeLimit } from './record-size-limit.js';
import { readServerNameAck, readServerNameClientHello, type ServerNameAck, type ServerNameClientHello, writeServerNameAck, writeServerNameClientHello } from './server-name.js';
import {
  readSignatureAlgorithms,
  readSignatureAlgorithmsCert,
  type SignatureAlgorithms,
  type SignatureAlgorithmsCert,
  writeSignatureAlgorithms,
} from './signature-algorithms.js';
import { readSupportedGroups, type SupportedGroups, writeSupportedGroups } from './supported-groups.js';
import {
  readSupportedVersionsClientHello,
  readSupportedVersionsServerHello,
  type SupportedVersionsClientHello,
  type SupportedVersionsServerHello,
  writeSupportedVersionsClientHello,
  writeSupportedVersionsServerHello,
} from './supported-versions.js';

/** An extension wasmtls keeps as bytes: unknown types, and known ones it does not interpret (padding, status_request, ...). */
export interface RawExtension {
  type: 'raw';
  /** extension_type on the wire. */
  code: number;
  /** extension_data, without its length prefix. */
  data: Uint8Array;
}

/** Extensions of a ClientHello (RFC 8446 §4.2 table, "CH" column). */
export type ClientHelloExtension =
  | ServerNameClientHello
  | SupportedGroups
  | SignatureAlgorithms
  | SignatureAlgorithmsCert
  | KeyShareClientHello
  | SupportedVersionsClientHello
  | PskKeyExchangeModes
  | AlpnClientHello
  | Cookie
  | PreSharedKeyClientHello
  | EarlyDataIndication
  | PostHandshakeAuth
  | CertificateAuthorities
  | RecordSizeLimit
  | RawExtension;

/** Extensions of a ServerHello ("SH" column). */
export type ServerHelloExtension = KeyShareServerHello | PreSharedKeyServerHello | SupportedVersionsServerHello | RawExtension;

/** Extensions of a HelloRetryRequest ("HRR" column). */
export type HelloRetryRequestExtension = KeyShareHelloRetryRequest | Cookie | SupportedVersionsServerHello | RawExtension;

/** Extensions of EncryptedExtensions ("EE" column). */
export type EncryptedExtension = ServerNameAck | SupportedGroups | AlpnEncryptedExtensions | EarlyDataIndication | RecordSizeLimit | RawExtension;

/** Extensions of a CertificateRequest ("CR" column). */
export type CertificateRequestExtension = SignatureAlgorithms | SignatureAlgorithmsCert | CertificateAuthorities | RawExtension;

/** Extensions of a CertificateEntry ("CT" column: status_request, signed_certificate_timestamp, kept raw). */
export type CertificateEntryExtension = RawExtension;

/** Extensions of a NewSessionTicket ("NST" column). */
export type NewSessionTicketExtension = EarlyDataTicket | RawExtension;

/** The extension shapes of each message that carries extensions. */
export interface ExtensionsByContext {
  client_hello: ClientHelloExtension;
  server_hello: ServerHelloExtension;
  hello_retry_request: HelloRetryRequestExtension;
  encrypted_extensions: EncryptedExtension;
  certificate_request: CertificateRequestExtension;
  certificate: CertificateEntryExtension;
  new_session_ticket: NewSessionTicketExtension;
}

/** A message (or CertificateEntry, `certificate`) that carries extensions. */
export type ExtensionContext = keyof ExtensionsByContext;

/** Any extension shape. */
export type AnyExtension = ExtensionsByContext[ExtensionContext];

type Ctx = ExtensionContext;
const CH: Ctx = 'client_hello';
const SH: Ctx = 'server_hello';
const HRR: Ctx = 'hello_retry_request';
const EE: Ctx = 'encrypted_extensions';
const CR: Ctx = 'certificate_request';
const CT: Ctx = 'certificate';
const NST: Ctx = 'new_session_ticket';

/**
 * Where each extension RFC 8446 knows may appear (§4.2 table; record_size_limit
 * from RFC 8449 §5). Types not listed are unknown and allowed anywhere: the
 * handshake layer answers unsolicited ones with unsupported_extension.
 */
const ALLOWED: Readonly<Partial<Record<number, readonly Ctx[]>>> = {
  [ExtensionType.server_name]: [CH, EE],
  [ExtensionType.max_fragment_length]: [CH, EE],
  [ExtensionType.status_request]: [CH, CR, CT],
  [ExtensionType.supported_groups]: [CH, EE],
  [ExtensionType.signature_algorithms]: [CH, CR],
  [ExtensionType.use_srtp]: [CH, EE],
  [ExtensionType.heartbeat]: [CH, EE],
  [ExtensionType.application_layer_protocol_negotiation]: [CH, EE],
  [ExtensionType.signed_certificate_timestamp]: [CH, CR, CT],
  [ExtensionType.client_certificate_type]: [CH, EE],
  [ExtensionType.server_certificate_type]: [CH, EE],
  [ExtensionType.padding]: [CH],
  [ExtensionType.record_size_limit]: [CH, EE],
  [ExtensionType.key_share]: [CH, SH, HRR],
  [ExtensionType.pre_shared_key]: [CH, SH],
  [ExtensionType.psk_key_exchange_modes]: [CH],
  [ExtensionType.early_data]: [CH, EE, NST],
  [ExtensionType.cookie]: [CH, HRR],
  [ExtensionType.supported_versions]: [CH, SH, HRR],
  [ExtensionType.certificate_authorities]: [CH, CR],
  [ExtensionType.oid_filters]: [CR],
  [ExtensionType.post_handshake_auth]: [CH],
  [ExtensionType.signature_algorithms_cert]: [CH, CR],
};

const CONTEXT_NAMES: Readonly<Record<Ctx, string>> = {
  client_hello: 'ClientHello',
  server_hello: 'ServerHello',
  hello_retry_request: 'HelloRetryRequest',
  encrypted_extensions: 'EncryptedExtensions',
  certificate_request: 'CertificateRequest',
  certificate: 'Certificate',
  new_session_ticket: 'NewSessionTicket',
};

/** Reads and writes one extension body; method syntax so one table holds all shapes of a message. */
interface Codec<E> {
  read(r: Reader): E;
  write(w: Writer, e: E): void;
}

type Table<C extends Ctx> = Readonly<Partial<Record<number, Codec<ExtensionsByContext[C]>>>>;

const T = ExtensionType;
const CODECS: { readonly [C in Ctx]: Table<C> } = {
  client_hello: {
    [T.server_name]: { read: readServerNameClientHello, write: writeServerNameClientHello },
    [T.supported_groups]: { read: readSupportedGroups, write: writeSupportedGroups },
    [T.signature_algorithms]: { read: readSignatureAlgorithms, write: writeSignatureAlgorithms },
    [T.signature_algorithms_cert]: { read: readSignatureAlgorithmsCert, write: writeSignatureAlgorithms },
    [T.key_share]: { read: readKeyShareClientHello, write: writeKeyShareClientHello },
    [T.supported_versions]: { read: readSupportedVersionsClientHello, write: writeSupportedVersionsClientHello },
    [T.psk_key_exchange_modes]: { read: readPskKeyExchangeModes, write: writePskKeyExchangeModes },
    [T.application_layer_protocol_negotiation]: { read: readAlpnClientHello, write: writeAlpnClientHello },
    [T.cookie]: { read: readCookie, write: writeCookie },
    [T.pre_shared_key]: { read: readPreSharedKeyClientHello, write: writePreSharedKeyClientHello },
    [T.early_data]: { read: readEarlyDataIndication, write: writeEarlyDataIndication },
    [T.post_handshake_auth]: { read: readPostHandshakeAuth, write: writePostHandshakeAuth },
    [T.certificate_authorities]: { read: readCertificateAuthorities, write: writeCertificateAuthorities },
    [T.record_size_limit]: { read: readRecordSizeLimit, write: writeRecordSizeLimit },
  },
  server_hello: {
    [T.key_share]: { read: readKeyShareServerHello, write: writeKeyShareServerHello },
    [T.pre_shared_key]: { read: readPreSharedKeyServerHello, write: writePreSharedKeyServerHello },
    [T.supported_versions]: { read: readSupportedVersionsServerHello, write: writeSupportedVersionsServerHello },
  },
  hello_retry_request: {
    [T.key_share]: { read: readKeyShareHelloRetryRequest, write: writeKeyShareHelloRetryRequest },
    [T.cookie]: { read: readCookie, write: writeCookie },
    [T.supported_versions]: { read: readSupportedVersionsServerHello, write: writeSupportedVersionsServerHello },
  },
  encrypted_extensions: {
    [T.server_name]: { read: readServerNameAck, write: writeServerNameAck },
    [T.supported_groups]: { read: readSupportedGroups, write: writeSupportedGroups },
    [T.application_layer_protocol_negotiation]: { read: readAlpnEncryptedExtensions, write: writeAlpnEncryptedExtensions },
    [T.early_data]: { read: readEarlyDataIndication, write: writeEarlyDataIndication },
    [T.record_size_limit]: { read: readRecordSizeLimit, write: writeRecordSizeLimit },
  },
  certificate_request: {
    [T.signature_algorithms]: { read: readSignatureAlgorithms, write: writeSignatureAlgorithms },
    [T.signature_algorithms_cert]: { read: readSignatureAlgorithmsCert, write: writeSignatureAlgorithms },
    [T.certificate_authorities]: { read: readCertificateAuthorities, write: writeCertificateAuthorities },
  },
  certificate: {},
  new_session_ticket: {
    [T.early_data]: { read: readEarlyDataTicket, write: writeEarlyDataTicket },
  },
};

/**
 * extension_type of an extension value.
 * @example extensionCode({ type: 'cookie', cookie }) // 44
 */
export function extensionCode(e: AnyExtension): number {
  return e.type === 'raw' ? e.code : ExtensionType[e.type as ExtensionTypeName];
}

/** Options of {@link readExtensions}. */
export interface ReadExtensionsOptions {
  /**
   * Reject known extensions the §4.2 table does not list for this message
   * (illegal_parameter). Default true; ServerHello defers the check until it
   * knows the message is a TLS 1.3 one (see server-hello.ts).
   */
  checkAllowed?: boolean;
}

/**
 * Reads an extension block `Extension extensions<min..max>` of message `ctx`.
 *
 * A type seen twice is illegal_parameter (RFC 8446 §4.2: "There MUST NOT be
 * more than one extension of the same type in a given extension block"); so
 * is a known type the §4.2 table does not allow in `ctx`. Each body must be
 * consumed exactly (decode_error otherwise).
 */
export function readExtensions<C extends Ctx>(r: Reader, ctx: C, min: number, max: number, options: ReadExtensionsOptions = {}): ExtensionsByContext[C][] {
  const block = r.vec16('extensions', min, max);
  const table: Table<C> = CODECS[ctx];
  const out: ExtensionsByContext[C][] = [];
  const seen = new Set<number>();
  while (!block.isEmpty) {
    const code = block.u16('extension_type');
    const name = extensionName(code);
    const data = block.vec16(name, 0, 0xffff);
    if (seen.has(code)) throw illegalParameter(`${r.context}: duplicated extension ${name} (RFC 8446 §4.2)`);
    seen.add(code);
    if (options.checkAllowed !== false) checkAllowedCode(code, ctx, r.context);
    const codec = table[code];
    if (codec === undefined) {
      out.push({ type: 'raw', code, data: data.rest('extension_data') } as ExtensionsByContext[C]);
    } else {
      out.push(codec.read(data));
      data.end();
    }
  }
  return out;
}

/**
 * Writes an extension block `Extension extensions<min..max>` of message
 * `ctx`, in the order given. Duplicates are an internal_error.
 */
export function writeExtensions<C extends Ctx>(w: Writer, ctx: C, list: readonly ExtensionsByContext[C][], min: number, max: number): void {
  const table: Table<C> = CODECS[ctx];
  const seen = new Set<number>();
  w.vec16('extensions', min, max, () => {
    for (const e of list) {
      const code = extensionCode(e);
      const name = extensionName(code);
      if (seen.has(code)) throw internalError(`${w.context}: duplicated extension ${name}`);
      seen.add(code);
      w.u16(code, `${name}.extension_type`);
      w.vec16(name, 0, 0xffff, () => {
        if (e.type === 'raw') {
          w.bytes((e as RawExtension).data, `${name}.extension_data`);
          return;
        }
        const codec = table[code];
        if (codec === undefined) throw internalError(`${w.context}: extension ${name} has no ${CONTEXT_NAMES[ctx]} form`);
        codec.write(w, e);
      });
    }
  });
}

function checkAllowedCode(code: number, ctx: Ctx, where: string): void {
  const allowed = ALLOWED[code];
  if (allowed !== undefined && !allowed.includes(ctx)) {
    // §4.2: a recognised extension "not specified for the message in which it
    // appears" MUST be answered with illegal_parameter.
    throw illegalParameter(`${where}: extension ${extensionName(code)} is not allowed in ${CONTEXT_NAMES[ctx]} (RFC 8446 §4.2)`);
  }
}

/**
 * Applies the §4.2 "which message may carry which extension" rule to a
 * decoded list (illegal_parameter on violation).
 */
export function checkAllowedExtensions(list: readonly AnyExtension[], ctx: Ctx): void {
  for (const e of list) checkAllowedCode(extensionCode(e), ctx, CONTEXT_NAMES[ctx]);
}

/**
 * The extension of the given type in a decoded list, typed by its shape in
 * that message.
 * @example const ks = findExtension(ch.extensions, 'key_share') // KeyShareClientHello | undefined
 */
export function findExtension<E extends AnyExtension, K extends Exclude<E['type'], 'raw'>>(list: readonly E[], type: K): Extract<E, { type: K }> | undefined {
  for (const e of list) if (e.type === type) return e as Extract<E, { type: K }>;
  return undefined;
}

/**
 * The raw bytes of an extension kept as {@link RawExtension}.
 * @example findRawExtension(ch.extensions, ExtensionType.padding)?.data
 */
export function findRawExtension(list: readonly AnyExtension[], code: number): RawExtension | undefined {
  for (const e of list) if (e.type === 'raw' && e.code === code) return e;
  return undefined;
}

/**
 * Checks that every extension of a response (ServerHello, HelloRetryRequest,
 * EncryptedExtensions, CertificateRequest from a client's view, Certificate)
 * answers one the requester sent: RFC 8446 §4.2 requires
 * unsupported_extension otherwise. `cookie` in a HelloRetryRequest is the
 * one exception and is accepted here.
 * @example assertSolicited(ee.extensions, 'encrypted_extensions', offeredCodes)
 */
export function assertSolicited(list: readonly AnyExtension[], ctx: Ctx, offered: ReadonlySet<number>): void {
  for (const e of list) {
    const code = extensionCode(e);
    if (offered.has(code)) continue;
    if (ctx === 'hello_retry_request' && code === ExtensionType.cookie) continue;
    throw new TlsError('unsupported_extension', `${CONTEXT_NAMES[ctx]}: extension ${extensionName(code)} was not offered (RFC 8446 §4.2)`);
  }
}

export type { AlpnClientHello, AlpnEncryptedExtensions } from './alpn.js';
export type { CertificateAuthorities } from './certificate-authorities.js';
export type { Cookie } from './cookie.js';
export type { EarlyDataIndication, EarlyDataTicket } from './early-data.js';
export type { KeyShareClientHello, KeyShareEntry, KeyShareHelloRetryRequest, KeyShareServerHello } from './key-share.js';
export type { PostHandshakeAuth } from './post-handshake-auth.js';
export { bindersLength, type PreSharedKeyClientHello, type PreSharedKeyServerHello, type PskIdentity } from './pre-shared-key.js';
export type { PskKeyExchangeModes } from './psk-key-exchange-modes.js';
export type { RecordSizeLimit } from './record-size-limit.js';
export { hostName, type ServerName, type ServerNameAck, type ServerNameClientHello } from './server-name.js';
export type { SignatureAlgorithms, SignatureAlgorithmsCert } from './signature-algorithms.js';
export type { SupportedGroups } from './supported-groups.js';
export type { SupportedVersionsClientHello, SupportedVersionsServerHello } from './supported-versions.js';
