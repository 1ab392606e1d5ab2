// The strict HTTP/1.1 response reader on its own, fed from in-memory
// streams in every split (Node and Chromium).
import { describe, expect, test } from 'vitest';
import { HttpError, readResponse } from '../../src/http/response.js';

const limits = { maxHeaderSize: 1024, maxBodySize: 4096 };

/** A reader delivering `text` in pieces of `piece` bytes. */
function reader(text: string | Uint8Array, piece = 0): ReadableStreamDefaultReader<Uint8Array> {
  const bytes = typeof text === 'string' ? new Uint8Array([...text].map((c) => c.charCodeAt(0))) : text;
  const step = piece > 0 ? piece : Math.max(1, bytes.length);
  let o = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (o >= bytes.length) c.close();
      else {
        c.enqueue(bytes.slice(o, o + step));
        o += step;
      }
    },
  }).getReader();
}

const body = (r: { body: Uint8Array }) => new TextDecoder().decode(r.body);

describe('readResponse', () => {
  const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nA ; x="y"\r\n0123456789\r\n0\r\nT: 1\r\n\r\n';
  test('chunked, in every piece size', async () => {
    for (let piece = 1; piece <= chunked.length; piece++) {
      const r = await readResponse(reader(chunked, piece), 'GET', limits);
      expect(body(r)).toBe('abc0123456789');
    }
  });

  test('Content-Length, in every piece size; bytes after the body are not read as body', async () => {
    const text = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhelloEXTRA';
    for (let piece = 1; piece <= text.length; piece++) expect(body(await readResponse(reader(text, piece), 'GET', limits))).toBe('hello');
  });

  test('no body: HEAD, 204, 304; an empty reason phrase; read to the end', async () => {
    expect(body(await readResponse(reader('HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n'), 'HEAD', limits))).toBe('');
    expect((await readResponse(reader('HTTP/1.1 204 No Content\r\n\r\n'), 'GET', limits)).status).toBe(204);
    expect((await readResponse(reader('HTTP/1.1 304 \r\n\r\n'), 'GET', limits)).statusText).toBe('');
    expect((await readResponse(reader('HTTP/1.1 200\r\n\r\nall of it'), 'GET', limits)).statusText).toBe('');
    expect(body(await readResponse(reader('HTTP/1.0 200 OK\r\n\r\nall of it', 3), 'GET', limits))).toBe('all of it');
  });

  test.each([
    ['HTTP/1.1 200 OK\nContent-Length: 0\n\n', 'truncated'],
    ['HTTP/2 200 OK\r\n\r\n', 'malformed'],
    ['HTTP/1.1 20 OK\r\n\r\n', 'malformed'],
    ['HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n', 'malformed'],
    ['HTTP/1.1 200 OK\r\nX: a\x01b\r\n\r\n', 'malformed'],
    ['HTTP/1.1 200 OK\r\nX: a\nY: b\r\n\r\n', 'malformed'],
    ['HTTP/1.1 200 OK\r\n : x\r\n\r\n', 'malformed'],
    ['HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', 'malformed'],
    ['HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxx', 'malformed'],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n', 'unsupported'],
    ['HTTP/1.1 101 Switching Protocols\r\n\r\n', 'unsupported'],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n', 'malformed'],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n123456789\r\n', 'malformed'],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab', 'truncated'],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n', 'truncated'],
    ['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc', 'truncated'],
    ['HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n', 'too_large'],
    [`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(1100)}\r\n\r\n`, 'too_large'],
    ['', 'truncated'],
  ])('%j is an HttpError %s', async (text, code) => {
    const e = await readResponse(reader(text, 7), 'GET', limits).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HttpError);
    expect((e as HttpError).code).toBe(code);
  });

  test('a chunked body over the cap is too_large; a read-to-close one too', async () => {
    const big = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${'800\r\n' + 'a'.repeat(0x800) + '\r\n'}${'800\r\n' + 'a'.repeat(0x800) + '\r\n'}1\r\na\r\n0\r\n\r\n`;
    await expect(readResponse(reader(big, 100), 'GET', limits)).rejects.toMatchObject({ code: 'too_large' });
    await expect(readResponse(reader(`HTTP/1.0 200 OK\r\n\r\n${'b'.repeat(4097)}`, 100), 'GET', limits)).rejects.toMatchObject({ code: 'too_large' });
    expect(body(await readResponse(reader(`HTTP/1.0 200 OK\r\n\r\n${'b'.repeat(4096)}`, 100), 'GET', limits)).length).toBe(4096);
  });
});
