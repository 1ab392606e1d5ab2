// The step and the explanation of each traced event. The story being
// explained is the common one: 1 Client Hello; 2 the server proves who it is
// with a CA-signed certificate; 3 both agree on a session key; 4 everything
// after is encrypted. Its step 3 ("the client encrypts a session key to the
// server's RSA key") is TLS 1.2's static RSA key exchange, which TLS 1.3
// removed (RFC 8446 §1.2); the explanations say so where it matters.

import { NamedGroup, namedGroupName } from '../wire/constants.js';
import type { HandshakeMessage } from '../wire/handshake.js';
import type { TraceStep } from './event.js';

/** Where an event sits in the story and what it means. */
export interface Explanation {
  readonly step: TraceStep;
  readonly text: string;
  readonly rfc: string;
}

/** What the explanations need to know beyond the message. */
export interface ExplainContext {
  /** Who sent the message. */
  readonly from: 'client' | 'server';
  /** The message follows a HelloRetryRequest (a second ClientHello). */
  readonly retried: boolean;
}

function dh(group: number | undefined): string {
  if (group === undefined) return 'an ephemeral (EC)DHE exchange';
  const name = namedGroupName(group);
  if (group === NamedGroup.X25519MLKEM768) return 'a hybrid exchange, ML-KEM-768 (FIPS 203) and X25519 together (draft-ietf-tls-ecdhe-mlkem)';
  if (group === NamedGroup.SecP256r1MLKEM768) return 'a hybrid exchange, P-256 ECDHE and ML-KEM-768 (FIPS 203) together (draft-ietf-tls-ecdhe-mlkem)';
  return name === 'x25519' ? 'an ephemeral X25519 exchange (RFC 7748)' : `an ephemeral ${name} ECDHE exchange`;
}

const HYBRID_WHY =
  ' The first share is post-quantum hybrid: an ML-KEM-768 encapsulation key next to an X25519 key (draft-ietf-tls-ecdhe-mlkem), so the session keys stay secret as long as either holds, even against a quantum computer that decrypts traffic recorded today. ' +
  'The second share, plain x25519, lets a server without ML-KEM answer at once instead of asking for another share (HelloRetryRequest).';

function sharesOf(m: HandshakeMessage): number[] {
  if (m.type !== 'client_hello') return [];
  const ks = m.extensions.find((e) => e.type === 'key_share');
  return ks !== undefined && 'shares' in ks ? ks.shares.map((s) => s.group) : [];
}

/**
 * The step and explanation of a handshake message.
 * @example explainHandshake(clientHello, { from: 'client', retried: false }).step // 1
 */
