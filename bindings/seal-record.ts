// The slow half of the AEADs' `sealRecord` (the TLS record fast path): inputs
// larger than the WASM IO buffer are sealed through the ordinary `seal`.

/**
 * `header || seal(nonce, content || type, header)`, built in JavaScript
 * memory; the inner plaintext copy is zeroed afterwards. Used by AesGcm and
 * ChaCha20Poly1305 when the record does not fit their one-pass path.
 */
export function sealRecordViaSeal(
  seal: (nonce: Uint8Array, plaintext: Uint8Array, additionalData: Uint8Array) => Uint8Array,
  nonce: Uint8Array,
  header: Uint8Array,
  content: Uint8Array,
  type: number,
): Uint8Array {
  const inner = new Uint8Array(content.length + 1);
  inner.set(content);
  inner[content.length] = type;
  const sealed = seal(nonce, inner, header);
  inner.fill(0);
  const out = new Uint8Array(header.length + sealed.length);
  out.set(header);
  out.set(sealed, header.length);
  return out;
}
