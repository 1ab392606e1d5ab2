// What bench/browser-wisp.ts and its page bundles agree on.
export interface BenchConfig {
  /** ws://127.0.0.1:PORT/ of the Wisp relay (wasmtls tunnel --wisp). */
  readonly relay: string;
  /** The TLS 1.3 origin's port on 127.0.0.1, named localhost. */
  readonly port: number;
  /** Its root CA, PEM. */
  readonly ca: string;
}

export interface BenchLib {
  readonly name: string;
  /** Loads the library and opens the relay connection. */
  init(config: BenchConfig): Promise<void>;
  /** A new TLS connection over the open relay, one GET with Connection: close; resolves with the bytes read. */
  newConnection(): Promise<number>;
  /** A GET through the library's connection reuse; resolves with the body length. */
  request(path: string): Promise<number>;
}
