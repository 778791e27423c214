/**
 * Sparsity-constrained optimal transport (Liu, Puigcerver & Blondel, "Sparsity-Constrained Optimal Transport",
 * ICLR 2023, arXiv:2209.15466), solved on its dual as in the paper, and quadratically-regularised OT (Blondel,
 * Seguy & Rolet, AISTATS 2018) as its k ≥ n special case.
 *
 * Primal: transport with a squared-ℓ2 regulariser and at most k nonzeros in every column t_j of the plan,
 *
 *   min_{T ∈ U(a, b)} ⟨T, C⟩ + Σ_j Ω(t_j),   Ω(t) = (γ/2)‖t‖² + δ(‖t‖₀ ≤ k),   U(a,b) = {T ≥ 0, T1 = a, Tᵀ1 = b}.
 *
 * The cardinality constraint makes the primal non-convex, but its dual is a smooth-ish concave problem over n + m
 * unconstrained variables, with the conjugate of Ω over t ≥ 0 in closed form (the "top-k squared" function):
 *
 *   D(α, β) = ⟨α, a⟩ + ⟨β, b⟩ − Σ_j Ω*(α + β_j 1 − c_j),   Ω*(s) = (1/2γ) Σ_{i ∈ top-k(s)} [s_i]₊²,     (dual)
 *   ∇Ω*(s) = (1/γ) [s]₊ restricted to the k largest entries of s,
 *
 * and the plan is read off the dual variables column by column, t_j = ∇Ω*(α + β_j 1 − c_j): at most k nonzeros per
 * column by construction. The dual gradient is the marginal violation, ∂D/∂α = a − T1, ∂D/∂β = b − Tᵀ1.
 *
 * The dual is that of the convex envelope of the primal: for k = 1 the envelope of Ω on a column of mass b_j is the
 * constant (γ/2) b_j², so max D = OT(a, b, C) + (γ/2) Σ_j b_j² (unregularised OT); for k ≥ n, Ω* = ‖[s]₊‖²/(2γ)
 * and the problem is quadratically-regularised OT. The objective gets smoother as k grows.
 */
import type { MatrixLike, VectorLike } from "../core/matrix";
import { lbfgs } from "./lbfgs";
import { checkCost, checkPositive, checkPositiveInteger, checkSameMass, checkWeights } from "./validate";

/** Options of {@link sparsityConstrainedOT}. */
export interface SparsityConstrainedOTOptions {
  /** Largest number of nonzeros per column of the plan, k ≥ 1; k ≥ n gives quadratically-regularised OT. Required. */
  k: number;
  /** Strength γ > 0 of the squared-ℓ2 regulariser (γ/2)‖t_j‖². Required. */
  gamma: number;
  /** Largest number of L-BFGS iterations. Default 2000. */
  maxIter?: number;
  /** Stop when the L∞ norm of the dual gradient (the largest marginal violation) is ≤ tol. Default 1e-10. */
  tol?: number;
  /** L-BFGS memory. Default 10. */
  memory?: number;
  /** Warm start (α, β). Default zeros. */
  init?: { alpha?: VectorLike; beta?: VectorLike };
}

/** Per-iteration log of {@link sparsityConstrainedOT}. */
export interface SparseOTHistory {
  /** L-BFGS iteration of each record (0 = the starting point). */
  iteration: number[];
  /** Dual objective D(α, β) (to be maximised). */
  dualValue: number[];
  /** L1 marginal error ‖T1 − a‖₁ + ‖Tᵀ1 − b‖₁ of the plan read off the current dual variables. */
  marginalError: number[];
}

/** Result of {@link sparsityConstrainedOT}. */
export interface SparseOTResult {
  /** The plan T, row-major n×m, column j = ∇Ω*(α + β_j − c_j): at most k nonzeros per column. */
  plan: Float64Array;
  /** [n, m]. */
  shape: [number, number];
  /** Dual variables on the sources. */
  alpha: Float64Array;
  /** Dual variables on the targets. */
  beta: Float64Array;
  /** Transport cost ⟨T, C⟩ (without the regulariser). */
  cost: number;
  /** Regularised primal objective ⟨T, C⟩ + (γ/2)‖T‖². */
  primalValue: number;
  /** Dual objective D(α, β) at the last iterate. */
  dualValue: number;
  /** L1 marginal error of the plan. */
  marginalError: number;
  /** Largest number of nonzeros in a column. */
  maxColumnNonzeros: number;
  /** Number of nonzero entries of the plan. */
  nonzeros: number;
  /** L-BFGS iterations done. */
  iterations: number;
  /** True when the largest marginal violation fell to tol. */
  converged: boolean;
  /** Per-iteration log. */
  history: SparseOTHistory;
}

