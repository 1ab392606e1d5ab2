// The BoGo shim: BoringSSL's ssl/test/runner starts this program once per
// test with bssl_shim's command line, and it plays the other end of the
// connection through wasmtls's public API only (TlsClient / TlsServer from
// src/index.ts, the package's entry point), as rustls's bogo_shim does for
// rustls. Protocol (ssl/test/runner/shim_dispatcher.go, bssl_shim.cc):
//
// - connect to 127.0.0.1:-port (or [::1] with -ipv6) and send -shim-id as
//   a little-endian uint64;
// - handshake; then optionally write "hello" (-shim-writes-first) and the
//   exporter output (-export-keying-material);
// - echo every byte read back XORed with 0xff until the peer closes, or
//   close at once with -shim-shuts-down;
// - exit 0 on success, 1 on failure with the error on stderr (the runner
//   matches it against config.json's ErrorMap), 89 when a flag asks for
//   something wasmtls does not implement (the runner counts it as
//   "unimplemented").
//
// Run it with scripts/bogo.mjs, not directly.
import { appendFileSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { type HandshakeInfo, TlsClient, type TlsClientOptions, TlsError, TlsServer, type TlsServerOptions } from '../../src/index.js';

const UNIMPLEMENTED = 89;

/** bssl_shim flags that take one value (test_config.cc: Int, String, Base64, *Vector flags). */
const VALUE_FLAGS = new Set(
  (
    '-port -shim-id -resume-count -write-settings -signing-prefs -verify-prefs -expect-peer-verify-pref -curves -key-file -cert-file ' +
    '-expect-server-name -ech-server-config -ech-server-key -ech-is-retry-config -expect-ech-name-override -expect-ech-retry-configs ' +
    '-ech-config-list -expect-certificate-types -advertise-npn -expect-next-proto -select-next-proto -expect-channel-id -send-channel-id ' +
    '-host-name -advertise-alpn -expect-alpn -expect-late-alpn -expect-advertised-alpn -select-alpn -expect-peer-application-settings ' +
    '-quic-transport-params -expect-quic-transport-params -quic-use-legacy-codepoint -psk -psk-identity -srtp-profiles ' +
    '-expect-signed-cert-timestamps -min-version -max-version -expect-version -mtu -cipher -export-keying-material -export-label ' +
    '-export-context -ocsp-response -expect-ocsp-response -signed-cert-timestamps -expect-total-renegotiations ' +
    '-expect-peer-signature-algorithm -expect-curve-id -initial-timeout-duration-ms -use-client-ca-list -expect-client-ca-list ' +
    '-max-cert-list -ticket-key -expect-cipher-aes -expect-cipher-no-aes -expect-cipher -expect-peer-cert-file -resumption-delay ' +
    '-max-send-fragment -read-size -expect-ticket-age-skew -expect-msg-callback -install-one-cert-compression-alg -handshaker-path ' +
    '-delegated-credential -expect-early-data-reason -quic-early-data-context -early-write-after-message'
  ).split(' '),
);
/** Flags that take two values. */
const PAIR_FLAGS = new Set(['-application-settings']);

/**
 * Boolean flags the shim honours, or that change nothing for wasmtls:
 * -async (wasmtls is sans-I/O: every read and write is already
 * non-blocking), -peek-then-read (one read path), -expect-no-session (there
 * are no sessions), -no-tls1/-no-tls11 (wasmtls speaks TLS 1.2 and 1.3
 * only), -no-tls12 and -no-tls13 (minVersion/maxVersion).
 */
const BOOL_FLAGS = new Set([
  '-server', '-ipv6', '-async', '-peek-then-read', '-shim-writes-first', '-shim-shuts-down', '-check-close-notify', '-use-export-context',
  '-expect-hrr', '-expect-no-hrr', '-expect-no-session', '-no-tls1', '-no-tls11', '-no-tls12', '-no-tls13', '-key-update', '-decline-alpn',
]);
/** Value flags the shim honours. */
const HONOURED_VALUES = new Set([
  '-port', '-shim-id', '-key-file', '-cert-file', '-host-name', '-min-version', '-max-version', '-expect-version', '-curves',
  '-expect-curve-id', '-signing-prefs', '-verify-prefs', '-advertise-alpn', '-select-alpn', '-expect-alpn', '-expect-server-name',
  '-export-keying-material', '-export-label', '-export-context', '-expect-peer-signature-algorithm', '-expect-cipher', '-resume-count',
  '-read-size', '-write-settings',
]);

interface Config {
  bools: Set<string>;
  values: Map<string, string[]>;
}

/** With WASMTLS_BOGO_LOG set, one JSON line per unimplemented run (argv and reason), for the per-flag counts in docs/testing.md. */
function unimplemented(why: string): never {
  process.stderr.write(`wasmtls shim: unimplemented: ${why}\n`);
  const log = process.env.WASMTLS_BOGO_LOG;
  if (log !== undefined) appendFileSync(log, `${JSON.stringify({ why, argv: process.argv.slice(2) })}\n`);
  process.exit(UNIMPLEMENTED);
}

/** bssl_shim's argument grammar, with its -on-initial/-on-resume/-on-retry/-on-shim/-on-handshaker prefixes. */
function parseArgs(argv: readonly string[]): Config {
  const config: Config = { bools: new Set(), values: new Map() };
  for (let i = 0; i < argv.length; i++) {
    let name = argv[i] as string;
    // Per-connection prefixes: wasmtls makes one connection (no resumption),
    // so -on-initial- applies, -on-resume-/-on-retry-/-on-handshaker- do not.
    let applies = true;
    const prefix = /^-on-(initial|resume|retry|shim|handshaker)(-.*)$/.exec(name);
    if (prefix !== null) {
      name = prefix[2] as string;
      applies = prefix[1] === 'initial' || prefix[1] === 'shim';
    }
    const arity = PAIR_FLAGS.has(name) ? 2 : VALUE_FLAGS.has(name) ? 1 : 0;
    const args = argv.slice(i + 1, i + 1 + arity);
    i += arity;
    if (!applies) continue;
    if (arity === 0) {
      if (!BOOL_FLAGS.has(name)) unimplemented(`flag ${name}`);
      config.bools.add(name);
    } else {
      if (!HONOURED_VALUES.has(name)) unimplemented(`flag ${name} ${args.join(' ')}`);
      config.values.set(name, [...(config.values.get(name) ?? []), ...args]);
    }
  }
  return config;
}

/** A single-value flag: the last one wins (the runner puts the default -cert-file/-key-file before a test's own). */
const one = (c: Config, name: string): string | undefined => c.values.get(name)?.at(-1);
const many = (c: Config, name: string): number[] => (c.values.get(name) ?? []).map(Number);

/** `-advertise-alpn` is the wire format: length-prefixed names. */
function alpnList(wire: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < wire.length; ) {
    const n = wire.charCodeAt(i);
    out.push(wire.slice(i + 1, i + 1 + n));
    i += 1 + n;
  }
  return out;
}

