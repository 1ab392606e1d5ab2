// Constant-time helpers. Nothing here branches or indexes memory on its inputs.

/** Zeroes `len` bytes at `ptr` (wiping secrets; memory.fill is not elided). */
// @ts-ignore: decorator
@inline
export function wipe(ptr: usize, len: usize): void {
  memory.fill(ptr, 0, len);
}

/** 0xFFFFFFFF when a == b, else 0. */
// @ts-ignore: decorator
@inline
export function eqMask32(a: u32, b: u32): u32 {
  const x = a ^ b;
  // (x | -x) has its top bit set exactly when x != 0.
  return ((((x | (0 - x)) >> 31) as u32) - 1);
}

/** 0xFFFFFFFF when x != 0, else 0. */
// @ts-ignore: decorator
@inline
export function nonZeroMask32(x: u32): u32 {
  return (0 - ((x | (0 - x)) >> 31)) as u32;
}

/**
 * Compares `len` bytes at `a` and `b` without early exit.
 * Returns 1 when equal, 0 otherwise.
 */
export function ctEqual(a: usize, b: usize, len: usize): i32 {
  let acc: u32 = 0;
  for (let i: usize = 0; i < len; i++) {
    acc |= <u32>(load<u8>(a + i) ^ load<u8>(b + i));
  }
  return <i32>((acc - 1) >> 31);
}
