// The connected state, both sides (RFC 8446 §4.6): post-handshake messages
// under the application traffic secrets. It cannot be built without the
// FinishedVerified proof of the peer's Finished.

import { TlsError } from '../errors.js';
import type { ApplicationTrafficSecret, Exporter } from '../keyschedule.js';
import { HandshakeType } from '../wire/constants.js';
import type { HandshakeMessage } from '../wire/handshake.js';
import type { HandshakeContext, HandshakeState } from './common.js';
import type { FinishedVerified } from './finished.js';

/**
 * KeyUpdates accepted in a row with no application data between them; a
 * peer flooding them (each update_requested one costs us a KeyUpdate of our
 * own) gets unexpected_message.
 */
export const MAX_KEY_UPDATES_IN_A_ROW = 32;

/** Both sides after the handshake: KeyUpdate both ways; the client also takes NewSessionTicket. */
export class Connected implements HandshakeState {
  readonly name = 'Connected';
  readonly expects: readonly number[];
  readonly #suite: number;
  #read: ApplicationTrafficSecret;
  #write: ApplicationTrafficSecret;
  readonly #exporter: Exporter;
  #updatesInARow = 0;
  /** The peer asked for a KeyUpdate (§4.6.3) that we have not sent yet. */
  #answerDue = false;

  /**
   * @param _peerFinished proof that the peer's Finished verified
   * @param side this endpoint's role: a client also accepts NewSessionTicket
   */
  constructor(
    _peerFinished: FinishedVerified,
    side: 'client' | 'server',
    suite: number,
    read: ApplicationTrafficSecret,
    write: ApplicationTrafficSecret,
    exporter: Exporter,
  ) {
    this.expects = side === 'client' ? [HandshakeType.new_session_ticket, HandshakeType.key_update] : [HandshakeType.key_update];
    this.#suite = suite;
    this.#read = read;
    this.#write = write;
    this.#exporter = exporter;
  }

  handle(ctx: HandshakeContext, message: HandshakeMessage): HandshakeState {
    if (message.type === 'new_session_ticket') {
      // Resumption is not implemented: a well-formed ticket is dropped (§4.6.1 lets a client ignore it).
      return this;
    }
    if (message.type !== 'key_update') throw new TlsError('unexpected_message', `${message.type} after the handshake`);
    if (++this.#updatesInARow > MAX_KEY_UPDATES_IN_A_ROW) {
      throw new TlsError('unexpected_message', `KeyUpdate: more than ${MAX_KEY_UPDATES_IN_A_ROW} in a row without application data`);
    }
    // §4.6.3: answer update_requested with our own update_not_requested
    // before our next application data record; not after we have sent
    // close_notify. Several requests received before we send are answered
    // with one update (the engine calls answerKeyUpdate once the input is
    // processed, and before sealing application data).
    if (message.updateRequested && ctx.writable) this.#answerDue = true;
    this.#read = this.#read.next();
    ctx.setReadKey(this.#suite, this.#read, 'application');
    return this;
  }

  /** Application data arrived: the KeyUpdate run is over. */
  noteApplicationData(): void {
    this.#updatesInARow = 0;
  }

  /** Sends the KeyUpdate the peer asked for, if one is due (§4.6.3). */
  answerKeyUpdate(ctx: HandshakeContext): void {
    if (!this.#answerDue) return;
    this.#answerDue = false;
    if (ctx.writable) this.sendKeyUpdate(ctx, false);
  }

  /**
   * Sends KeyUpdate under the current key, then switches to
   * application_traffic_secret_N+1 (§4.6.3, §7.2). It answers any update
   * the peer requested.
   */
  sendKeyUpdate(ctx: HandshakeContext, requestPeer: boolean): void {
    this.#answerDue = false;
    ctx.sendHandshake({ type: 'key_update', updateRequested: requestPeer });
    this.#write = this.#write.next();
    ctx.setWriteKey(this.#suite, this.#write);
  }

  /** TLS-Exporter (RFC 8446 §7.5). */
  exportKeyingMaterial(label: string, context: Uint8Array, length: number): Uint8Array {
    return this.#exporter.export(label, context, length);
  }

  /** Wipes the traffic and exporter secrets. */
  wipe(): void {
    this.#read.wipe();
    this.#write.wipe();
    this.#exporter.wipe();
  }
}
