// A small certificate and CRL generator for the rule tests (issue 15): every
// field and extension under the test's control, encoded with the x509 DER
// writer and signed with ECDSA P-256 / SHA-256 by node:crypto. Certificates
// are valid 2025-01-01 to 2045-01-01; tests validate at AT (2030-06-01).
import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { type Certificate, type CertificateRevocationList, parseCertificate, parseCrl, type ValidationOptions } from '../../src/x509/index.js';
import * as w from '../../src/x509/der-writer.js';
import { parseIpAddress } from '../../src/x509/hostname.js';
import { ATTRIBUTE, EKU, EXT, KEY, SIG } from '../../src/x509/oids.js';
import { nodeVerifier } from '../helpers/node-verifier.js';
import { AT } from '../helpers/x509-fixtures.js';

export { AT };

const ALG = w.sequence(w.oid(SIG.ecdsaWithSha256));
const NOT_BEFORE = new Date('2025-01-01T00:00:00Z');
const NOT_AFTER = new Date('2045-01-01T00:00:00Z');
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A certificate with its private key. */
export interface Issued {
  readonly cert: Certificate;
  readonly key: KeyObject;
  readonly point: Uint8Array;
}

/** A P-256 key pair and its uncompressed point. */
export function newKey(): { key: KeyObject; point: Uint8Array } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return { key: privateKey, point: new Uint8Array(spki.subarray(spki.length - 65)) };
}

/** A Name: RDNs from the most general, each `[oid, value]` as a UTF8String (PrintableString for C). */
export function name(...attrs: [string, string][]): Uint8Array {
  return w.sequence(
    ...attrs.map(([oid, value]) => w.set(w.sequence(w.oid(oid), oid === ATTRIBUTE.country ? w.printableString(value) : w.utf8String(value)))),
  );
}

/** CN=`cn`, O=wasmtls rules. */
export function cnName(cn: string): Uint8Array {
  return name([ATTRIBUTE.organization, 'wasmtls rules'], [ATTRIBUTE.commonName, cn]);
}

/** GeneralName encodings (RFC 5280 §4.2.1.6, IMPLICIT tags; directoryName is EXPLICIT). */
export const gn = {
  email: (s: string): Uint8Array => w.implicit(1, enc(s)),
  dns: (s: string): Uint8Array => w.implicit(2, enc(s)),
  uri: (s: string): Uint8Array => w.implicit(6, enc(s)),
  dir: (nameDer: Uint8Array): Uint8Array => w.explicit(4, nameDer),
  /** An address (`10.1.2.3`, `::1`) or, for constraints, `address/prefix`. */
  ip: (s: string): Uint8Array => {
    const [addr, prefix] = s.split('/') as [string, string | undefined];
    const bytes = parseIpAddress(addr);
    if (bytes === undefined) throw new Error(`bad IP ${addr}`);
    if (prefix === undefined) return w.implicit(7, bytes);
    const mask = new Uint8Array(bytes.length);
    for (let i = 0; i < Number(prefix); i++) mask[i >> 3] = (mask[i >> 3] as number) | (0x80 >> (i & 7));
    return w.implicit(7, Uint8Array.from([...bytes, ...mask]));
  },
  registeredId: (oid: string): Uint8Array => w.implicit(8, w.oid(oid).subarray(2)),
  otherName: (): Uint8Array => w.implicit(0, Uint8Array.from([...w.oid('1.3.6.1.4.1.55555.9'), ...w.explicit(0, w.utf8String('x'))]), true),
};

/** An Extension (RFC 5280 §4.1.2.9). */
export function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? w.sequence(w.oid(oid), w.boolean(true), w.octetString(value)) : w.sequence(w.oid(oid), w.octetString(value));
}

/** nameConstraints' extnValue. */
export function nameConstraintsValue(permitted: readonly Uint8Array[] | undefined, excluded: readonly Uint8Array[] | undefined): Uint8Array {
  const subtrees = (list: readonly Uint8Array[]): Uint8Array[] => list.map((g) => w.sequence(g));
  const parts: Uint8Array[] = [];
  if (permitted !== undefined) parts.push(w.implicit(0, Uint8Array.from(subtrees(permitted).flatMap((x) => [...x])), true));
  if (excluded !== undefined) parts.push(w.implicit(1, Uint8Array.from(subtrees(excluded).flatMap((x) => [...x])), true));
  return w.sequence(...parts);
}

