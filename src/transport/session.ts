/**
 * The lifecycle every transport adapter shares (the WHATWG stream socket of
 * src/transport/streams.ts, the TCP connection of src/transport/tcp.ts, and
 * through it node:tls's `TLSSocket` of src/node/): the `opened` and `closed`
 * promises, settled once each and never an unhandled rejection; the
 * handshake timer; the first error kept; one coded-error helper and one
 * default handshake timeout. No protocol logic: that is the engine's.
 * @module
 */
import type { HandshakeInfo } from '../types.js';

/** Default handshake timeout of every transport: a peer that has not finished its handshake by then is dropped (node:tls's 120 s). */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 120_000;

/** A Node-style error with a `code`, as node:net and node:tls make them. */
export function codedError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

/**
 * The `handshakeTimeout` option: a non-negative integer of milliseconds (0
 * disables the timer), or the default; a RangeError naming it otherwise.
 * @example handshakeTimeoutOption(options.handshakeTimeout) // 120000
 */
export function handshakeTimeoutOption(value: unknown, name = 'handshakeTimeout'): number {
  const v = value ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer (milliseconds), got ${String(v)}`);
  return v;
}

const noop = (): void => undefined;

/**
 * One connection's lifecycle. `opened` resolves with the handshake result
 * or rejects with the first error; `closed` settles when the adapter has
 * closed its transport: resolves after a clean close, rejects with the
 * first error.
 *
 * @example
 * const life = new SessionLifecycle(timeoutMs, () => fail(codedError('ETIMEDOUT', 'handshake timed out')));
 * tls.on('handshake', (info) => life.handshake(info));
 * tls.on('error', (e) => { if (life.fail(e)) flushAndClose(); });
 */
export class SessionLifecycle {
  readonly opened: Promise<HandshakeInfo>;
  readonly closed: Promise<void>;
  #handshakeDone = false;
  #finished = false;
  #error: Error | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #resolveOpened!: (info: HandshakeInfo) => void;
  #rejectOpened!: (e: Error) => void;
  #resolveClosed!: () => void;
  #rejectClosed!: (e: Error) => void;

  /**
   * @param timeoutMs the handshake timeout (0: none)
   * @param onTimeout called once if the handshake has not completed in time
   */
  constructor(timeoutMs: number, onTimeout: () => void) {
    this.opened = new Promise((resolve, reject) => {
      this.#resolveOpened = resolve;
      this.#rejectOpened = reject;
    });
    this.closed = new Promise((resolve, reject) => {
      this.#resolveClosed = resolve;
      this.#rejectClosed = reject;
    });
    // The caller may await only one of them; neither may be an unhandled rejection.
    this.opened.catch(noop);
    this.closed.catch(noop);
    if (timeoutMs > 0) this.#timer = setTimeout(onTimeout, timeoutMs);
  }

  /** True once the handshake completed. */
  get handshakeDone(): boolean {
    return this.#handshakeDone;
  }

  /** The first error, if any. */
  get error(): Error | undefined {
    return this.#error;
  }

  /** True once {@link SessionLifecycle.finish} ran. */
  get finished(): boolean {
    return this.#finished;
  }

  /** The handshake completed: resolves `opened`, stops the timer. */
  handshake(info: HandshakeInfo): void {
    this.#handshakeDone = true;
    this.clearTimer();
    this.#resolveOpened(info);
  }

  /** Records the first error (and rejects `opened` if the handshake is pending); false if there already was one or the session finished. */
  fail(error: Error): boolean {
    if (this.#error !== undefined || this.#finished) return false;
    this.#error = error;
    this.clearTimer();
    if (!this.#handshakeDone) this.#rejectOpened(error);
    return true;
  }

  /**
   * The transport is closed: settles `closed` (rejects with the first
   * error, else resolves) and rejects a pending `opened` with
   * `notOpened` (the error, else this).
   */
  finish(notOpened: () => Error): void {
    if (this.#finished) return;
    this.#finished = true;
    this.clearTimer();
    const error = this.#error;
    if (!this.#handshakeDone) this.#rejectOpened(error ?? notOpened());
    if (error !== undefined) this.#rejectClosed(error);
    else this.#resolveClosed();
  }

  /** Stops the handshake timer (an adapter that runs its own, as node:tls's TLSSocket). */
  clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