export function explainHandshake(m: HandshakeMessage, ctx: ExplainContext): Explanation {
  switch (m.type) {
    case 'client_hello':
      return ctx.retried
        ? { step: 1, rfc: 'RFC 8446 §4.1.2', text: 'The client says hello again, now with a key share for the group the server asked for; the rest of the offer is unchanged.' }
        : {
            step: 1,
            rfc: 'RFC 8446 §4.1.2',
            text:
              'The client offers TLS 1.3 (supported_versions), its cipher suites and signature schemes, and, unlike TLS 1.2, already the public half of an ephemeral key share. ' +
              'legacy_version stays 0x0303 (TLS 1.2) so that old middleboxes let the message through.' +
              (sharesOf(m)[0] === NamedGroup.X25519MLKEM768 && sharesOf(m).length > 1 ? HYBRID_WHY : ''),
          };
    case 'hello_retry_request':
      return {
        step: 1,
        rfc: 'RFC 8446 §4.1.4',
        text: "The server can use none of the client's key shares and asks for one in another group. It is a ServerHello with a fixed random; the transcript keeps only a hash of the first ClientHello (§4.4.1).",
      };
    case 'server_hello': {
      const share = m.extensions.find((e) => e.type === 'key_share');
      const group = share !== undefined && 'share' in share ? share.share.group : undefined;
      return {
        step: 3,
        rfc: 'RFC 8446 §4.1.3, §7.1',
        text:
          (group === NamedGroup.X25519MLKEM768 || group === NamedGroup.SecP256r1MLKEM768
            ? `The server picks the cipher suite and ${dh(group)}: its share is an ML-KEM ciphertext, a secret encapsulated to the client's ML-KEM key that only the client can open, beside its own ephemeral elliptic-curve key. Both halves' secrets, concatenated, feed the key schedule with the transcript. `
            : `The server picks the cipher suite and sends its own ephemeral public key: ${dh(group)} that each side finishes with its private key, so both compute the same shared secret, and from it and the transcript the session keys. `) +
          "No session key is ever sent: the client encrypting one to the server's RSA key is TLS 1.2's static RSA exchange, removed from TLS 1.3 (§1.2).",
      };
    }
    case 'encrypted_extensions':
      return {
        step: 3,
        rfc: 'RFC 8446 §4.3.1',
        text: 'The first encrypted message: the server answers the extensions not needed to agree on keys (such as ALPN). From here on every handshake message is encrypted under the handshake keys.',
      };
    case 'certificate_request':
      return { step: 2, rfc: 'RFC 8446 §4.3.2', text: 'The server asks the client to prove who it is with a certificate of its own.' };
    case 'certificate':
      return ctx.from === 'server'
        ? {
            step: 2,
            rfc: 'RFC 8446 §4.4.2',
            text:
              "The server's certificate chain, encrypted (in TLS 1.2 it went in the clear). The client checks that it chains to a CA it trusts, is within its validity and names the server (RFC 5280 §6, RFC 6125).",
          }
        : { step: 2, rfc: 'RFC 8446 §4.4.2', text: "The client's certificate chain, in answer to a CertificateRequest (empty: the client has none to offer)." };
    case 'certificate_verify':
      return {
        step: 2,
        rfc: 'RFC 8446 §4.4.3',
        text:
          `The ${ctx.from} signs the hash of the transcript so far with its certificate's private key, proving it holds that key and binding it to this handshake's key exchange. ` +
          'In TLS 1.3 the certificate key only signs; it never encrypts a session key.',
      };
    case 'finished':
      return {
        step: 3,
        rfc: 'RFC 8446 §4.4.4',
        text:
          ctx.from === 'server'
            ? "An HMAC over the whole transcript with a key from the server's handshake secret. The client computes the same value: a match means both derived the same keys and saw the same messages."
            : "The client's HMAC over the transcript. When it checks out, the handshake is complete on both sides and application data flows under the application keys.",
      };
    case 'new_session_ticket':
      return { step: 4, rfc: 'RFC 8446 §4.6.1', text: 'After the handshake, under the application keys: a ticket the client may use to resume the session later.' };
    case 'key_update':
      return { step: 4, rfc: 'RFC 8446 §4.6.3', text: 'The sender switches to the next generation of its traffic keys (§7.2); the old keys are erased.' };
    case 'end_of_early_data':
      return { step: 4, rfc: 'RFC 8446 §4.5', text: 'The end of 0-RTT data.' };
    case 'server_key_exchange':
      return {
        step: 3,
        rfc: 'RFC 8422 §5.4, RFC 5246 §7.4.3',
        text:
          `TLS 1.2: the server's ephemeral public key for ${dh(m.namedCurve)}, signed with its certificate's private key over both randoms and the key, so the client knows the key is the server's and fresh. ` +
          "TLS 1.2 also had RSA key transport, where the client encrypted the session key to the server's RSA key: wasmtls refuses it, because it has no forward secrecy " +
          '(whoever later gets the RSA key decrypts every recorded session), it invites Bleichenbacher-style padding oracles (ROBOT), and RFC 8446 §1.2 removed it.',
      };
    case 'server_hello_done':
      return { step: 3, rfc: 'RFC 5246 §7.4.5', text: "TLS 1.2: the server's first flight is over; it waits for the client's key exchange." };
    case 'client_key_exchange':
      return {
        step: 3,
        rfc: 'RFC 8422 §5.7, RFC 7627 §4',
        text:
          "TLS 1.2: the client's ephemeral public key. Both sides now compute the same ECDHE secret, and from it and the hash of the handshake so far (the extended master secret, RFC 7627) the master secret and the record keys.",
      };
    case 'hello_request':
      return { step: 4, rfc: 'RFC 5246 §7.4.1.1, RFC 5746', text: 'TLS 1.2: the server asks for a renegotiation. wasmtls never renegotiates and answers with a no_renegotiation warning.' };
  }
}