/** Everything a test may set; unset fields get a conforming default for the certificate's kind. */
export interface Spec {
  /** Issued by this; self-signed when absent. */
  readonly issuer?: Issued;
  /** A Name DER (see {@link cnName}); default CN=`Test <n>`. */
  readonly subject?: Uint8Array;
  /** A CA (default for self-signed) or an end entity (default otherwise). */
  readonly ca?: boolean;
  readonly pathLen?: number;
  /** basicConstraints: critical (default), non-critical, or absent. */
  readonly bc?: 'critical' | 'noncritical' | 'absent';
  /** keyUsage bit numbers; default [5, 6] for a CA, [0] otherwise; null for none. */
  readonly keyUsage?: readonly number[] | null;
  /** extKeyUsage OIDs; default [serverAuth] for an end entity, none for a CA. null for none. */
  readonly eku?: readonly string[] | null;
  readonly ekuCritical?: boolean;
  /** subjectAltName GeneralNames (see {@link gn}); default one dNSName `leaf.example.com` for an end entity; null for none. */
  readonly san?: readonly Uint8Array[] | null;
  readonly sanCritical?: boolean;
  readonly ski?: boolean;
  /** authorityKeyIdentifier: default present for a certificate that is not self-signed. */
  readonly aki?: 'present' | 'critical' | 'absent';
  readonly nameConstraints?: { permitted?: readonly Uint8Array[]; excluded?: readonly Uint8Array[]; critical?: boolean };
  /** More extensions, as encoded by {@link extension}. */
  readonly extra?: readonly Uint8Array[];
  /** The serial's INTEGER contents; default 16 random-looking bytes. */
  readonly serial?: Uint8Array;
  /** Use this key instead of a new one (cross-signing). */
  readonly key?: { key: KeyObject; point: Uint8Array };
}

let counter = 0;

function keyId(point: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(point).digest().subarray(0, 20));
}

/** Makes and parses one certificate. */
export function make(spec: Spec = {}): Issued {
  counter++;
  const { key, point } = spec.key ?? newKey();
  const selfSigned = spec.issuer === undefined;
  const ca = spec.ca ?? selfSigned;
  const subject = spec.subject ?? cnName(`Test ${counter}`);
  const issuerName = spec.issuer === undefined ? subject : spec.issuer.cert.subject.der;
  const exts: Uint8Array[] = [];
  const bc = spec.bc ?? 'critical';
  if (bc !== 'absent') {
    const body = ca ? [w.boolean(true), ...(spec.pathLen === undefined ? [] : [w.integer(spec.pathLen)])] : [];
    exts.push(extension(EXT.basicConstraints, bc === 'critical', w.sequence(...body)));
  }
  const ku = spec.keyUsage === undefined ? (ca ? [5, 6] : [0]) : spec.keyUsage;
  if (ku !== null) exts.push(extension(EXT.keyUsage, true, w.namedBits(ku)));
  const eku = spec.eku === undefined ? (ca ? null : [EKU.serverAuth]) : spec.eku;
  if (eku !== null) exts.push(extension(EXT.extKeyUsage, spec.ekuCritical ?? false, w.sequence(...eku.map((o) => w.oid(o)))));
  const san = spec.san === undefined ? (ca ? null : [gn.dns('leaf.example.com')]) : spec.san;
  if (san !== null) exts.push(extension(EXT.subjectAltName, spec.sanCritical ?? false, w.sequence(...san)));
  if (spec.ski ?? true) exts.push(extension(EXT.subjectKeyIdentifier, false, w.octetString(keyId(point))));
  const aki = spec.aki ?? (selfSigned ? 'absent' : 'present');
  if (aki !== 'absent') {
    const id = spec.issuer?.cert.subjectKeyIdentifier ?? keyId(spec.issuer?.point ?? point);
    exts.push(extension(EXT.authorityKeyIdentifier, aki === 'critical', w.sequence(w.implicit(0, id))));
  }
  if (spec.nameConstraints !== undefined) {
    const nc = spec.nameConstraints;
    exts.push(extension(EXT.nameConstraints, nc.critical ?? true, nameConstraintsValue(nc.permitted, nc.excluded)));
  }
  exts.push(...(spec.extra ?? []));
  const serial = spec.serial ?? Uint8Array.from([0x40 | (counter & 0x3f), ...keyId(point).subarray(0, 15)]);
  const tbs = w.sequence(
    w.explicit(0, w.integer(2)),
    w.tlv(0x02, serial),
    ALG,
    issuerName,
    w.sequence(w.time(NOT_BEFORE), w.time(NOT_AFTER)),
    subject,
    w.sequence(w.sequence(w.oid(KEY.ecPublicKey), w.oid(KEY.p256)), w.bitString(point)),
    ...(exts.length > 0 ? [w.explicit(3, w.sequence(...exts))] : []),
  );
  const signer = spec.issuer?.key ?? key;
  const sig = sign('sha256', tbs, { key: signer, dsaEncoding: 'der' });
  return { cert: parseCertificate(w.sequence(tbs, ALG, w.bitString(new Uint8Array(sig)))), key, point };
}

