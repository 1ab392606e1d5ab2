// The boundary between JavaScript and the WASM core.
//
// The module never allocates. JavaScript copies inputs into IO, calls an
// exported `fn(len)`, copies results out of IO and zeroes the bytes it used.
// 64 KiB holds a full TLS record (2^14 + 256 bytes) with room to spare, and is
// the chunk size the bindings use to feed larger inputs.

export const IO_SIZE: i32 = 65536;
export const IO: usize = memory.data(IO_SIZE, 16);

/** Address of the IO buffer in linear memory. */
export function ioPtr(): usize {
  return IO;
}

/** Size in bytes of the IO buffer. */
export function ioSize(): i32 {
  return IO_SIZE;
}
