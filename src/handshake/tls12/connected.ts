// TLS 1.2 after the handshake (RFC 5246 §7.4.1, RFC 5746): application data
// flows under the record keys, which never change (TLS 1.2 has no KeyUpdate).
// Renegotiation is never performed: a HelloRequest (client) or a ClientHello
// (server) is answered with a no_renegotiation warning and the connection
// goes on (RFC 5246 §7.2.2), as rustls does. Built only with the proof that
// the peer's Finished verified.

import { AlertDescription, TlsError } from '../../errors.js';
import { HandshakeType } from '../../wire/constants.js';
import type { HandshakeMessage } from '../../wire/handshake.js';
import type { HandshakeContext, HandshakeState } from '../common.js';
import type { MasterSecret } from './key-schedule.js';
import type { Finished12Verified } from './proofs.js';

/** Renegotiation requests refused before the peer is cut off (each costs an alert). */
export const MAX_RENEGOTIATION_REFUSALS = 4;

/** Both sides after a TLS 1.2 handshake. */
export class Connected12 implements HandshakeState {
  readonly name = 'Connected12';
  readonly tls12 = true;
  readonly hashLength = 12;
  readonly expects: readonly number[];
  readonly #master: MasterSecret;
  readonly #clientRandom: Uint8Array;
  readonly #serverRandom: Uint8Array;
  #refusals = 0;

  /** @param _peerFinished proof that the peer's Finished verified */
  constructor(_peerFinished: Finished12Verified, side: 'client' | 'server', master: MasterSecret, clientRandom: Uint8Array, serverRandom: Uint8Array) {
    this.expects = side === 'client' ? [HandshakeType.hello_request] : [HandshakeType.client_hello];
    this.#master = master;
    this.#clientRandom = clientRandom;
    this.#serverRandom = serverRandom;
  }

  handle(ctx: HandshakeContext, m: HandshakeMessage): HandshakeState {
    if (m.type !== 'hello_request' && m.type !== 'client_hello') throw new TlsError('unexpected_message', `${m.type} after the handshake`);
    if (++this.#refusals > MAX_RENEGOTIATION_REFUSALS) {
      throw new TlsError('unexpected_message', `more than ${MAX_RENEGOTIATION_REFUSALS} renegotiation attempts; wasmtls never renegotiates`);
    }
    // RFC 5246 §7.2.2 and §7.4.1.1: refuse with a no_renegotiation warning.
    if (ctx.writable) ctx.sendWarningAlert(AlertDescription.no_renegotiation);
    return this;
  }

  /** RFC 5705 exporter; `context` undefined is "no context". */
  exportKeyingMaterial(label: string, context: Uint8Array | undefined, length: number): Uint8Array {
    return this.#master.export(label, this.#clientRandom, this.#serverRandom, context, length);
  }

  /** Wipes the master secret. */
  wipe(): void {
    this.#master.wipe();
  }
}