const GROUP_NAMES: Record<string, number> = { x25519: 29, secp256r1: 23, secp384r1: 24 };
const SUITE_CODES: Record<string, number> = {
  TLS_AES_128_GCM_SHA256: 0x1301, TLS_AES_256_GCM_SHA384: 0x1302, TLS_CHACHA20_POLY1305_SHA256: 0x1303,
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 0xc02b, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 0xc02c,
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 0xc02f, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 0xc030,
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 0xcca8, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 0xcca9,
};
const VERSION_CODES: Record<string, number> = { 'TLSv1.2': 0x0303, 'TLSv1.3': 0x0304 };
const SCHEME_CODES: Record<string, number> = {
  ecdsa_secp256r1_sha256: 0x0403, ecdsa_secp384r1_sha384: 0x0503, ecdsa_secp521r1_sha512: 0x0603, ed25519: 0x0807,
  rsa_pss_rsae_sha256: 0x0804, rsa_pss_rsae_sha384: 0x0805, rsa_pss_rsae_sha512: 0x0806,
  rsa_pss_pss_sha256: 0x0809, rsa_pss_pss_sha384: 0x080a, rsa_pss_pss_sha512: 0x080b,
  rsa_pkcs1_sha256: 0x0401, rsa_pkcs1_sha384: 0x0501, rsa_pkcs1_sha512: 0x0601,
};

