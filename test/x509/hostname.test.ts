// Hostname checks (RFC 9525): SAN only, case-insensitive, leftmost-label
// wildcards for one label, IP literals against iPAddress entries only.
import { describe, expect, test } from 'vitest';
import { TlsError } from '../../src/errors.js';
import {
  checkHostname,
  formatIpAddress,
  matchDnsName,
  matchesHostname,
  parseIpAddress,
  parseReferenceIdentity,
} from '../../src/x509/index.js';
import { toHex } from '../helpers/hex.js';
import { cert } from '../helpers/x509-fixtures.js';

describe('matchDnsName (pattern from the certificate, reference normalized)', () => {
  const cases: [string, string, boolean][] = [
    ['example.com', 'example.com', true],
    ['EXAMPLE.com', 'example.com', true],
    ['example.com.', 'example.com', true],
    ['example.com', 'www.example.com', false],
    ['www.example.com', 'example.com', false],
    ['example.com', 'example.co', false],
    ['*.example.com', 'a.example.com', true],
    ['*.Example.COM', 'www.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'a.b.example.com', false],
    ['*.example.com', '.example.com', false],
    ['*.example.com', 'aexample.com', false],
    ['*.example.com.', 'a.example.com', true],
    ['f*.example.com', 'foo.example.com', false],
    ['*o.example.com', 'foo.example.com', false],
    ['f*o.example.com', 'foo.example.com', false],
    ['*.com', 'example.com', false],
    ['*', 'example', false],
    ['*.', 'example', false],
    ['*.*.example.com', 'a.b.example.com', false],
    ['a.*.example.com', 'a.b.example.com', false],
    ['*.example.*', 'a.example.com', false],
    ['**.example.com', 'a.example.com', false],
    ['*.example..com', 'a.example..com', false],
    ['', 'example.com', false],
    ['.', 'example.com', false],
    // IDNs: A-labels compare as ASCII; nothing is decoded.
    ['xn--bcher-kva.example', 'xn--bcher-kva.example', true],
    ['XN--BCHER-KVA.example', 'xn--bcher-kva.example', true],
    ['*.xn--bcher-kva.example', 'www.xn--bcher-kva.example', true],
    ['*.example.com', 'xn--bcher-kva.example.com', true],
    ['xn--*.example.com', 'xn--bcher-kva.example.com', false],
    ['bücher.example', 'xn--bcher-kva.example', false],
  ];
  for (const [pattern, name, want] of cases) {
    test(`${JSON.stringify(pattern)} ${want ? 'matches' : 'does not match'} ${name}`, () => {
      expect(matchDnsName(pattern, name)).toBe(want);
    });
  }
});

describe('reference identities', () => {
  test('DNS names are lowercased and lose one trailing dot', () => {
    expect(parseReferenceIdentity('WWW.Example.COM.')).toEqual({ type: 'dns', name: 'www.example.com' });
    expect(parseReferenceIdentity('localhost')).toEqual({ type: 'dns', name: 'localhost' });
    expect(parseReferenceIdentity('_acme.example.com')).toEqual({ type: 'dns', name: '_acme.example.com' });
    expect(parseReferenceIdentity('1x.example.com')).toEqual({ type: 'dns', name: '1x.example.com' });
  });
  test('IP literals', () => {
    expect(parseReferenceIdentity('127.0.0.1')).toEqual({ type: 'ip', bytes: Uint8Array.of(127, 0, 0, 1) });
    expect(parseReferenceIdentity('[::1]')).toEqual({ type: 'ip', bytes: parseIpAddress('::1') });
  });
  const bad: [string, RegExp][] = [
    ['', /not a valid DNS name/],
    ['example..com', /not a valid DNS name/],
    ['example.com..', /not a valid DNS name/],
    ['.example.com', /not a valid DNS name/],
    ['-a.example.com', /not a valid DNS name/],
    ['*.example.com', /not a valid DNS name/],
    ['exa mple.com', /not a valid DNS name/],
    [`${'a'.repeat(64)}.com`, /not a valid DNS name/],
    ['bücher.example', /not ASCII: pass internationalized names as A-labels/],
    ['010.0.0.1', /looks numeric/],
    ['1.2.3', /looks numeric/],
    ['0x7f.1', /looks numeric/],
    ['256.0.0.1', /looks numeric/],
    ['127.1', /looks numeric/],
    ['fe80::1%eth0', /not a valid IPv6 address/],
    ['[example.com]', /not a valid IPv6 address/],
    ['1:2:3:4:5:6:7:8:9', /not a valid IPv6 address/],
  ];
  for (const [text, re] of bad) {
    test(`refuses ${JSON.stringify(text)}`, () => {
      expect(() => parseReferenceIdentity(text)).toThrow(TypeError);
      expect(() => parseReferenceIdentity(text)).toThrow(re);
    });
  }
});

describe('IP address text', () => {
  const v6: [string, string][] = [
    ['::1', '00000000000000000000000000000001'],
    ['::', '00000000000000000000000000000000'],
    ['1::', '00010000000000000000000000000000'],
    ['2001:db8::1', '20010db8000000000000000000000001'],
    ['2001:DB8:0:0:1:0:0:1', '20010db8000000000001000000000001'],
    ['::ffff:192.0.2.1', '00000000000000000000ffffc0000201'],
    ['1:2:3:4:5:6:7::', '00010002000300040005000600070000'],
    ['1:2:3:4:5:6:1.2.3.4', '00010002000300040005000601020304'],
  ];
  for (const [text, hex] of v6) {
    test(`parses ${text}`, () => {
      expect(toHex(parseIpAddress(text) as Uint8Array)).toBe(hex);
    });
  }
  for (const text of ['1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', ':1', '1:', '::g', '1.2.3.4::', '1:2:3:4:5:6:7:8::', '::1.2.3', '01.2.3.4']) {
    test(`refuses ${text}`, () => {
      expect(parseIpAddress(text)).toBeUndefined();
    });
  }
  test('RFC 5952 canonical output', () => {
    const f = (t: string): string => formatIpAddress(parseIpAddress(t) as Uint8Array);
    expect(f('::1')).toBe('::1');
    expect(f('2001:DB8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(f('2001:db8:0:0:0:0:2:1')).toBe('2001:db8::2:1');
    expect(f('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(f('1:0:0:2:0:0:0:3')).toBe('1:0:0:2::3');
    expect(f('::')).toBe('::');
    expect(f('127.0.0.1')).toBe('127.0.0.1');
  });
});

describe('certificates against hostnames', () => {
  const cases: [string, string, boolean][] = [
    ['leaf-localhost', 'localhost', true],
    ['leaf-localhost', 'LOCALHOST.', true],
    ['leaf-localhost', '127.0.0.1', false],
    ['leaf-localhost', 'localhost.localdomain', false],
    ['leaf-example', 'example.com', true],
    ['leaf-example', 'www.example.com', true],
    ['leaf-example', 'Www.Example.Com', true],
    ['leaf-example', 'mail.example.com', false],
    ['leaf-wildcard', 'a.example.com', true],
    ['leaf-wildcard', 'www.example.com', true],
    ['leaf-wildcard', 'example.com', false],
    ['leaf-wildcard', 'a.b.example.com', false],
    ['leaf-ipv4', '127.0.0.1', true],
    ['leaf-ipv4', '127.0.0.2', false],
    ['leaf-ipv4', '::ffff:127.0.0.1', false],
    ['leaf-ipv6', '::1', true],
    ['leaf-ipv6', '[::1]', true],
    ['leaf-ipv6', '0:0:0:0:0:0:0:1', true],
    ['leaf-ipv6', '127.0.0.1', false],
    // The subject CN is never consulted (RFC 9525 §6.3).
    ['leaf-cn-only', 'cn-only.example.com', false],
    ['leaf-ipv4', 'localhost', false],
  ];
  for (const [name, host, want] of cases) {
    test(`${name} ${want ? 'is' : 'is not'} valid for ${host}`, () => {
      expect(matchesHostname(cert(name), host)).toBe(want);
    });
  }
  test('mismatch errors list the certificate names', () => {
    const err = (name: string, host: string): TlsError => {
      try {
        checkHostname(cert(name), host);
      } catch (e) {
        return e as TlsError;
      }
      throw new Error('no error');
    };
    const e = err('leaf-example', 'example.org');
    expect(e).toBeInstanceOf(TlsError);
    expect(e.alert).toBe('bad_certificate');
    expect(e.code).toBe(42);
    expect(e.side).toBe('local');
    expect(e.message).toBe('hostname mismatch: certificate is for example.com, www.example.com, not example.org');
    expect(err('leaf-ipv6', '::2').message).toBe('hostname mismatch: certificate is for ::1, not ::2');
    expect(err('leaf-cn-only', 'cn-only.example.com').message).toMatch(
      /^hostname mismatch: certificate has no DNS or IP subjectAltName, so it is valid for no host \(its subject CN=cn-only.example.com is not used, RFC 9525 §6.3\)/,
    );
    expect(() => checkHostname(cert('leaf-wildcard'), 'x.example.com')).not.toThrow();
  });
});