/** A root, an intermediate under it and a leaf under that, each adjustable. */
export function chain(more: { root?: Spec; int?: Spec; leaf?: Spec } = {}): { root: Issued; int: Issued; leaf: Issued } {
  const root = make({ subject: cnName('Rules Root'), ...more.root });
  const int = make({ subject: cnName('Rules Intermediate'), ca: true, issuer: root, ...more.int });
  const leaf = make({ subject: cnName('leaf.example.com'), issuer: int, ...more.leaf });
  return { root, int, leaf };
}

/** Validation options for a chain's root, at AT, signatures by node:crypto. */
export function optionsFor(root: Issued, more: Partial<ValidationOptions> = {}): ValidationOptions {
  return { trustAnchors: [root.cert], verifier: nodeVerifier(), time: AT, ...more };
}

/** Options of {@link makeCrl}. */
export interface CrlSpec {
  readonly issuer: Issued;
  /** Sign with this key instead of the issuer's. */
  readonly signer?: KeyObject;
  readonly revoked?: readonly Uint8Array[];
  readonly thisUpdate?: Date;
  /** null for none. */
  readonly nextUpdate?: Date | null;
  /** More crlExtensions. */
  readonly extensions?: readonly Uint8Array[];
  /** Entry extensions for every entry. */
  readonly entryExtensions?: readonly Uint8Array[];
  /** The issuer Name to write; default the issuer's subject. */
  readonly issuerName?: Uint8Array;
}

/** Makes a v2 CRL (RFC 5280 §5.1) with a cRLNumber and authorityKeyIdentifier; returns its DER and the parsed CRL. */
export function makeCrl(spec: CrlSpec): { der: Uint8Array; crl: CertificateRevocationList } {
  const entries = (spec.revoked ?? []).map((serial) =>
    w.sequence(w.tlv(0x02, serial), w.time(new Date('2026-01-01T00:00:00Z')), ...(spec.entryExtensions === undefined ? [] : [w.sequence(...spec.entryExtensions)])),
  );
  const next = spec.nextUpdate === undefined ? new Date('2031-01-01T00:00:00Z') : spec.nextUpdate;
  const exts = [
    extension('2.5.29.20', false, w.integer(1)),
    extension(EXT.authorityKeyIdentifier, false, w.sequence(w.implicit(0, spec.issuer.cert.subjectKeyIdentifier ?? new Uint8Array(20)))),
    ...(spec.extensions ?? []),
  ];
  const tbs = w.sequence(
    w.integer(1),
    ALG,
    spec.issuerName ?? spec.issuer.cert.subject.der,
    w.time(spec.thisUpdate ?? new Date('2030-01-01T00:00:00Z')),
    ...(next === null ? [] : [w.time(next)]),
    ...(entries.length > 0 ? [w.sequence(...entries)] : []),
    w.explicit(0, w.sequence(...exts)),
  );
  const sig = sign('sha256', tbs, { key: spec.signer ?? spec.issuer.key, dsaEncoding: 'der' });
  const der = w.sequence(tbs, ALG, w.bitString(new Uint8Array(sig)));
  return { der, crl: parseCrl(der) };
}
