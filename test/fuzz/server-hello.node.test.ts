// Structured fuzzing of the client's ServerHello and EncryptedExtensions
// handling (issue 6): fast-check builds both field by field around what the
// client offered (session id echo, suite, version, compression, key share of
// any group and length, extensions solicited or not) and a client on the
// trivial provider receives them.
//
// Properties: only TlsError, within a second, at most one error; and an
// oracle for acceptance: a client that moved past ServerHello got the
// session id back, an offered TLS 1.3 suite, compression 0, exactly TLS 1.3,
// a share for the group it offered of the right length, and only the
// extensions a ServerHello may hold; one that moved past
// EncryptedExtensions got only solicited extensions, and an offered ALPN
// protocol if any.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { TlsError } from '../../src/errors.js';
import { type ClientHello, decodeHandshake, type EncryptedExtension, encodeHandshake, findExtension, parseHandshakeFrame, type ServerHello, type ServerHelloExtension } from '../../src/wire/index.js';
import { MAX_CALL_MS, params, recordOf, runs, timed, trivialClient, trivialRecord } from '../helpers/fuzz.js';
import { concatBytes } from '../helpers/tls-pair.js';
import { splitRecords } from '../helpers/vec.js';

const X25519 = 0x1d;
const utf8 = (s: string) => new TextEncoder().encode(s);
const ascii = (b: Uint8Array) => new TextDecoder().decode(b);

/** The client's ClientHello, decoded (the trivial provider makes it the same every time). */
const offered = (() => {
  const rec = splitRecords(concatBytes(trivialClient().takeOutput()))[0]?.fragment as Uint8Array;
  return decodeHandshake(parseHandshakeFrame(rec)) as ClientHello;
})();

const serverHello: fc.Arbitrary<ServerHello> = fc.record({
  type: fc.constant('server_hello' as const),
  legacyVersion: fc.oneof({ weight: 6, arbitrary: fc.constant(0x0303) }, { weight: 1, arbitrary: fc.constantFrom(0x0304, 0x0301) }),
  random: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  legacySessionIdEcho: fc.oneof({ weight: 6, arbitrary: fc.constant(offered.legacySessionId) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 32 }) }),
  cipherSuite: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(0x1301, 0x1302, 0x1303) }, { weight: 1, arbitrary: fc.constantFrom(0x1304, 0xc02f) }),
  legacyCompressionMethod: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(1) }),
  extensions: fc
    .tuple(
      fc.oneof(
        { weight: 6, arbitrary: fc.constant<ServerHelloExtension | null>({ type: 'supported_versions', selectedVersion: 0x0304 }) },
        { weight: 1, arbitrary: fc.constantFrom<ServerHelloExtension | null>(null, { type: 'supported_versions', selectedVersion: 0x0303 }, { type: 'supported_versions', selectedVersion: 0x7f1c }) },
      ),
      fc.oneof(
        { weight: 6, arbitrary: fc.constant<ServerHelloExtension | null>({ type: 'key_share', share: { group: X25519, keyExchange: new Uint8Array(32).fill(9) } }) },
        {
          weight: 2,
          arbitrary: fc
            .record({ group: fc.constantFrom(X25519, 0x17, 0x18), n: fc.constantFrom(0, 1, 31, 33, 65) })
            .map(({ group, n }): ServerHelloExtension | null => (n === 0 ? null : { type: 'key_share', share: { group, keyExchange: new Uint8Array(n).fill(4) } })),
        },
      ),
      fc.oneof(
        { weight: 6, arbitrary: fc.constant(null) },
        {
          weight: 1,
          arbitrary: fc.constantFrom<ServerHelloExtension>({ type: 'pre_shared_key', selectedIdentity: 0 }, { type: 'raw', code: 0xfe00, data: new Uint8Array(0) }, { type: 'raw', code: 16, data: Uint8Array.of(0, 3, 2, 0x68, 0x32) }),
        },
      ),
      fc.boolean(),
    )
    .map(([sv, ks, extra, swap]) => {
      const list = [sv, ks, extra].filter((e): e is ServerHelloExtension => e !== null);
      return swap ? list.reverse() : list;
    }),
});

