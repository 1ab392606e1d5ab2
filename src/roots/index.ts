/**
 * `wasmtls/roots`: Mozilla's server-authentication root store as trust
 * anchors (subject name and key, RFC 5280 §6.1.1 (d)), taken from Debian's
 * `ca-certificates` package by scripts/gen-roots.mjs; {@link source} says
 * which version and date.
 *
 * Importing this module makes these roots the default `ca` of every client
 * that is given none (a browser page can then open `https://` to a public
 * site). A bundle that does not import it does not contain it.
 *
 * What Mozilla's store says beyond "trusted for server authentication" is
 * not carried: the distrust-after dates some roots have in NSS
 * (CKA_NSS_SERVER_DISTRUST_AFTER) are not applied, as in Debian's bundle.
 *
 * @example
 * ```ts
 * import roots from 'wasmtls/roots';
 * const tls = new TlsClient({ serverName: 'example.com', ca: [...roots, myCaPem] });
 * ```
 * @module
 */
import { setDefaultAnchors, type TrustAnchor, trustAnchorFromBase64 } from '../x509/trust-anchor.js';
import { MOZILLA_ANCHORS, MOZILLA_SOURCE } from './mozilla.generated.js';

/** The roots, parsed at import (148 roots). */
const roots: readonly TrustAnchor[] = Object.freeze(MOZILLA_ANCHORS.map(trustAnchorFromBase64));

setDefaultAnchors(roots);

/** Where the roots come from: Debian package, version, date, Mozilla bundle version, count, source hash. */
export const source = MOZILLA_SOURCE;

export { roots };
export default roots;