/** The -expect-* checks on the finished handshake; a mismatch is a failure message. */
function checkHandshake(c: Config, info: HandshakeInfo): string | undefined {
  const expectVersion = one(c, '-expect-version');
  if (expectVersion !== undefined && VERSION_CODES[info.version] !== Number(expectVersion)) return `version ${info.version}, expected ${expectVersion}`;
  const curve = one(c, '-expect-curve-id');
  if (curve !== undefined && GROUP_NAMES[info.group] !== Number(curve)) return `group ${info.group}, expected ${curve}`;
  const cipher = one(c, '-expect-cipher');
  if (cipher !== undefined && SUITE_CODES[info.cipherSuite] !== Number(cipher)) return `cipher ${info.cipherSuite}, expected ${cipher}`;
  const sig = one(c, '-expect-peer-signature-algorithm');
  if (sig !== undefined && (c.bools.has('-server') || SCHEME_CODES[info.signatureScheme] !== Number(sig))) {
    return `peer signature ${c.bools.has('-server') ? '(none: no client certificates)' : info.signatureScheme}, expected ${sig}`;
  }
  if (c.bools.has('-expect-hrr') && !info.helloRetryRequest) return 'no HelloRetryRequest, expected one';
  if (c.bools.has('-expect-no-hrr') && info.helloRetryRequest) return 'a HelloRetryRequest, expected none';
  const alpn = one(c, '-expect-alpn');
  if (alpn !== undefined && info.alpn !== alpn) return `ALPN ${info.alpn ?? '(none)'}, expected ${alpn}`;
  const sni = one(c, '-expect-server-name');
  if (sni !== undefined && info.serverName !== sni) return `server name ${info.serverName ?? '(none)'}, expected ${sni}`;
  return undefined;
}

function options(c: Config): TlsClient | TlsServer {
  // -min-version/-max-version (wire codes) and -no-tls12/-no-tls13 become
  // the public minVersion/maxVersion; wasmtls speaks TLS 1.2 and 1.3 only,
  // so a maximum below TLS 1.2 is unimplemented, and a minimum below it
  // leaves wasmtls's own (TLS 1.2), as a peer built without TLS 1.0/1.1 does.
  const max = one(c, '-max-version');
  const min = one(c, '-min-version');
  if (max !== undefined && Number(max) < 0x0303) unimplemented(`TLS version ${max} (wasmtls speaks TLS 1.2 and 1.3 only)`);
  if (min !== undefined && Number(min) > 0x0304) unimplemented(`min-version ${min}`);
  let maxVersion: 'TLSv1.2' | 'TLSv1.3' = max !== undefined && Number(max) === 0x0303 ? 'TLSv1.2' : 'TLSv1.3';
  let minVersion: 'TLSv1.2' | 'TLSv1.3' = min !== undefined && Number(min) === 0x0304 ? 'TLSv1.3' : 'TLSv1.2';
  if (c.bools.has('-no-tls13')) maxVersion = 'TLSv1.2';
  if (c.bools.has('-no-tls12')) minVersion = 'TLSv1.3';
  if (minVersion === 'TLSv1.3' && maxVersion === 'TLSv1.2') unimplemented('no TLS version left (wasmtls speaks TLS 1.2 and 1.3 only)');
  if ((c.values.get('-resume-count') ?? []).some((n) => Number(n) > 0)) unimplemented('session resumption (issue 13)');
  const common: Partial<TlsClientOptions & TlsServerOptions> = { minVersion, maxVersion };
  const curves = many(c, '-curves');
  if (curves.length > 0) common.groups = curves;
  const alpn = one(c, '-advertise-alpn');
  const select = one(c, '-select-alpn');
  if (alpn !== undefined) common.alpn = alpnList(alpn);
  else if (select !== undefined) common.alpn = [select];
  try {
    if (c.bools.has('-server')) {
      const prefs = many(c, '-signing-prefs');
      const cert = readFileSync(one(c, '-cert-file') as string, 'utf8');
      const key = readFileSync(one(c, '-key-file') as string, 'utf8');
      return new TlsServer({ ...common, cert, key, ...(prefs.length > 0 ? { signatureSchemes: prefs } : {}) } as TlsServerOptions);
    }
    const prefs = many(c, '-verify-prefs');
    const serverName = one(c, '-host-name');
    // The runner's certificates are for "test" names signed by its own CA;
    // bssl_shim does not verify them either unless -verify-peer.
    return new TlsClient({ ...common, rejectUnauthorized: false, ...(serverName !== undefined ? { serverName } : {}), ...(prefs.length > 0 ? { signatureSchemes: prefs } : {}) });
  } catch (e) {
    // A configuration wasmtls refuses (a group, scheme or key it does not do).
    if (e instanceof RangeError || e instanceof TypeError) unimplemented(`configuration: ${(e as Error).message}`);
    throw e;
  }
}

