// The events of one connection (src/engine.ts): listeners, and the
// step-by-step trace with its backlog for a `trace` listener that subscribes
// after the first events (the client's ClientHello is sent by its
// constructor). Synchronous, like a Node EventEmitter.

import type { TlsClientConfig, TlsServerConfig } from './config.js';
import { Tracer } from './trace/tracer.js';
import type { TraceEvent, TlsEvents } from './types.js';

type Listeners = { [K in keyof TlsEvents]: TlsEvents[K][] };

/** The trace backlog is bounded: a handshake has about 12 events; beyond that nobody is listening. */
const MAX_TRACE_BACKLOG = 64;

/** Listeners of one connection and its tracer (undefined when tracing is off: nothing is built then). */
export class ConnectionEvents {
  readonly #listeners: Listeners = { handshake: [], data: [], close: [], error: [], trace: [] };
  readonly #sinks: readonly ((event: TraceEvent) => void)[];
  readonly #traceEvents: boolean;
  #backlog: TraceEvent[] = [];
  /** The tracer, when the options ask for a trace. */
  readonly tracer: Tracer | undefined;

  /** @param config the connection's configuration (its trace options, and what the trace says about the certificate check) */
  constructor(config: TlsClientConfig | TlsServerConfig) {
    this.#sinks = config.engine.traceSinks;
    this.#traceEvents = config.engine.traceEvents;
    if (this.#traceEvents || this.#sinks.length > 0) {
      const client = config.side === 'client';
      this.tracer = new Tracer({
        side: config.side,
        emit: (e) => this.#trace(e),
        enforcesCertificate: client ? config.rejectUnauthorized : true,
        serverName: client ? config.serverName : undefined,
      });
    }
  }

  /** True when someone listens for `event`. */
  has(event: keyof TlsEvents): boolean {
    return this.#listeners[event].length > 0;
  }

  on<K extends keyof TlsEvents>(event: K, listener: TlsEvents[K]): void {
    this.#listeners[event].push(listener);
    if (event === 'trace' && this.#backlog.length > 0) {
      const backlog = this.#backlog;
      this.#backlog = [];
      for (const e of backlog) (listener as TlsEvents['trace'])(e);
    }
  }

  off<K extends keyof TlsEvents>(event: K, listener: TlsEvents[K]): void {
    const list = this.#listeners[event] as TlsEvents[K][];
    const i = list.indexOf(listener);
    if (i !== -1) list.splice(i, 1);
  }

  emit<K extends keyof TlsEvents>(event: K, ...args: Parameters<TlsEvents[K]>): void {
    for (const l of [...this.#listeners[event]]) (l as (...a: Parameters<TlsEvents[K]>) => void)(...args);
  }

  #trace(event: TraceEvent): void {
    for (const sink of this.#sinks) sink(event);
    if (!this.#traceEvents) return;
    if (this.#listeners.trace.length === 0) {
      if (this.#backlog.length < MAX_TRACE_BACKLOG) this.#backlog.push(event);
    } else {
      this.emit('trace', event);
    }
  }
}
