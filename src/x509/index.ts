/**
 * wasmtls X.509: certificate and key parsing, chain and hostname validation,
 * and a certificate writer. Signatures are checked and made through injected
 * functions, so this layer holds no cryptography of its own.
 * @module
 */
export { type BitString, type DerElement, DerError, DerReader, MAX_DEPTH, TAG } from './der.js';
export { base64Decode, base64Encode, decodePem, encodePem, type PemBlock, PemError } from './pem.js';
export {
  type AccessDescription,
  type BasicConstraints,
  type Certificate,
  type Extension,
  isSelfIssued,
  KEY_USAGE_BITS,
  type KeyUsage,
  type Name,
  type NameAttribute,
  parseCertificate,
  type PolicyConstraints,
  parseCertificatesPem,
  parseSubjectPublicKeyInfo,
  serialHex,
  type SignatureAlgorithm,
  type SubjectAltName,
  type SubjectPublicKeyInfo,
} from './certificate.js';
export {
  type EcPrivateKey,
  type Ed25519PrivateKey,
  encodePkcs8PrivateKey,
  encodePrivateKeyPem,
  parsePkcs1PrivateKey,
  parsePkcs8PrivateKey,
  parsePrivateKey,
  parseSec1PrivateKey,
  type PrivateKey,
  type RsaPrivateKey,
} from './keys.js';
export {
  checkHostname,
  formatIpAddress,
  matchDnsName,
  matchesHostname,
  parseIpAddress,
  parseReferenceIdentity,
  type ReferenceIdentity,
} from './hostname.js';
export { type CertificateRevocationList, type CrlInput, crlsFrom, parseCrl } from './crl.js';
export {
  type GeneralSubtree,
  MAX_NAME_CONSTRAINT_COMPARISONS,
  type NameConstraints,
  parseNameConstraints,
} from './name-constraints.js';
export { type Profile, PROFILE_RULES, type ProfileRule, type RulePlace } from './profile.js';
export {
  DEFAULT_MAX_INTERMEDIATES,
  DEFAULT_MIN_RSA_BITS,
  MAX_CANDIDATE_ISSUERS,
  MAX_SIGNATURE_CHECKS,
  type SignatureVerifier,
  unsupportedSignature,
  type ValidatedChain,
  validateChain,
  type ValidationOptions,
} from './validate.js';
export {
  type Anchor,
  anchorsFrom,
  type CaInput,
  defaultAnchors,
  isTrustAnchor,
  setDefaultAnchors,
  type TrustAnchor,
  trustAnchorFromDer,
  trustAnchorOf,
} from './trust-anchor.js';
export {
  type CaCertificateOptions,
  type CertificateSign,
  type LeafCertificateOptions,
  type NameInput,
  type WrittenCertificate,
  writeCaCertificate,
  writeLeafCertificate,
} from './writer.js';
