// Object identifiers used by the X.509 layer, with the document defining each.

/** Signature algorithms. */
export const SIG = {
  // RFC 5758 §3.2
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  // RFC 4055 §5, RFC 8017 appendix C
  sha256WithRsa: '1.2.840.113549.1.1.11',
  sha384WithRsa: '1.2.840.113549.1.1.12',
  sha512WithRsa: '1.2.840.113549.1.1.13',
  sha1WithRsa: '1.2.840.113549.1.1.5',
  // RFC 4055 §3.1
  rsassaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  // RFC 8410 §3
  ed25519: '1.3.101.112',
  ed448: '1.3.101.113',
} as const;

/** Hash algorithms (RFC 5754 §2, RFC 3279 §2.1). */
export const HASH = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
} as const;

/** Public key algorithms and curves. */
export const KEY = {
  // RFC 3279 §2.3.1
  rsaEncryption: '1.2.840.113549.1.1.1',
  // RFC 5480 §2.1.1, §2.1.1.1
  ecPublicKey: '1.2.840.10045.2.1',
  p256: '1.2.840.10045.3.1.7',
  p384: '1.3.132.0.34',
  p521: '1.3.132.0.35',
  // RFC 8410 §3
  ed25519: '1.3.101.112',
} as const;

/** Certificate extensions (RFC 5280 §4.2). */
export const EXT = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  nameConstraints: '2.5.29.30',
  certificatePolicies: '2.5.29.32',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  policyConstraints: '2.5.29.36',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
} as const;

/** CRL and CRL entry extensions (RFC 5280 §5.2, §5.3). */
export const CRL_EXT = {
  cRLNumber: '2.5.29.20',
  deltaCRLIndicator: '2.5.29.27',
  issuingDistributionPoint: '2.5.29.28',
  freshestCRL: '2.5.29.46',
  reasonCode: '2.5.29.21',
  invalidityDate: '2.5.29.24',
  certificateIssuer: '2.5.29.29',
} as const;

/** Extended key usage purposes (RFC 5280 §4.2.1.12). */
export const EKU = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  any: '2.5.29.37.0',
} as const;

/** Attribute types with the short names of RFC 4514 §3. */
export const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '2.5.4.9': 'STREET',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
};

/** Attribute type OIDs by short name. */
export const ATTRIBUTE = {
  commonName: '2.5.4.3',
  country: '2.5.4.6',
  organization: '2.5.4.10',
} as const;

/** Readable names for OIDs that appear in error messages. */
export const OID_NAMES: Readonly<Record<string, string>> = {
  [SIG.ecdsaWithSha256]: 'ecdsa-with-SHA256',
  [SIG.ecdsaWithSha384]: 'ecdsa-with-SHA384',
  [SIG.ecdsaWithSha512]: 'ecdsa-with-SHA512',
  [SIG.sha256WithRsa]: 'sha256WithRSAEncryption',
  [SIG.sha384WithRsa]: 'sha384WithRSAEncryption',
  [SIG.sha512WithRsa]: 'sha512WithRSAEncryption',
  [SIG.sha1WithRsa]: 'sha1WithRSAEncryption',
  [SIG.rsassaPss]: 'RSASSA-PSS',
  [SIG.ed25519]: 'Ed25519',
  [SIG.ed448]: 'Ed448',
  [HASH.sha1]: 'SHA-1',
  [KEY.rsaEncryption]: 'rsaEncryption',
  [KEY.ecPublicKey]: 'id-ecPublicKey',
  [KEY.p256]: 'P-256',
  [KEY.p384]: 'P-384',
  [KEY.p521]: 'P-521',
  '1.2.840.10040.4.1': 'DSA',
  [EXT.nameConstraints]: 'nameConstraints',
  [EXT.certificatePolicies]: 'certificatePolicies',
  [EXT.policyConstraints]: 'policyConstraints',
  [CRL_EXT.deltaCRLIndicator]: 'deltaCRLIndicator',
  [CRL_EXT.issuingDistributionPoint]: 'issuingDistributionPoint',
  [CRL_EXT.certificateIssuer]: 'certificateIssuer',
  [EKU.serverAuth]: 'serverAuth',
  [EKU.clientAuth]: 'clientAuth',
  [EKU.any]: 'anyExtendedKeyUsage',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
};

/** `name (oid)` when the OID has a known name, else the dotted OID. */
export function describeOid(oid: string): string {
  const name = OID_NAMES[oid];
  return name === undefined ? oid : `${name} (${oid})`;
}
