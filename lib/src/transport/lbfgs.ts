/**
 * Limited-memory BFGS in float64 for smooth (or piecewise-smooth) unconstrained minimisation, used by the transport
 * solvers that work on a dual objective (Nocedal & Wright, "Numerical Optimization", 2nd ed., 2006, Algorithm 7.4
 * (two-loop recursion) and Algorithm 7.5), with a backtracking line search on the Armijo condition.
 */

/** Objective and gradient: returns f(x) and writes ∇f(x) into `grad`. */
export type ObjectiveWithGradient = (x: Float64Array, grad: Float64Array) => number;

/** Options of {@link lbfgs}. */
export interface LbfgsOptions {
  /** Largest number of iterations. Default 1000. */
  maxIter?: number;
  /** Stop when ‖∇f‖_∞ ≤ gradTol. Default 1e-9. */
  gradTol?: number;
  /** Number of (s, y) pairs kept. Default 10. */
  memory?: number;
  /** Armijo constant c₁ in f(x + t d) ≤ f(x) + c₁ t ∇fᵀd. Default 1e-4. */
  armijo?: number;
  /** Largest number of step halvings per line search before giving up. Default 40. */
  maxBacktracks?: number;
  /** Stop when f has not decreased for this many consecutive iterations. Default 20. */
  stallIterations?: number;
  /**
   * Called after every iteration with the iteration number, f, ‖∇f‖_∞, the iterate x and the gradient ∇f(x) (e.g. to
   * record a history; both arrays are the solver's own buffers: copy them to keep them).
   */
  callback?: (iteration: number, value: number, gradInf: number, x: Float64Array, grad: Float64Array) => void;
}

/** Result of {@link lbfgs}. */
export interface LbfgsResult {
  /** Last iterate. */
  x: Float64Array;
  /** f at the last iterate. */
  value: number;
  /** ∇f at the last iterate. */
  grad: Float64Array;
  /** Iterations done. */
  iterations: number;
  /** Objective and gradient evaluations. */
  evaluations: number;
  /** True when ‖∇f‖_∞ ≤ gradTol. */
  converged: boolean;
  /**
   * Why it stopped: "gradient" (converged), "maxIter", "lineSearch" (no decrease found along the direction) or
   * "stalled" (f did not decrease for `stallIterations` iterations: the floating-point limit of f was reached).
   */
  reason: "gradient" | "maxIter" | "lineSearch" | "stalled";
}

/** Default options of {@link lbfgs}. */
export const LBFGS_DEFAULTS = { maxIter: 1000, gradTol: 1e-9, memory: 10, armijo: 1e-4, maxBacktracks: 40, stallIterations: 20 } as const;

/**
 * Minimises f from x0 by L-BFGS. The search direction is −H∇f by the two-loop recursion (N&W Alg. 7.4) with the
 * initial scaling H₀ = (sᵀy / yᵀy) I; pairs with sᵀy ≤ 1e-12 ‖s‖‖y‖ are skipped (keeps H positive definite on
 * nonsmooth pieces). The step starts at 1 (at 1/‖∇f‖ on the first iteration) and is halved until Armijo holds.
 *
 * ```ts
 * const { x, value } = lbfgs((x, g) => { g[0] = 2 * (x[0] - 3); return (x[0] - 3) ** 2; }, new Float64Array(1));
 * ```
 */
export function lbfgs(fg: ObjectiveWithGradient, x0: ArrayLike<number>, options: LbfgsOptions = {}): LbfgsResult {
  const fn = "lbfgs";
  const maxIter = options.maxIter ?? LBFGS_DEFAULTS.maxIter;
  const gradTol = options.gradTol ?? LBFGS_DEFAULTS.gradTol;
  const memory = options.memory ?? LBFGS_DEFAULTS.memory;
  const c1 = options.armijo ?? LBFGS_DEFAULTS.armijo;
  const maxBacktracks = options.maxBacktracks ?? LBFGS_DEFAULTS.maxBacktracks;
  const stallIterations = options.stallIterations ?? LBFGS_DEFAULTS.stallIterations;
  if (!Number.isInteger(maxIter) || maxIter < 0) throw new Error(`${fn}: maxIter must be a non-negative integer (got ${maxIter})`);
  if (!Number.isInteger(memory) || memory < 1) throw new Error(`${fn}: memory must be a positive integer (got ${memory})`);
  if (!(gradTol >= 0)) throw new Error(`${fn}: gradTol must be ≥ 0 (got ${gradTol})`);
  const n = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let f = fg(x, g);
  let evaluations = 1;
  if (!Number.isFinite(f)) throw new Error(`${fn}: the objective is ${f} at the starting point; start where it is finite`);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const d = new Float64Array(n);
  const alphaBuf = new Float64Array(memory);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  let iterations = 0;
  let best = f;
  let sinceDecrease = 0;
  let reason: LbfgsResult["reason"] = "maxIter";
  if (normInf(g) <= gradTol) reason = "gradient";
  while (reason !== "gradient" && iterations < maxIter) {
    // Two-loop recursion (N&W Alg. 7.4): d = −H ∇f.
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let m = S.length - 1; m >= 0; m--) {
      const a = rho[m] * dotOf(S[m], d);
      alphaBuf[m] = a;
      axpy(-a, Y[m], d);
    }
    if (S.length > 0) {
      const last = S.length - 1;
      const scale = dotOf(S[last], Y[last]) / dotOf(Y[last], Y[last]);
      for (let i = 0; i < n; i++) d[i] *= scale;
    }
    for (let m = 0; m < S.length; m++) {
      const beta = rho[m] * dotOf(Y[m], d);
      axpy(alphaBuf[m] - beta, S[m], d);
    }
    let slope = dotOf(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (can happen on nonsmooth pieces): restart from steepest descent.
      S.length = 0; Y.length = 0; rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i];
      slope = dotOf(g, d);
    }
    let step = S.length === 0 ? 1 / Math.max(1e-300, Math.sqrt(-slope)) : 1;
    let fNew = Infinity;
    let accepted = false;
    for (let bt = 0; bt <= maxBacktracks; bt++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
      fNew = fg(xNew, gNew);
      evaluations++;
      if (Number.isFinite(fNew) && fNew <= f + c1 * step * slope) { accepted = true; break; }
      step /= 2;
    }
    if (!accepted) { reason = "lineSearch"; break; }
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) { s[i] = xNew[i] - x[i]; y[i] = gNew[i] - g[i]; }
    const sy = dotOf(s, y);
    if (sy > 1e-12 * Math.sqrt(dotOf(s, s) * dotOf(y, y))) {
      if (S.length === memory) { S.shift(); Y.shift(); rho.shift(); }
      S.push(s); Y.push(y); rho.push(1 / sy);
    }
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    f = fNew;
    iterations++;
    const gi = normInf(g);
    options.callback?.(iterations, f, gi, x, g);
    if (gi <= gradTol) reason = "gradient";
    else {
      if (f < best) { best = f; sinceDecrease = 0; } else if (++sinceDecrease >= stallIterations) reason = "stalled";
      if (reason === "stalled") break;
    }
  }
  return { x, value: f, grad: g, iterations, evaluations, converged: reason === "gradient", reason };
}

function dotOf(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += a * x[i];
}
function normInf(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}