const encryptedExtensions = fc
  .array(
    fc.constantFrom<EncryptedExtension>(
      { type: 'application_layer_protocol_negotiation', protocol: utf8('h2') },
      { type: 'application_layer_protocol_negotiation', protocol: utf8('http/1.1') },
      { type: 'application_layer_protocol_negotiation', protocol: utf8('spdy/3') },
      { type: 'server_name' },
      { type: 'supported_groups', groups: [0x17, X25519] },
      { type: 'early_data' },
      { type: 'record_size_limit', limit: 0x4001 },
      { type: 'raw', code: 0xfe01, data: new Uint8Array(2) },
      { type: 'raw', code: 51, data: Uint8Array.of(0, 0x1d, 0, 1, 9) },
    ),
    { maxLength: 3 },
  )
  .map((list) => {
    const seen = new Set<string>();
    return list.filter((e) => {
      const k = e.type === 'raw' ? `raw${e.code}` : e.type;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  });

function shBroken(sh: ServerHello): string[] {
  const broken: string[] = [];
  if (ascii(sh.legacySessionIdEcho) !== ascii(offered.legacySessionId) || sh.legacySessionIdEcho.length !== offered.legacySessionId.length) broken.push('session id echo');
  if (!offered.cipherSuites.includes(sh.cipherSuite)) broken.push('suite not offered');
  if (sh.legacyCompressionMethod !== 0) broken.push('compression');
  if (sh.legacyVersion !== 0x0303) broken.push('legacy_version');
  if (findExtension(sh.extensions, 'supported_versions')?.selectedVersion !== 0x0304) broken.push('version');
  const ks = findExtension(sh.extensions, 'key_share')?.share;
  if (ks === undefined || ks.group !== X25519 || ks.keyExchange.length !== 32) broken.push('key share');
  if (sh.extensions.some((e) => e.type !== 'supported_versions' && e.type !== 'key_share')) broken.push('an extension a ServerHello may not hold here');
  return broken;
}

function eeBroken(ee: readonly EncryptedExtension[]): string[] {
  const offeredAlpn = (findExtension(offered.extensions, 'application_layer_protocol_negotiation')?.protocols ?? []).map(ascii);
  const broken: string[] = [];
  for (const e of ee) {
    if (e.type === 'application_layer_protocol_negotiation' && !offeredAlpn.includes(ascii(e.protocol))) broken.push(`ALPN ${ascii(e.protocol)} not offered`);
    if (e.type === 'early_data' || e.type === 'record_size_limit' || e.type === 'raw') broken.push(`unsolicited ${e.type}`);
  }
  return broken;
}

describe('the client on generated ServerHello and EncryptedExtensions (trivial provider)', () => {
  test('the oracles pass good messages and name what is wrong with bad ones', () => {
    const good: ServerHello = {
      type: 'server_hello',
      legacyVersion: 0x0303,
      random: new Uint8Array(32),
      legacySessionIdEcho: offered.legacySessionId,
      cipherSuite: 0x1301,
      legacyCompressionMethod: 0,
      extensions: [
        { type: 'supported_versions', selectedVersion: 0x0304 },
        { type: 'key_share', share: { group: X25519, keyExchange: new Uint8Array(32) } },
      ],
    };
    expect(offered.legacySessionId.length).toBe(32);
    expect(shBroken(good)).toEqual([]);
    expect(shBroken({ ...good, legacySessionIdEcho: new Uint8Array(32) })).toEqual(['session id echo']);
    expect(shBroken({ ...good, cipherSuite: 0x1304 })).toEqual(['suite not offered']);
    expect(eeBroken([{ type: 'application_layer_protocol_negotiation', protocol: utf8('h2') }])).toEqual([]);
    expect(eeBroken([{ type: 'application_layer_protocol_negotiation', protocol: utf8('spdy/3') }, { type: 'early_data' }])).toEqual(['ALPN spdy/3 not offered', 'unsolicited early_data']);
  });
  const outcomes = new Map<string, number>();
  const base = 500;
  test(`ServerHello then EncryptedExtensions (${runs(base)} runs)`, () => {
    fc.assert(
      fc.property(serverHello, encryptedExtensions, (sh, ee) => {
        let shBytes: Uint8Array;
        let eeBytes: Uint8Array;
        try {
          shBytes = encodeHandshake(sh);
          eeBytes = encodeHandshake({ type: 'encrypted_extensions', extensions: ee });
        } catch {
          return; // not writable (the codec's own bounds)
        }
        const client = trivialClient();
        client.takeOutput();
        const errors: unknown[] = [];
        client.on('error', (e) => errors.push(e));
        const call = (f: () => void) => {
          const { thrown, ms } = timed(f);
          if (thrown !== undefined) throw new Error(`the client threw ${String(thrown)}`, { cause: thrown });
          expect(ms).toBeLessThan(MAX_CALL_MS);
        };
        call(() => client.receive(recordOf(22, shBytes)));
        const afterSh = client.stateName;
        if (afterSh !== 'Failed') {
          expect(afterSh).toBe('ExpectEncryptedExtensions');
          expect(shBroken(sh), JSON.stringify(sh, (_k, v) => (v instanceof Uint8Array ? Array.from(v) : v))).toEqual([]);
          call(() => client.receive(trivialRecord(22, eeBytes)));
          if (client.stateName !== 'Failed') {
            expect(client.stateName).toBe('ExpectCertificateOrCertificateRequest');
            expect(eeBroken(ee)).toEqual([]);
          }
        }
        call(() => client.transportClosed());
        expect(errors.length).toBe(1);
        const e = errors[0] as TlsError;
        expect(e).toBeInstanceOf(TlsError);
        expect(e.alert, e.message).not.toBe('internal_error');
        const key = `${afterSh === 'Failed' ? 'ServerHello' : client.stateName === 'Failed' && e.alert !== 'close_notify' ? 'EncryptedExtensions' : 'accepted'} → ${e.alert}`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      }),
      params(base, 88),
    );
    const keys = [...outcomes.keys()];
    for (const k of ['ServerHello', 'EncryptedExtensions', 'accepted']) expect(keys.some((x) => x.startsWith(k)), k).toBe(true);
    console.log(`generated ServerHello/EncryptedExtensions: ${JSON.stringify(Object.fromEntries([...outcomes].sort((a, b) => b[1] - a[1])))}`);
  });
});
