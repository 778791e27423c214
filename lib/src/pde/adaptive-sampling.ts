/**
 * Collocation-point samplers for PINNs.
 *
 * RAD (Wu et al. 2023, Eq. 2): resample from a candidate set with probability ∝ |r|ᵏ / E|r|ᵏ + c.
 *
 * A toy of adversarial adaptive sampling (AAS, Tang, Zhai, Wan & Yang, ICLR 2024): the paper's sampling density p is
 * a KRnet normalizing flow that *maximises* the PINN loss while a penalty on the smoothness of p keeps it from
 * collapsing,
 *   min_u max_p  J(u, p) = E_{x∼p}[r²(x; u)] − β ∫ |∇ₓp(x)|² dx            (the AAS min–max; β the penalty weight),
 * the penalty being how the paper embeds, through the Kantorovich dual with p playing the potential, the Wasserstein
 * distance between the residual-induced distribution and the uniform one (our reading of §3: recalled, not verified
 * against the text). Here p is a cheap density instead of a flow: a uniform floor plus a Gaussian mixture on the box,
 *   p(x) = ε/|Ω| + (1 − ε) Σₖ πₖ N(x; μₖ, σₖ² I),   π = softmax(α),  σₖ = exp(ℓₖ),
 * and its parameters θ = (μ, ℓ, α) take ascent steps on J using the same collocation points the network trains on:
 *   ∇_θ E_p[r²] = E_p[(r² − b) ∇_θ log p]   (score function, baseline b = the batch mean of r²),
 *   ∫|∇p|² = (1 − ε)² Σᵢⱼ πᵢπⱼ hᵢⱼ,  hᵢⱼ = N(δᵢⱼ; 0, sᵢⱼ I)(d/sᵢⱼ − |δᵢⱼ|²/sᵢⱼ²),  δᵢⱼ = μᵢ − μⱼ, sᵢⱼ = σᵢ² + σⱼ²
 * (the Gaussians' closed form over ℝᵈ; the uniform floor's gradient is zero inside the box).
 */
import { Matrix } from "../core/matrix";
import type { Rng } from "../core/rng";

/** Options of {@link radProbabilities}. */
export interface RadOptions {
  /** k, the residual's exponent (default 1, Wu et al.'s recommended value). */
  k?: number;
  /** c, the uniform share (default 1). */
  c?: number;
}

/** RAD's resampling probabilities over candidate points, ∝ |rᵢ|ᵏ / mean(|r|ᵏ) + c, normalised to sum 1. */
export function radProbabilities(residuals: ArrayLike<number>, options: RadOptions = {}): Float64Array {
  const k = options.k ?? 1;
  const c = options.c ?? 1;
  if (!(k >= 0) || !(c >= 0)) throw new Error(`radProbabilities: k and c must be ≥ 0 (got ${k}, ${c})`);
  const n = residuals.length;
  if (n === 0) throw new Error("radProbabilities: no candidate points");
  const w = new Float64Array(n);
  let mean = 0;
  for (let i = 0; i < n; i++) {
    w[i] = Math.abs(residuals[i]) ** k;
    mean += w[i] / n;
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    w[i] = (mean > 0 ? w[i] / mean : 1) + c;
    total += w[i];
  }
  if (!(total > 0)) throw new Error("radProbabilities: every weight is zero (all residuals 0 and c = 0); use c > 0");
  for (let i = 0; i < n; i++) w[i] /= total;
  return w;
}

/** n rows of `candidates` drawn with replacement with the given probabilities (inverse CDF, binary search). */
export function sampleRows(candidates: Matrix, probabilities: ArrayLike<number>, n: number, r: Rng): Matrix {
  if (probabilities.length !== candidates.rows) throw new Error(`sampleRows: ${probabilities.length} probabilities for ${candidates.rows} candidates`);
  const cdf = new Float64Array(candidates.rows);
  let acc = 0;
  for (let i = 0; i < cdf.length; i++) cdf[i] = acc += probabilities[i];
  const d = candidates.cols;
  const out = new Matrix(n, d, new Float64Array(n * d));
  for (let s = 0; s < n; s++) {
    const u = r.uniform() * acc;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    for (let k = 0; k < d; k++) out.data[s * d + k] = candidates.data[lo * d + k];
  }
  return out;
}

/** A uniform-floor Gaussian-mixture sampling density on the box [low, high]^d (see the module comment). */
export interface MixtureSampler {
  dim: number;
  components: number;
  /** ε, the share of the uniform floor. */
  floor: number;
  low: number;
  high: number;
  /** θ = [μ (K × d) | ℓ = log σ (K) | α = mixture logits (K)]. */
  params: Float64Array;
}

/** Options of {@link initMixtureSampler}. */
export interface InitMixtureSamplerOptions {
  /** K (default 4). */
  components?: number;
  /** d (default 2). */
  dim?: number;
  /** ε, the uniform floor's share of the samples (default 0.2). */
  floor?: number;
  /** Initial σ of every component (default 0.3). */
  initStd?: number;
  /** The box (default [−1, 1]). */
  box?: [number, number];
  /** Draws the initial means, uniform in the middle half of the box. */
  rng: Rng;
}

