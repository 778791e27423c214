/**
 * Binning estimators of the mutual information of a hidden layer, fixed-width and entropy-based adaptive, and the
 * small information-plane experiment of "Adaptive Estimators Show Information Compression in Deep Neural Networks"
 * (Chelombiev, Houghton & O'Donnell, ICLR 2019), in float64, in bits.
 *
 * (The 12-bit task is `twelveBitTask` in data/twelve-bit-task.ts; the float64 trainer that records the information plane
 * during training is `trainInformationPlaneMlp` in information-plane-mlp.ts.)
 *
 * A deterministic network maps each input x to a hidden representation T = f(x). Binning each unit of T into B bins
 * turns T into a discrete variable T̂; over a finite set of distinct inputs drawn uniformly,
 *   I(X; T̂) = H(T̂)                 (Eq. 1: T̂ is a function of X)
 *   I(T̂; Y) = H(T̂) − H(T̂ | Y)       (Eq. 2)
 * Fixed-width binning (Shwartz-Ziv & Tishby 2017; Saxe et al. 2018) splits [low, high] into B equal intervals; for a
 * non-saturating unit (ReLU) whose range grows during training, most samples end up in a few bins and the estimate
 * mostly tracks the range. Entropy-based adaptive binning (EBAB, the paper's Sec. 3) chooses each unit's bin edges
 * so that the bins hold (as nearly as possible) equal numbers of samples — the maximum-entropy binning — without ever
 * splitting equal values across bins (ReLU's exact zeros stay in one bin).
 */
import { entropyBits } from "./entropy-coupling";

/** Activations of n samples by d units, row-major (sample i, unit j at i·d + j). */
export interface LayerActivations { values: Float64Array; n: number; d: number }

function checkLayer(fn: string, a: LayerActivations): void {
  if (a.values.length !== a.n * a.d) throw new Error(`${fn}: values has ${a.values.length} entries, expected n·d = ${a.n}·${a.d}`);
  if (a.n < 1 || a.d < 1) throw new Error(`${fn}: need at least one sample and one unit (n = ${a.n}, d = ${a.d})`);
}

/**
 * Fixed-width bin index of every entry: bin k ∈ {0,…,B−1} of B equal intervals of [low, high]; values outside the
 * range are clipped to the first or last bin. Defaults: low/high = the layer's min/max over all units.
 */
export function fixedWidthBinCodes(a: LayerActivations, options: { bins: number; low?: number; high?: number }): Int32Array {
  checkLayer("fixedWidthBinCodes", a);
  const { bins } = options;
  if (!(bins >= 1 && Number.isInteger(bins))) throw new Error(`fixedWidthBinCodes: bins must be a positive integer (got ${bins})`);
  let low = options.low ?? Infinity, high = options.high ?? -Infinity;
  if (options.low === undefined || options.high === undefined) {
    for (const v of a.values) { if (options.low === undefined && v < low) low = v; if (options.high === undefined && v > high) high = v; }
  }
  const width = (high - low) / bins;
  const codes = new Int32Array(a.values.length);
  for (let i = 0; i < a.values.length; i++) {
    const k = width > 0 ? Math.floor((a.values[i] - low) / width) : 0;
    codes[i] = Math.min(bins - 1, Math.max(0, k));
  }
  return codes;
}

/**
 * Entropy-based adaptive bin edges of one unit's values: cut points (exclusive upper bounds) chosen so that each of
 * at most `bins` bins holds about n/B samples, with cuts only between distinct values. Greedy: walking the sorted
 * values, close the current bin at the distinct-value boundary nearest to the next target count k·n/B.
 * Returns the sorted thresholds t₁ < … < t_{B'−1} (B' ≤ B); value v falls in bin #{t : t ≤ v}.
 */
