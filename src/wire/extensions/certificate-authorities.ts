// certificate_authorities (RFC 8446 §4.2.4): ClientHello and CertificateRequest.

import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';

/**
 * `DistinguishedName authorities<3..2^16-1>` with
 * `opaque DistinguishedName<1..2^16-1>` (DER X.501 names, not parsed here).
 */
export interface CertificateAuthorities {
  type: 'certificate_authorities';
  authorities: Uint8Array[];
}

/** Reads certificate_authorities. */
export function readCertificateAuthorities(r: Reader): CertificateAuthorities {
  const list = r.vec16('authorities', 3, 0xffff);
  const authorities: Uint8Array[] = [];
  while (!list.isEmpty) authorities.push(list.opaque16('DistinguishedName', 1, 0xffff));
  return { type: 'certificate_authorities', authorities };
}

/** Writes certificate_authorities. */
export function writeCertificateAuthorities(w: Writer, e: CertificateAuthorities): void {
  w.vec16('authorities', 3, 0xffff, () => {
    for (const dn of e.authorities) w.opaque16('DistinguishedName', dn, 1, 0xffff);
  });
}