function run(c: Config): Promise<number> {
  const tls = options(c);
  const port = Number(one(c, '-port'));
  const socket: Socket = connect({ host: c.bools.has('-ipv6') ? '::1' : '127.0.0.1', port });
  const id = Buffer.alloc(8);
  id.writeBigUInt64LE(BigInt(one(c, '-shim-id') ?? '0'));
  return new Promise((resolve) => {
    let finished = false;
    const finish = (status: number, message?: string) => {
      if (finished) return;
      finished = true;
      if (message !== undefined) process.stderr.write(`${message}\n`);
      flush();
      socket.end(() => resolve(status));
      setTimeout(() => resolve(status), 2000).unref();
    };
    const flush = () => {
      for (const chunk of tls.takeOutput()) socket.write(chunk);
    };
    const fail = (e: unknown) => {
      // A transport closed without close_notify after the handshake: bssl_shim
      // stops without complaint ("clean or unclean shutdown") unless -check-close-notify.
      const truncated = e instanceof TlsError && e.alert === 'close_notify' && e.side === 'remote';
      if (truncated && tls.handshakeInfo !== undefined && !c.bools.has('-check-close-notify')) return finish(0);
      if (e instanceof TlsError) finish(1, `wasmtls error: ${e.side} ${e.alert}: ${e.message}`);
      else finish(1, `wasmtls error: ${(e as Error).stack ?? String(e)}`);
    };
    tls.on('error', fail);
    tls.on('handshake', (info) => {
      const bad = checkHandshake(c, info);
      if (bad !== undefined) return finish(1, `wasmtls shim: ${bad}`);
      if (c.bools.has('-shim-writes-first')) tls.write(new TextEncoder().encode('hello'));
      const exportLength = one(c, '-export-keying-material');
      if (exportLength !== undefined) {
        const context = c.bools.has('-use-export-context') ? new TextEncoder().encode(one(c, '-export-context') ?? '') : undefined;
        try {
          tls.write(tls.exportKeyingMaterial(Number(exportLength), one(c, '-export-label') ?? '', context));
        } catch (e) {
          return fail(e);
        }
      }
      if (c.bools.has('-shim-shuts-down')) tls.close();
      flush();
    });
    tls.on('data', (data) => {
      if (c.bools.has('-key-update')) tls.keyUpdate(false);
      const out = new Uint8Array(data.length);
      for (let i = 0; i < data.length; i++) out[i] = (data[i] as number) ^ 0xff;
      tls.write(out);
      flush();
    });
    tls.on('close', () => {
      // The peer's close_notify: answer it and stop, as bssl_shim does.
      tls.close();
      finish(0);
    });
    socket.on('connect', () => {
      socket.write(id);
      flush();
    });
    socket.on('data', (bytes: Buffer) => {
      try {
        tls.receive(bytes);
      } catch (e) {
        return fail(e);
      }
      flush();
    });
    socket.on('end', () => {
      if (finished) return;
      tls.transportClosed();
      if (tls.error !== undefined) return; // reported through 'error'
      if (!tls.connected && !tls.readClosed) return finish(1, 'wasmtls error: connection closed during the handshake');
      if (c.bools.has('-check-close-notify') && !tls.readClosed) return finish(1, 'wasmtls error: EOF without close_notify');
      finish(0);
    });
    socket.on('error', (e) => finish(1, `wasmtls error: socket: ${e.message}`));
  });
}

// The runner asks once, before any test, whether split handshakes work.
if (process.argv.includes('-is-handshaker-supported')) {
  process.stdout.write('No\n');
  process.exit(0);
}
run(parseArgs(process.argv.slice(2))).then(
  (status) => process.exit(status),
  (e: unknown) => {
    process.stderr.write(`wasmtls shim crashed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