/** A mixture sampler with equal weights, means uniform in the middle half of the box and σ = initStd. */
export function initMixtureSampler(options: InitMixtureSamplerOptions): MixtureSampler {
  const K = options.components ?? 4;
  const d = options.dim ?? 2;
  const floor = options.floor ?? 0.2;
  const initStd = options.initStd ?? 0.3;
  const [low, high] = options.box ?? [-1, 1];
  if (!Number.isInteger(K) || K < 1 || !Number.isInteger(d) || d < 1) throw new Error(`initMixtureSampler: components and dim must be positive integers (got ${K}, ${d})`);
  if (!(floor >= 0 && floor < 1)) throw new Error(`initMixtureSampler: floor must be in [0, 1) (got ${floor}); 0 means no uniform share`);
  if (!(initStd > 0)) throw new Error(`initMixtureSampler: initStd must be positive (got ${initStd})`);
  if (!options.rng) throw new Error("initMixtureSampler: pass rng (e.g. rng(seed).split())");
  const params = new Float64Array(K * d + 2 * K);
  const mid = (low + high) / 2;
  const quarter = (high - low) / 4;
  for (let i = 0; i < K * d; i++) params[i] = options.rng.uniform(mid - quarter, mid + quarter);
  for (let k = 0; k < K; k++) params[K * d + k] = Math.log(initStd);
  return { dim: d, components: K, floor, low, high, params };
}

interface Unpacked {
  mu: Float64Array;
  sigma2: Float64Array;
  pi: Float64Array;
}

function unpack(s: MixtureSampler): Unpacked {
  const { components: K, dim: d, params } = s;
  if (params.length !== K * d + 2 * K) throw new Error(`mixtureSampler: params has ${params.length} entries but K = ${K}, d = ${d} need K·d + 2K = ${K * d + 2 * K}`);
  const mu = params.subarray(0, K * d);
  const sigma2 = new Float64Array(K);
  const pi = new Float64Array(K);
  let maxLogit = -Infinity;
  for (let k = 0; k < K; k++) {
    sigma2[k] = Math.exp(2 * params[K * d + k]);
    maxLogit = Math.max(maxLogit, params[K * d + K + k]);
  }
  let z = 0;
  for (let k = 0; k < K; k++) z += pi[k] = Math.exp(params[K * d + K + k] - maxLogit);
  for (let k = 0; k < K; k++) pi[k] /= z;
  return { mu, sigma2, pi };
}

/** φₖ(x) = N(x; μₖ, σₖ² I) and |x − μₖ|² for every component at one point. */
function componentsAt(s: MixtureSampler, u: Unpacked, x: Float64Array, off: number, phi: Float64Array, dist2: Float64Array): void {
  const { components: K, dim: d } = s;
  for (let k = 0; k < K; k++) {
    let q = 0;
    for (let j = 0; j < d; j++) q += (x[off + j] - u.mu[k * d + j]) ** 2;
    dist2[k] = q;
    phi[k] = Math.exp(-q / (2 * u.sigma2[k])) / Math.pow(2 * Math.PI * u.sigma2[k], d / 2);
  }
}

/** p(x) at every row of X (the floor ε/|Ω| plus the untruncated mixture). */
export function mixtureDensity(s: MixtureSampler, X: Matrix): Float64Array {
  if (X.cols !== s.dim) throw new Error(`mixtureDensity: the points have ${X.cols} coordinates, the sampler ${s.dim}`);
  const u = unpack(s);
  const K = s.components;
  const phi = new Float64Array(K);
  const dist2 = new Float64Array(K);
  const base = s.floor / Math.pow(s.high - s.low, s.dim);
  const p = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    componentsAt(s, u, X.data, i * s.dim, phi, dist2);
    let mix = 0;
    for (let k = 0; k < K; k++) mix += u.pi[k] * phi[k];
    p[i] = base + (1 - s.floor) * mix;
  }
  return p;
}

/**
 * n points from p: each is uniform in the box with probability ε, else from component k with probability πₖ; a
 * Gaussian draw outside the box is redrawn (up to 20 times, then clamped), so the sampled density is the mixture
 * truncated to the box — close to p when the components sit inside it.
 */
export function sampleMixture(s: MixtureSampler, n: number, r: Rng): Matrix {
  const u = unpack(s);
  const { components: K, dim: d, low, high } = s;
  const X = new Matrix(n, d, new Float64Array(n * d));
  for (let i = 0; i < n; i++) {
    if (r.uniform() < s.floor) {
      for (let j = 0; j < d; j++) X.data[i * d + j] = r.uniform(low, high);
      continue;
    }
    let v = r.uniform();
    let k = 0;
    while (k < K - 1 && v >= u.pi[k]) v -= u.pi[k++];
    const sd = Math.sqrt(u.sigma2[k]);
    for (let tries = 0; ; tries++) {
      let inside = true;
      for (let j = 0; j < d; j++) {
        const xj = u.mu[k * d + j] + sd * r.normal();
        X.data[i * d + j] = tries < 20 ? xj : Math.min(high, Math.max(low, xj));
        if (xj < low || xj > high) inside = false;
      }
      if (inside || tries >= 20) break;
    }
  }
  return X;
}