export function adaptiveBinEdges(values: ArrayLike<number>, bins: number): number[] {
  if (!(bins >= 1 && Number.isInteger(bins))) throw new Error(`adaptiveBinEdges: bins must be a positive integer (got ${bins})`);
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  // distinct values and the cumulative count below each of them
  const distinct: number[] = [], below: number[] = [];
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) { distinct.push(sorted[i]); below.push(i); }
  const edges: number[] = [];
  let next = 1; // index into distinct of the next candidate cut (a cut at distinct[j] puts below[j] samples under it)
  for (let k = 1; k < bins && next < distinct.length; k++) {
    const target = (k * n) / bins;
    let best = -1, bestGap = Infinity;
    for (let j = next; j < distinct.length; j++) {
      const gap = Math.abs(below[j] - target);
      if (gap < bestGap) { best = j; bestGap = gap; } else break; // below[] increases, so the gap is unimodal
    }
    if (best < 0) break;
    if (edges.length === 0 || distinct[best] > edges[edges.length - 1]) edges.push(distinct[best]);
    next = best + 1;
  }
  return edges;
}

/** Adaptive (EBAB) bin index of every entry, with edges from {@link adaptiveBinEdges} computed per unit. */
export function adaptiveBinCodes(a: LayerActivations, options: { bins: number }): Int32Array {
  checkLayer("adaptiveBinCodes", a);
  const codes = new Int32Array(a.values.length);
  const column = new Float64Array(a.n);
  for (let j = 0; j < a.d; j++) {
    for (let i = 0; i < a.n; i++) column[i] = a.values[i * a.d + j];
    const edges = adaptiveBinEdges(column, options.bins);
    for (let i = 0; i < a.n; i++) {
      const v = column[i];
      let lo = 0, hi = edges.length; // count of edges ≤ v by bisection
      while (lo < hi) { const mid = (lo + hi) >> 1; if (edges[mid] <= v) lo = mid + 1; else hi = mid; }
      codes[i * a.d + j] = lo;
    }
  }
  return codes;
}

/** Label each sample's row of bin codes (n × d) with a small integer id, equal rows getting equal ids. */
export function binPatternIds(codes: Int32Array, n: number, d: number): Int32Array {
  if (codes.length !== n * d) throw new Error(`binPatternIds: codes has ${codes.length} entries, expected n·d = ${n}·${d}`);
  const ids = new Int32Array(n), seen = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const key = Array.prototype.join.call(codes.subarray(i * d, (i + 1) * d), ",");
    let id = seen.get(key);
    if (id === undefined) { id = seen.size; seen.set(key, id); }
    ids[i] = id;
  }
  return ids;
}

/** Plug-in entropy in bits of the empirical distribution of integer labels. */
export function labelEntropyBits(labels: ArrayLike<number>): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  return entropyBits(Array.from(counts.values(), (c) => c / labels.length));
}

/** Plug-in mutual information I(A; B) = H(A) + H(B) − H(A, B) in bits of paired integer labels. */
export function labelMutualInformationBits(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`labelMutualInformationBits: a and b must pair up (lengths ${a.length} and ${b.length})`);
  let maxB = 0;
  for (let i = 0; i < b.length; i++) maxB = Math.max(maxB, b[i]);
  const joint = Array.from(a, (v, i) => v * (maxB + 1) + b[i]);
  return labelEntropyBits(a) + labelEntropyBits(b) - labelEntropyBits(joint);
}

export type Binning = "fixed" | "adaptive";

/** Options of {@link binnedInformationPlane}. */
export interface InformationPlaneOptions {
  binning: Binning;
  /** Bins per unit (default 30, the paper's and Saxe et al.'s choice). */
  bins?: number;
  /** Fixed binning range (default: the layer's min and max). */
  low?: number;
  high?: number;
}

/**
 * One point of the information plane: (I(X;T̂), I(T̂;Y)) in bits (Eqs. 1–2) for a layer's activations on n distinct,
 * equally likely inputs with labels y.
 */
export function binnedInformationPlane(a: LayerActivations, y: ArrayLike<number>, options: InformationPlaneOptions): { ixt: number; ity: number } {
  if (y.length !== a.n) throw new Error(`binnedInformationPlane: ${y.length} labels for ${a.n} samples`);
  const bins = options.bins ?? 30;
  const codes = options.binning === "fixed"
    ? fixedWidthBinCodes(a, { bins, low: options.low, high: options.high })
    : adaptiveBinCodes(a, { bins });
  const t = binPatternIds(codes, a.n, a.d);
  return { ixt: labelEntropyBits(t), ity: labelMutualInformationBits(t, y) };
}
