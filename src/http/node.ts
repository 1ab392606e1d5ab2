/**
 * {@link request} for Node: the transport defaults to a TCP connection
 * (src/transport/tcp-streams.ts). Node only; browsers use the one in
 * `wasmtls` with a tunnel transport.
 * @module
 */
import { connectTcpStreams } from '../transport/tcp-streams.js';
import { type HttpResponse, request as requestOver, type RequestOptions } from './request.js';

export { connectTcpStreams, socketStreams } from '../transport/tcp-streams.js';
export { HttpError, type HttpErrorCode, type HttpResponse, type RequestOptions, type TransportFactory } from './request.js';

/** Options of the Node {@link request}: `transport` is optional (default TCP). */
export type NodeRequestOptions = Omit<RequestOptions, 'transport'> & Partial<Pick<RequestOptions, 'transport'>>;

/**
 * One HTTPS request over TCP (or `options.transport`).
 * @example
 * const res = await request('https://localhost:8443/', { ca: caPem });
 * process.stdout.write(res.body);
 */
export function request(url: string | URL, options: NodeRequestOptions = {}): Promise<HttpResponse> {
  return requestOver(url, { ...options, transport: options.transport ?? connectTcpStreams });
}