/** ∫_{ℝᵈ} |∇p|² dx of the mixture part and its gradient in θ (closed form, see the module comment). */
export function mixtureSmoothnessPenalty(s: MixtureSampler): { value: number; gradient: Float64Array } {
  const u = unpack(s);
  const { components: K, dim: d } = s;
  const scale = (1 - s.floor) ** 2;
  const grad = new Float64Array(s.params.length);
  const H = new Float64Array(K * K);
  const Hq = new Float64Array(K * K); // ∂h/∂q, q = |δ|²
  const Hs = new Float64Array(K * K); // ∂h/∂s
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) {
      let q = 0;
      for (let l = 0; l < d; l++) q += (u.mu[i * d + l] - u.mu[j * d + l]) ** 2;
      const sij = u.sigma2[i] + u.sigma2[j];
      const G = Math.exp(-q / (2 * sij)) / Math.pow(2 * Math.PI * sij, d / 2);
      const A = d / sij - q / (sij * sij);
      H[i * K + j] = G * A;
      Hq[i * K + j] = G * (-A / (2 * sij) - 1 / (sij * sij));
      Hs[i * K + j] = G * (A * (-d / (2 * sij) + q / (2 * sij * sij)) + (-d / (sij * sij) + (2 * q) / (sij * sij * sij)));
    }
  }
  let value = 0;
  const Hpi = new Float64Array(K);
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) Hpi[i] += H[i * K + j] * u.pi[j];
    value += u.pi[i] * Hpi[i];
  }
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < K; j++) {
      const w = u.pi[k] * u.pi[j];
      for (let l = 0; l < d; l++) grad[k * d + l] += scale * 4 * w * Hq[k * K + j] * (u.mu[k * d + l] - u.mu[j * d + l]); // ∂/∂μₖ
      grad[K * d + k] += scale * 4 * u.sigma2[k] * w * Hs[k * K + j]; // ∂/∂ℓₖ, ∂s/∂ℓₖ = 2σₖ² on both sides
    }
    grad[K * d + K + k] = scale * 2 * u.pi[k] * (Hpi[k] - value); // ∂/∂αₖ through the softmax
  }
  return { value: scale * value, gradient: grad };
}

/** Options of {@link aasSamplerStep}. */
export interface AasObjectiveOptions {
  /** β, the weight of the smoothness penalty ∫|∇p|² (default 1e-6; residuals of order 1). */
  beta?: number;
}

/**
 * The sampler's objective J(θ) = E_p[r²] − β ∫|∇p|² estimated at points X drawn from p with squared residuals r²,
 * and its gradient in θ (score-function estimate with the batch-mean baseline; the penalty in closed form).
 */
export function aasObjective(s: MixtureSampler, X: Matrix, squaredResiduals: ArrayLike<number>, options: AasObjectiveOptions = {}): { objective: number; meanSquaredResidual: number; penalty: number; gradient: Float64Array } {
  const beta = options.beta ?? 1e-6;
  if (!(beta >= 0)) throw new Error(`aasObjective: beta must be ≥ 0 (got ${beta})`);
  if (X.cols !== s.dim) throw new Error(`aasObjective: the points have ${X.cols} coordinates, the sampler ${s.dim}`);
  if (squaredResiduals.length !== X.rows || X.rows === 0) throw new Error(`aasObjective: need one squared residual per point (${squaredResiduals.length} for ${X.rows} points)`);
  const u = unpack(s);
  const { components: K, dim: d } = s;
  const n = X.rows;
  let baseline = 0;
  for (let i = 0; i < n; i++) baseline += squaredResiduals[i] / n;
  const phi = new Float64Array(K);
  const dist2 = new Float64Array(K);
  const base = s.floor / Math.pow(s.high - s.low, d);
  const grad = new Float64Array(s.params.length);
  for (let i = 0; i < n; i++) {
    const off = i * d;
    componentsAt(s, u, X.data, off, phi, dist2);
    let mix = 0;
    for (let k = 0; k < K; k++) mix += u.pi[k] * phi[k];
    const p = base + (1 - s.floor) * mix;
    const w = (squaredResiduals[i] - baseline) / (n * p); // (r² − b)/n · ∇p / p
    for (let k = 0; k < K; k++) {
      const dp = (1 - s.floor) * u.pi[k] * phi[k];
      for (let l = 0; l < d; l++) grad[k * d + l] += (w * dp * (X.data[off + l] - u.mu[k * d + l])) / u.sigma2[k]; // ∂p/∂μₖ
      grad[K * d + k] += w * dp * (dist2[k] / u.sigma2[k] - d); // ∂p/∂ℓₖ
      grad[K * d + K + k] += w * (1 - s.floor) * u.pi[k] * (phi[k] - mix); // ∂p/∂αₖ
    }
  }
  const pen = mixtureSmoothnessPenalty(s);
  for (let j = 0; j < grad.length; j++) grad[j] -= beta * pen.gradient[j];
  return { objective: baseline - beta * pen.value, meanSquaredResidual: baseline, penalty: pen.value, gradient: grad };
}
