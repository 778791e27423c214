/**
 * The peak test problem of adaptive-sampling PINN papers (DAS, AAS): −Δu = f on the box [−1, 1]^d with the exact
 * solution u*(x) = exp(−α |x − x₀|²), a sharp peak of width ~1/√α, and Dirichlet data g = u* on the boundary.
 *   ∇u* = −2α (x − x₀) u*,   Δu* = (4α² |x − x₀|² − 2dα) u*,   so f = −Δu* = (2dα − 4α² |x − x₀|²) u*.
 * Plus the two sampling helpers every PINN needs: points on the boundary of the box and the relative L2 error.
 */
import { Matrix } from "../core/matrix";
import type { Rng } from "../core/rng";

/** Options of {@link poissonPeak}. */
export interface PoissonPeakOptions {
  /** α, the sharpness (default 500: the peak's standard deviation is 1/√(2α) ≈ 0.032). */
  sharpness?: number;
  /** x₀, the centre (default the origin, in as many coordinates as `dim`). */
  center?: readonly number[];
  /** d (default 2). */
  dim?: number;
}

/** The problem: exact solution and source term at the rows of a point matrix, on the box [−1, 1]^d. */
export interface PoissonPeakProblem {
  dim: number;
  sharpness: number;
  center: Float64Array;
  /** u*(x) at every row of X. */
  exact(X: Matrix): Float64Array;
  /** f(x) = −Δu*(x) at every row of X. */
  source(X: Matrix): Float64Array;
}

/** −Δu = f on [−1, 1]^d with u*(x) = exp(−α |x − x₀|²) (see the module comment). */
export function poissonPeak(options: PoissonPeakOptions = {}): PoissonPeakProblem {
  const alpha = options.sharpness ?? 500;
  const dim = options.dim ?? options.center?.length ?? 2;
  const center = Float64Array.from(options.center ?? new Array(dim).fill(0));
  if (!(alpha > 0)) throw new Error(`poissonPeak: sharpness must be positive (got ${alpha})`);
  if (center.length !== dim) throw new Error(`poissonPeak: center has ${center.length} coordinates but dim is ${dim}`);
  const sq = (X: Matrix, i: number) => {
    let r2 = 0;
    for (let k = 0; k < dim; k++) r2 += (X.data[i * dim + k] - center[k]) ** 2;
    return r2;
  };
  const check = (fn: string, X: Matrix) => {
    if (X.cols !== dim) throw new Error(`poissonPeak.${fn}: the points have ${X.cols} coordinates, the problem ${dim}`);
  };
  return {
    dim,
    sharpness: alpha,
    center,
    exact(X) {
      check("exact", X);
      return Float64Array.from({ length: X.rows }, (_, i) => Math.exp(-alpha * sq(X, i)));
    },
    source(X) {
      check("source", X);
      return Float64Array.from({ length: X.rows }, (_, i) => {
        const r2 = sq(X, i);
        return (2 * dim * alpha - 4 * alpha * alpha * r2) * Math.exp(-alpha * r2);
      });
    },
  };
}

/** n points uniform on the boundary of the box [low, high]^d: a face chosen uniformly (2d faces of equal area), then a uniform point on it. */
export function boxBoundaryPoints(n: number, dim: number, r: Rng, low = -1, high = 1): Matrix {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(dim) || dim < 1) throw new Error(`boxBoundaryPoints: n must be a non-negative integer and dim a positive integer (got ${n}, ${dim})`);
  const X = new Matrix(n, dim, new Float64Array(n * dim));
  for (let i = 0; i < n; i++) {
    const face = r.int(2 * dim);
    for (let k = 0; k < dim; k++) X.data[i * dim + k] = r.uniform(low, high);
    X.data[i * dim + (face >> 1)] = face & 1 ? high : low;
  }
  return X;
}

/** The regular grid of n^d points covering [low, high]^d (corners included), first coordinate fastest. */
export function boxGrid(n: number, dim = 2, low = -1, high = 1): Matrix {
  if (!Number.isInteger(n) || n < 2) throw new Error(`boxGrid: n must be an integer ≥ 2 (got ${n})`);
  const total = n ** dim;
  const X = new Matrix(total, dim, new Float64Array(total * dim));
  const h = (high - low) / (n - 1);
  for (let i = 0; i < total; i++) {
    let rest = i;
    for (let k = 0; k < dim; k++) {
      X.data[i * dim + k] = low + h * (rest % n);
      rest = Math.floor(rest / n);
    }
  }
  return X;
}

/** ‖u − u*‖₂ / ‖u*‖₂ over the same points (a grid makes it the discrete relative L2 error). */
export function relativeL2Error(predicted: ArrayLike<number>, exact: ArrayLike<number>): number {
  if (predicted.length !== exact.length || exact.length === 0) throw new Error(`relativeL2Error: need two non-empty arrays of equal length (got ${predicted.length} and ${exact.length})`);
  let num = 0;
  let den = 0;
  for (let i = 0; i < exact.length; i++) {
    num += (predicted[i] - exact[i]) ** 2;
    den += exact[i] ** 2;
  }
  if (den === 0) throw new Error("relativeL2Error: the exact values are all zero; the relative error is undefined");
  return Math.sqrt(num / den);
}
