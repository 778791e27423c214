import type { Rng } from "../core/rng";

/**
 * The 12-bit task of Shwartz-Ziv & Tishby (2017), as used by the paper: all 4096 inputs x ∈ {−1, 1}¹², label
 * y = 1 when a fixed quadratic form f(x) = xᵀAx/12 + bᵀx exceeds its median (balanced classes, H(Y) = 1 bit).
 * A and b are drawn from `seed` (the original used a spherically symmetric function; see the notebook).
 */
export function twelveBitTask(seed: Rng): { x: Float64Array; y: Int32Array; n: number; d: number } {
  const d = 12, n = 1 << d;
  const A = seed.normals(d * d), b = seed.normals(d);
  const x = new Float64Array(n * d), f = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) x[i * d + j] = (i >> j) & 1 ? 1 : -1;
    let s = 0;
    for (let j = 0; j < d; j++) { s += b[j] * x[i * d + j]; for (let k = 0; k < d; k++) s += (A[j * d + k] * x[i * d + j] * x[i * d + k]) / d; }
    f[i] = s;
  }
  const median = Float64Array.from(f).sort()[n / 2];
  const y = Int32Array.from(f, (v) => (v >= median ? 1 : 0));
  return { x, y, n, d };
}
