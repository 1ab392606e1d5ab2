// Prints the unrolled bodies of p256Mul and p256Sqr for assembly/fieldp256.ts
// (node scripts/gen-p256-mul.mjs). The output is pasted between the
// "generated" markers there; see that file for the method.
const L = [];
const emit = (s) => L.push('  ' + s);

function columns(square) {
  // lo[k], hi[k]: sums of the low and high halves of the products in column k.
  const terms = Array.from({ length: 16 }, () => []);
  for (let i = 0; i < 8; i++) {
    for (let j = square ? i : 0; j < 8; j++) {
      if (square && i === j) continue;
      terms[i + j].push([i, j]);
    }
  }
  for (let k = 0; k < 15; k++) {
    const ts = terms[k];
    if (ts.length === 0) continue;
    const names = ts.map(([i, j]) => `p${i}_${j}`);
    for (const [n, [i, j]] of names.map((n, x) => [n, ts[x]])) emit(`const ${n} = a${i} * ${square ? 'a' : 'b'}${j};`);
    emit(`let l${k}: u64 = ${names.map((n) => `(${n} & M)`).join(' + ')};`);
    emit(`let h${k}: u64 = ${names.map((n) => `(${n} >> 32)`).join(' + ')};`);
  }
  if (square) {
    // Cross products count twice; then the squares a_i^2 in column 2i.
    for (let k = 0; k < 15; k++) {
      if (terms[k].length === 0) {
        emit(`let l${k}: u64 = 0;`);
        emit(`let h${k}: u64 = 0;`);
      } else {
        emit(`l${k} <<= 1;`);
        emit(`h${k} <<= 1;`);
      }
    }
    for (let i = 0; i < 8; i++) {
      emit(`const s${i} = a${i} * a${i};`);
      emit(`l${2 * i} += s${i} & M;`);
      emit(`h${2 * i} += s${i} >> 32;`);
    }
  }
  // v_k = l_k + h_{k-1}, as signed limbs of the 512-bit product (each < 2^37).
  emit(`let v0 = <i64>l0;`);
  for (let k = 1; k < 15; k++) emit(`let v${k} = <i64>(l${k} + h${k - 1});`);
  emit(`let v15 = <i64>h14;`);
}

function reduce() {
  // Montgomery reduction, one 32-bit digit at a time: q = the digit (n0' = 1);
  // q p = q 2^256 - q 2^224 + q 2^192 + q 2^96 - q adds +q at digits i + 3,
  // i + 6 and i + 8, -q at i + 7, and cancels digit i, whose carry moves on.
  emit('let c: i64 = 0;');
  emit('let q: i64 = 0;');
  for (let i = 0; i < 8; i++) {
    emit(`v${i} += c;`);
    emit(`q = v${i} & MI;`);
    emit(`c = (v${i} - q) >> 32;`);
    emit(`v${i + 3} += q;`);
    emit(`v${i + 6} += q;`);
    emit(`v${i + 7} -= q;`);
    emit(`v${i + 8} += q;`);
  }
  // Carries through the upper half; what is left over is digit 8 (0 or 1).
  for (let k = 8; k < 16; k++) {
    emit(`v${k} += c;`);
    emit(`c = v${k} >> 32;`);
  }
  emit(`finish(r, <u64>v8 & M, <u64>v9 & M, <u64>v10 & M, <u64>v11 & M, <u64>v12 & M, <u64>v13 & M, <u64>v14 & M, <u64>v15 & M, <u64>c);`);
}

const loads = (n) => Array.from({ length: 8 }, (_, i) => `${n}${i} = <u64>load<u32>(${n}, ${4 * i})`);
console.log('export function p256Mul(r: usize, a: usize, b: usize): void {');
console.log(`  const ${loads('a').join(', ')};`);
console.log(`  const ${loads('b').join(', ')};`);
L.length = 0; columns(false); reduce(); console.log(L.join('\n'));
console.log('}\n');
console.log('export function p256Sqr(r: usize, a: usize): void {');
console.log(`  const ${loads('a').join(', ')};`);
L.length = 0; columns(true); reduce(); console.log(L.join('\n'));
console.log('}');
