// Readable fields of handshake messages for the step-by-step trace: names
// instead of code points, byte strings as hex, certificates as subject,
// issuer, validity and subjectAltName. Runs only while tracing is on.

import { alertName } from '../errors.js';
import { cipherSuiteName, extensionName, NamedGroup, namedGroupName, protocolVersionName, signatureSchemeName } from '../wire/constants.js';
import type { AnyExtension } from '../wire/extensions/index.js';
import type { HandshakeMessage } from '../wire/handshake.js';
import { type Certificate, parseCertificate } from '../x509/certificate.js';
import { formatIpAddress } from '../x509/hostname.js';
import type { TraceField } from './event.js';
import { hex } from '../../bindings/bytes.js';

/**
 * Lowercase hex of a byte string.
 * @example toHex(Uint8Array.of(1, 255)) // '01ff'
 */
export function toHex(bytes: Uint8Array): string {
  return hex(bytes);
}

const text = new TextDecoder();

function field(name: string, value: string, children?: readonly TraceField[]): TraceField {
  return children === undefined ? { name, value } : { name, value, children };
}

function bytesField(name: string, bytes: Uint8Array): TraceField {
  return field(name, bytes.length === 0 ? '(empty)' : toHex(bytes));
}

/** `0x0303 (TLS 1.2)` style. */
function version(code: number): string {
  const name = protocolVersionName(code);
  const pretty = name.startsWith('TLS') ? `TLS ${name.slice(3, 4)}.${name.slice(4)}` : name;
  return `0x${code.toString(16).padStart(4, '0')} (${pretty})`;
}

function quoted(bytes: Uint8Array): string {
  return `"${text.decode(bytes)}"`;
}

/** What a hybrid share is made of (draft-ietf-tls-ecdhe-mlkem §3); empty for other groups. */
function shareLayout(group: number, from: 'client' | 'server'): string {
  const kem = from === 'client' ? 'ML-KEM-768 encapsulation key (1184)' : 'ML-KEM-768 ciphertext (1088)';
  if (group === NamedGroup.X25519MLKEM768) return `: ${kem} then X25519 key (32)`;
  if (group === NamedGroup.SecP256r1MLKEM768) return `: P-256 point (65) then ${kem}`;
  return '';
}

/** An extension by name with its decoded content. */
function extensionField(e: AnyExtension): TraceField {
  switch (e.type) {
    case 'server_name':
      return 'serverNames' in e ? field('server_name', e.serverNames.map((n) => text.decode(n.name)).join(', ')) : field('server_name', '(acknowledged)');
    case 'supported_groups':
      return field('supported_groups', e.groups.map(namedGroupName).join(', '));
    case 'signature_algorithms':
      return field('signature_algorithms', e.schemes.map(signatureSchemeName).join(', '));
    case 'signature_algorithms_cert':
      return field('signature_algorithms_cert', e.schemes.map(signatureSchemeName).join(', '));
    case 'supported_versions':
      return 'versions' in e ? field('supported_versions', e.versions.map(version).join(', ')) : field('supported_versions', version(e.selectedVersion));
    case 'key_share':
      if ('shares' in e) {
        return field(
          'key_share',
          e.shares.map((s) => namedGroupName(s.group)).join(', ') || '(none: asks the server to choose)',
          e.shares.map((s) => field(namedGroupName(s.group), `${toHex(s.keyExchange)} (${s.keyExchange.length} bytes, public${shareLayout(s.group, 'client')})`)),
        );
      }
      if ('share' in e) {
        return field('key_share', namedGroupName(e.share.group), [
          field(namedGroupName(e.share.group), `${toHex(e.share.keyExchange)} (${e.share.keyExchange.length} bytes, public${shareLayout(e.share.group, 'server')})`),
        ]);
      }
      return field('key_share', `selected_group ${namedGroupName(e.selectedGroup)}`);
    case 'application_layer_protocol_negotiation':
      return 'protocols' in e ? field('alpn', e.protocols.map(quoted).join(', ')) : field('alpn', quoted(e.protocol));
    case 'psk_key_exchange_modes':
      return field('psk_key_exchange_modes', e.modes.map((m) => (m === 1 ? 'psk_dhe_ke' : m === 0 ? 'psk_ke' : String(m))).join(', '));
    case 'cookie':
      return bytesField('cookie', e.cookie);
    case 'pre_shared_key':
      return 'identities' in e ? field('pre_shared_key', `${e.identities.length} identities`) : field('pre_shared_key', `selected_identity ${e.selectedIdentity}`);
    case 'early_data':
      return field('early_data', 'maxEarlyDataSize' in e ? `max_early_data_size ${e.maxEarlyDataSize}` : '(indication)');
    case 'post_handshake_auth':
      return field('post_handshake_auth', '(offered)');
    case 'certificate_authorities':
      return field('certificate_authorities', `${e.authorities.length} names`);
    case 'record_size_limit':
      return field('record_size_limit', String(e.limit));
    case 'raw':
      return field(extensionName(e.code), `${e.data.length} bytes${e.data.length > 0 ? `: ${toHex(e.data)}` : ''}`);
  }
}

function extensionsField(list: readonly AnyExtension[]): TraceField {
  return field('extensions', list.length === 0 ? '(none)' : `${list.length}`, list.map(extensionField));
}