/** Step and explanation of a TLS 1.2 ChangeCipherSpec (RFC 5246 §7.1). */
export const TLS12_CCS_EXPLANATION: Explanation = {
  step: 3,
  rfc: 'RFC 5246 §7.1',
  text: 'TLS 1.2: ChangeCipherSpec switches this direction to the new keys. Every record after it, starting with Finished, is encrypted and authenticated.',
};

/** The explanation of a key derivation milestone (generation 1: handshake keys, 2: application keys, 3+: KeyUpdate). */
export function explainKeys(generation: number, group: number | undefined): Explanation {
  if (generation === 1) {
    return {
      step: 3,
      rfc: 'RFC 8446 §7.1, §7.3',
      text:
        `Both sides now hold the same shared secret from ${dh(group)}, though it never crossed the wire. ` +
        'HKDF turns it and the hash of ClientHello..ServerHello into the handshake traffic secrets, one per direction, and each into an AEAD key and IV.',
    };
  }
  if (generation === 2) {
    return {
      step: 3,
      rfc: 'RFC 8446 §7.1, §7.3',
      text: "The application traffic secrets come from the master secret and the transcript through the server's Finished. These keys protect all application data.",
    };
  }
  return { step: 4, rfc: 'RFC 8446 §7.2', text: 'The next generation of traffic keys, derived from the previous secret (KeyUpdate).' };
}

/** Step and explanation of the dummy change_cipher_spec. */
export const CCS_EXPLANATION: Explanation = {
  step: 3,
  rfc: 'RFC 8446 §D.4, §5',
  text: 'A dummy change_cipher_spec so that middleboxes see what looks like a TLS 1.2 session resumption. It means nothing in TLS 1.3 and the peer drops it.',
};

/** Step and explanation of the first application data record in a direction. */
export const APPLICATION_DATA_EXPLANATION: Explanation = {
  step: 4,
  rfc: 'RFC 8446 §5.2',
  text:
    'The first application data record in this direction, sealed with the AEAD under the application traffic key. On the wire it is opaque_type application_data with version 0x0303; ' +
    'its real content type is inside the encryption. Every later record is protected the same way.',
};

/** The same for TLS 1.2 (RFC 5246 §6.2.3.3). */
export const TLS12_APPLICATION_DATA_EXPLANATION: Explanation = {
  step: 4,
  rfc: 'RFC 5246 §6.2.3.3, RFC 5288 §3, RFC 7905 §2',
  text:
    'The first application data record in this direction, sealed with the AEAD under the key from the TLS 1.2 key block. Unlike TLS 1.3 the content type stays in the clear in the header; ' +
    'the additional data is the sequence number and that header, and AES-GCM records start with an 8-byte explicit nonce.',
};

/** Step and explanation of an alert. */
export function explainAlert(code: number, connected: boolean, step: TraceStep): Explanation {
  if (code === 0) {
    return {
      step: connected ? 4 : step,
      rfc: 'RFC 8446 §6.1',
      text: 'close_notify: the sender will send nothing more. Encrypted like every record now; a connection that ends without it is a truncation.',
    };
  }
  return { step: connected ? 4 : step, rfc: 'RFC 8446 §6.2', text: 'An error alert: the connection ends here.' };
}
