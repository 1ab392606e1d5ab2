// NIST P-384 (secp384r1): domain parameters of SEC 2 v2 §2.5.1 (= SP 800-186
// §3.2.1.4), for ECDSA verification only (TLS 1.3 certificates and
// CertificateVerify with ecdsa_secp384r1_sha384). Nothing here handles
// secrets, so P-384 has no constant-time scalar multiplication.

import { MOD_P384 } from './montgomery';
import { buildOddMultiplesOfG, curveSetup, CV_SIZE, ecWipe, G_ODD } from './weierstrass';

const N: usize = 12;
const L: usize = 48;

// SEC 2 v2 §2.5.1, as little-endian u32 limbs.
const P: usize = memory.data<u32>([
  0xffffffff, 0x00000000, 0x00000000, 0xffffffff, 0xfffffffe, 0xffffffff,
  0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
]);
const ORDER: usize = memory.data<u32>([
  0xccc52973, 0xecec196a, 0x48b0a77a, 0x581a0db2, 0xf4372ddf, 0xc7634d81,
  0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
]);
const B: usize = memory.data<u32>([
  0xd3ec2aef, 0x2a85c8ed, 0x8a2ed19d, 0xc656398d, 0x5013875a, 0x0314088f,
  0xfe814112, 0x181d9c6e, 0xe3f82d19, 0x988e056b, 0xe23ee7e4, 0xb3312fa7,
]);
const GX: usize = memory.data<u32>([
  0x72760ab7, 0x3a545e38, 0xbf55296c, 0x5502f25d, 0x82542a38, 0x59f741e0,
  0x8ba79b98, 0x6e1d3b62, 0xf320ad74, 0x8eb1c71e, 0xbe8b0537, 0xaa87ca22,
]);
const GY: usize = memory.data<u32>([
  0x90ea0e5f, 0x7a431d7c, 0x1d7e819d, 0x0a60b1ce, 0xb5f0b8c0, 0xe9da3113,
  0x289a147c, 0xf8f41dbd, 0x9292dc29, 0x5d9e98bf, 0x96262c6f, 0x3617de4a,
]);

/** The curve descriptor (weierstrass.ts layout). */
export const P384: usize = memory.data(<i32>CV_SIZE, 16);
/** Odd multiples of G for verification. */
export const P384_G_ODD: usize = memory.data(<i32>(G_ODD * 2 * L), 16);

let ready = false;

/** Fills the descriptor and the table of odd multiples of G, once. */
export function p384Setup(): void {
  if (ready) return;
  curveSetup(P384, N, P, ORDER, B, GX, GY, MOD_P384);
  buildOddMultiplesOfG(P384, P384_G_ODD);
  ecWipe();
  ready = true;
}