function dateText(d: Date): string {
  return Number.isNaN(d.getTime()) ? 'invalid' : `${d.toISOString().slice(0, 19)}Z`;
}

function publicKeyText(c: Certificate): string {
  const k = c.publicKey;
  switch (k.type) {
    case 'rsa':
      return `RSA ${k.bits} bits`;
    case 'ec':
      return `ECDSA ${k.curve}`;
    case 'ed25519':
      return 'Ed25519';
    case 'unsupported':
      return `unsupported (${k.algorithm})`;
  }
}

/** Subject, issuer, validity, names and key of one certificate. */
export function certificateFields(der: Uint8Array): TraceField[] {
  let c: Certificate;
  try {
    c = parseCertificate(der);
  } catch (e) {
    return [field('unparsable', e instanceof Error ? e.message : String(e))];
  }
  const out: TraceField[] = [
    field('subject', c.subject.text || '(empty)'),
    field('issuer', c.issuer.text || '(empty)'),
    field('validity', `${dateText(c.notBefore)} to ${dateText(c.notAfter)}`),
  ];
  const san = c.subjectAltName;
  if (san !== undefined) {
    const names = [...san.dnsNames.map((n) => `DNS:${n}`), ...san.ipAddresses.map((ip) => `IP:${formatIpAddress(ip)}`)];
    out.push(field('subjectAltName', names.join(', ') || '(none)'));
  }
  out.push(field('public key', publicKeyText(c)));
  out.push(field('signed with', c.signatureAlgorithm.name));
  if (c.basicConstraints?.ca === true) out.push(field('CA', 'yes'));
  out.push(field('serial', toHex(c.serialNumber)));
  return out;
}

/**
 * The fields of a handshake message.
 * @example handshakeFields(clientHello).map((f) => f.name) // ['legacy_version', 'random', ...]
 */
export function handshakeFields(m: HandshakeMessage): TraceField[] {
  switch (m.type) {
    case 'client_hello':
      return [
        field('legacy_version', version(m.legacyVersion)),
        bytesField('random', m.random),
        bytesField('legacy_session_id', m.legacySessionId),
        field('cipher_suites', m.cipherSuites.map(cipherSuiteName).join(', ')),
        extensionsField(m.extensions),
      ];
    case 'server_hello':
      return [
        field('legacy_version', version(m.legacyVersion)),
        bytesField('random', m.random),
        bytesField('legacy_session_id_echo', m.legacySessionIdEcho),
        field('cipher_suite', cipherSuiteName(m.cipherSuite)),
        extensionsField(m.extensions),
      ];
    case 'hello_retry_request':
      return [field('cipher_suite', cipherSuiteName(m.cipherSuite)), bytesField('legacy_session_id_echo', m.legacySessionIdEcho), extensionsField(m.extensions)];
    case 'encrypted_extensions':
      return [extensionsField(m.extensions)];
    case 'certificate':
      return [
        ...(m.requestContext.length > 0 ? [bytesField('certificate_request_context', m.requestContext)] : []),
        field(
          'certificate_list',
          `${m.entries.length} certificate${m.entries.length === 1 ? '' : 's'}`,
          m.entries.map((e, i) => field(i === 0 ? 'leaf' : `chain[${i}]`, `${e.data.length} bytes DER`, certificateFields(e.data))),
        ),
      ];
    case 'certificate_request':
      return [bytesField('certificate_request_context', m.requestContext), extensionsField(m.extensions)];
    case 'certificate_verify':
      return [field('algorithm', signatureSchemeName(m.algorithm)), field('signature', `${toHex(m.signature)} (${m.signature.length} bytes)`)];
    case 'finished':
      return [field('verify_data', `${toHex(m.verifyData)} (${m.verifyData.length} bytes)`)];
    case 'new_session_ticket':
      return [
        field('ticket_lifetime', `${m.ticketLifetime} s`),
        field('ticket_age_add', String(m.ticketAgeAdd)),
        bytesField('ticket_nonce', m.ticketNonce),
        field('ticket', `${m.ticket.length} bytes`),
        extensionsField(m.extensions),
      ];
    case 'key_update':
      return [field('request_update', m.updateRequested ? 'update_requested' : 'update_not_requested')];
    case 'end_of_early_data':
    case 'hello_request':
    case 'server_hello_done':
      return [];
    case 'server_key_exchange':
      return [
        field('curve_type', 'named_curve (3)'),
        field('namedcurve', namedGroupName(m.namedCurve)),
        bytesField('public', m.publicKey),
        field('algorithm', signatureSchemeName(m.scheme)),
        field('signature', `${toHex(m.signature)} (${m.signature.length} bytes)`),
      ];
    case 'client_key_exchange':
      return [bytesField('ecdh_Yc', m.publicKey)];
  }
}

/** Fields of an alert's two bytes. */
export function alertFields(level: number, code: number): TraceField[] {
  return [field('level', level === 1 ? 'warning (1)' : level === 2 ? 'fatal (2)' : String(level)), field('description', `${alertName(code) ?? 'unknown'} (${code})`)];
}

/** Up to `max` bytes as text, with non-printable bytes as `.`. */
export function preview(bytes: Uint8Array, max = 64): string {
  let s = '';
  for (const b of bytes.subarray(0, max)) s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : b === 0x0d ? '\\r' : b === 0x0a ? '\\n' : '.';
  return bytes.length > max ? `${s}...` : s;
}

export { field as traceField };
