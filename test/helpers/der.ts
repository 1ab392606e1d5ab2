// A minimal DER reader for the RSA private keys of the test vectors:
// PKCS #8 PrivateKeyInfo (RFC 5208 §5) wrapping RSAPrivateKey (RFC 8017
// §A.1.2). Definite lengths only; anything unexpected throws.

interface Tlv {
  tag: number;
  body: Uint8Array;
  /** Offset just past this element in the input. */
  end: number;
}

function readTlv(der: Uint8Array, at: number): Tlv {
  const tag = der[at]!;
  let len = der[at + 1]!;
  let p = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error(`DER: unsupported length form at ${at}`);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[p++]!;
  }
  if (p + len > der.length) throw new Error(`DER: element at ${at} overruns its input`);
  return { tag, body: der.subarray(p, p + len), end: p + len };
}

/** The elements of a constructed body, checking each tag. */
function children(body: Uint8Array, tags: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  for (const want of tags) {
    const t = readTlv(body, at);
    if (t.tag !== want) throw new Error(`DER: tag ${t.tag.toString(16)} where ${want.toString(16)} was expected`);
    out.push(t.body);
    at = t.end;
  }
  return out;
}

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const OCTET_STRING = 0x04;
const OID = 0x06;
const NULL = 0x05;

/** The RSA key fields of a PKCS #8 RSA private key, as big-endian bytes (sign bytes kept). */
export interface RsaPrivateKeyFields {
  n: Uint8Array;
  e: Uint8Array;
  d: Uint8Array;
  p: Uint8Array;
  q: Uint8Array;
  dp: Uint8Array;
  dq: Uint8Array;
  qi: Uint8Array;
}

/** Parses PrivateKeyInfo { version, AlgorithmIdentifier { rsaEncryption, NULL }, OCTET STRING { RSAPrivateKey } }. */
export function parsePkcs8RsaKey(der: Uint8Array): RsaPrivateKeyFields {
  const outer = readTlv(der, 0);
  if (outer.tag !== SEQUENCE || outer.end !== der.length) throw new Error('DER: PrivateKeyInfo must be one SEQUENCE');
  const [, alg, key] = children(outer.body, [INTEGER, SEQUENCE, OCTET_STRING]);
  const [oid] = children(alg!, [OID, NULL]);
  // 1.2.840.113549.1.1.1 rsaEncryption
  if (Array.from(oid!, (b) => b.toString(16).padStart(2, '0')).join('') !== '2a864886f70d010101') {
    throw new Error('DER: not an rsaEncryption key');
  }
  const rsaKey = readTlv(key!, 0);
  if (rsaKey.tag !== SEQUENCE) throw new Error('DER: RSAPrivateKey must be a SEQUENCE');
  const [, n, e, d, p, q, dp, dq, qi] = children(rsaKey.body, Array(9).fill(INTEGER));
  return { n: n!, e: e!, d: d!, p: p!, q: q!, dp: dp!, dq: dq!, qi: qi! };
}