/** Default options of {@link sparsityConstrainedOT} (k and gamma have none). */
export const SPARSE_OT_DEFAULTS = { maxIter: 2000, tol: 1e-10, memory: 10 } as const;

/**
 * Ω*(s) = (1/2γ) Σ_{i ∈ top-k(s)} [s_i]₊² and its gradient (1/γ)[s]₊ on the k largest entries (ties broken by the
 * lower index), written into `grad` (same length as s). The max of ⟨s, t⟩ − (γ/2)‖t‖² over t ≥ 0 with ‖t‖₀ ≤ k.
 */
export function topKSquaredConjugate(s: ArrayLike<number>, k: number, gamma: number, grad?: Float64Array): number {
  const n = s.length;
  if (grad) grad.fill(0);
  // One pass keeps the k largest positive entries in `top`, sorted by decreasing s (ties: lower index first, as they
  // are met in index order), without allocating or sorting the whole column (this runs n + m times per dual
  // evaluation). The squares are summed in the same order as a full sort would give: index order when at most k
  // entries are positive, decreasing order otherwise (so results do not depend on this implementation).
  const top = topBuffer(Math.min(k, n));
  let kept = 0;
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const v = s[i];
    if (!(v > 0)) continue;
    positives++;
    if (kept === k && !(v > s[top[k - 1]])) continue;
    let p = kept < k ? kept++ : k - 1;
    while (p > 0 && s[top[p - 1]] < v) { top[p] = top[p - 1]; p--; }
    top[p] = i;
  }
  let value = 0;
  if (positives <= k) {
    for (let i = 0; i < n; i++) {
      const v = s[i];
      if (!(v > 0)) continue;
      value += v * v;
      if (grad) grad[i] = v / gamma;
    }
  } else {
    for (let q = 0; q < kept; q++) {
      const i = top[q];
      value += s[i] * s[i];
      if (grad) grad[i] = s[i] / gamma;
    }
  }
  return value / (2 * gamma);
}

let topScratch = new Int32Array(16);
/** A reused index buffer of at least `size` entries for {@link topKSquaredConjugate}. */
function topBuffer(size: number): Int32Array {
  if (topScratch.length < size) topScratch = new Int32Array(Math.max(size, 2 * topScratch.length));
  return topScratch;
}

/**
 * Sparsity-constrained OT between weights `a` (length n) and `b` (length m) for the cost `C` (n×m): maximises the
 * dual D(α, β) by L-BFGS (as in the paper) and returns the plan with at most k nonzeros in every column.
 * With k ≥ n it is quadratically-regularised OT; with k = 1 its dual value is the unregularised OT cost plus
 * (γ/2) Σ_j b_j².
 *
 * The recovered plan satisfies the marginals only as well as the dual is solved; for small k the dual is
 * nonsmooth where entries of a column tie for the k-th place, and the marginal error may stall above tol.
 *
 * @param a source weights, non-negative, same total mass as b
 * @param b target weights
 * @param C cost matrix n×m
 * @param options {@link SparsityConstrainedOTOptions}; `k` and `gamma` are required
 *
 * ```ts
 * const { plan, cost, maxColumnNonzeros } = sparsityConstrainedOT(a, b, C, { k: 2, gamma: 1 });
 * ```
 */
