// The TLS 1.3 wire codec (RFC 8446 §3, §4): pure data in, pure data out, no crypto.

export * from './certificate.js';
export * from './certificate-request.js';
export * from './certificate-verify.js';
export * from './client-hello.js';
export * from './constants.js';
export * from './encrypted-extensions.js';
export * from './extensions/index.js';
export * from './finished.js';
export * from './handshake.js';
export * from './key-update.js';
export * from './new-session-ticket.js';
export * from './reader.js';
export * from './server-hello.js';
export * from './writer.js';