export function sparsityConstrainedOT(a: VectorLike, b: VectorLike, C: MatrixLike, options: SparsityConstrainedOTOptions): SparseOTResult {
  const fn = "sparsityConstrainedOT";
  if (options == null || typeof options !== "object") throw new Error(`${fn}: options { k, gamma } are required`);
  const wa = checkWeights(a, fn, "a");
  const wb = checkWeights(b, fn, "b");
  checkSameMass(wa, wb, fn);
  const n = wa.length;
  const m = wb.length;
  const cost = checkCost(C, n, m, fn).data;
  const k = checkPositiveInteger(options.k, fn, "k");
  const gamma = checkPositive(options.gamma, fn, "gamma");
  const maxIter = checkPositiveInteger(options.maxIter ?? SPARSE_OT_DEFAULTS.maxIter, fn, "maxIter");
  const tol = checkPositive(options.tol ?? SPARSE_OT_DEFAULTS.tol, fn, "tol");
  const memory = checkPositiveInteger(options.memory ?? SPARSE_OT_DEFAULTS.memory, fn, "memory");
  const x0 = new Float64Array(n + m);
  if (options.init?.alpha) {
    if (options.init.alpha.length !== n) throw new Error(`${fn}: init.alpha has ${options.init.alpha.length} entries; pass n = ${n}`);
    x0.set(Array.from(options.init.alpha), 0);
  }
  if (options.init?.beta) {
    if (options.init.beta.length !== m) throw new Error(`${fn}: init.beta has ${options.init.beta.length} entries; pass m = ${m}`);
    x0.set(Array.from(options.init.beta), n);
  }

  // Column j of the cost and of the plan, contiguous (j·n + i): each dual evaluation works column by column.
  const costT = new Float64Array(m * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) costT[j * n + i] = cost[i * m + j];
  const planT = new Float64Array(m * n);
  const column = new Float64Array(n);
  const colGrad = new Float64Array(n);
  /**
   * −D(α, β) and −∇D = (T1 − a, Tᵀ1 − b) for the minimiser, in one pass over the columns; writes T(α, β) into
   * `planT` (column-major).
   */
  const negDual = (x: Float64Array, g: Float64Array): number => {
    let value = 0;
    for (let i = 0; i < n; i++) value += x[i] * wa[i];
    for (let i = 0; i < n; i++) g[i] = -wa[i];
    for (let j = 0; j < m; j++) {
      const bj = x[n + j];
      value += bj * wb[j];
      const offset = j * n;
      for (let i = 0; i < n; i++) column[i] = x[i] + bj - costT[offset + i]; // s = α + β_j 1 − c_j
      value -= topKSquaredConjugate(column, k, gamma, colGrad); // Ω*(s)
      let gj = -wb[j];
      for (let i = 0; i < n; i++) {
        const t = colGrad[i]; // t_j = ∇Ω*(s)
        planT[offset + i] = t;
        g[i] += t;
        gj += t;
      }
      g[n + j] = gj;
    }
    return -value;
  };
  const history: SparseOTHistory = { iteration: [], dualValue: [], marginalError: [] };
  const g0 = new Float64Array(n + m);
  history.iteration.push(0);
  history.dualValue.push(-negDual(x0, g0));
  history.marginalError.push(l1(g0));
  const result = lbfgs(negDual, x0, {
    maxIter, gradTol: tol, memory,
    callback: (iteration, value, _gi, _x, grad) => {
      // `grad` is −∇D at the accepted iterate, already computed by the line search: no extra evaluation
      history.iteration.push(iteration);
      history.dualValue.push(-value);
      history.marginalError.push(l1(grad));
    },
  });
  const finalGrad = new Float64Array(n + m);
  const dualValue = -negDual(result.x, finalGrad); // leaves the final plan in `planT`
  const plan = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) plan[i * m + j] = planT[j * n + i];
  let transportCost = 0;
  let squares = 0;
  let nonzeros = 0;
  let maxColumnNonzeros = 0;
  for (let j = 0; j < m; j++) {
    let count = 0;
    for (let i = 0; i < n; i++) {
      const t = plan[i * m + j];
      if (t !== 0) count++;
      transportCost += t * cost[i * m + j];
      squares += t * t;
    }
    nonzeros += count;
    maxColumnNonzeros = Math.max(maxColumnNonzeros, count);
  }
  return {
    plan, shape: [n, m], alpha: result.x.slice(0, n), beta: result.x.slice(n),
    cost: transportCost, primalValue: transportCost + (gamma / 2) * squares, dualValue,
    marginalError: l1(finalGrad), maxColumnNonzeros, nonzeros, iterations: result.iterations,
    converged: result.converged, history,
  };
}

function l1(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i]);
  return s;
}
