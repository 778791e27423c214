/**
 * A one-hidden-layer tanh network u(x) = Σⱼ aⱼ tanh(wⱼᵀx + bⱼ) + c in float64, with its Laplacian in closed form
 * and hand-written parameter gradients of the PINN loss of the Poisson problem −Δu = f, u = g on ∂Ω.
 *
 * With zⱼ = wⱼᵀx + bⱼ, tⱼ = tanh zⱼ and sⱼ = |wⱼ|²:
 *   Δu(x) = Σⱼ aⱼ sⱼ tanh''(zⱼ),  tanh' = 1 − t²,  tanh'' = −2t(1 − t²),  tanh''' = (6t² − 2)(1 − t²).
 * Second derivatives through tfjs would need nested gradients (slow, fragile); for one hidden layer they are exact
 * and cheap by hand.
 */
import { Matrix } from "../core/matrix";
import type { Rng } from "../core/rng";

/** Parameters of u(x) = Σⱼ aⱼ tanh(wⱼᵀx + bⱼ) + c, packed in one vector (the layout {@link tanhNetworkParts} names). */
export interface TanhNetwork {
  /** Input dimension d. */
  inputDim: number;
  /** Hidden width m. */
  width: number;
  /** [W (m × d, row j = wⱼ) | b (m) | a (m) | c (1)], length m·d + 2m + 1. */
  params: Float64Array;
}

/** Views into a network's parameter vector. */
export interface TanhNetworkParts {
  W: Float64Array;
  b: Float64Array;
  a: Float64Array;
  /** Offset of c in `params`. */
  cIndex: number;
}

/** The named views W, b, a and the index of c inside `net.params` (they share its memory). */
export function tanhNetworkParts(net: TanhNetwork): TanhNetworkParts {
  const { inputDim: d, width: m, params } = net;
  if (params.length !== m * d + 2 * m + 1) {
    throw new Error(`tanhNetwork: params has ${params.length} entries but width ${m} and inputDim ${d} need m·d + 2m + 1 = ${m * d + 2 * m + 1}`);
  }
  return {
    W: params.subarray(0, m * d),
    b: params.subarray(m * d, m * d + m),
    a: params.subarray(m * d + m, m * d + 2 * m),
    cIndex: m * d + 2 * m,
  };
}

/** Options of {@link initTanhNetwork}. */
export interface InitTanhNetworkOptions {
  /** Hidden width m (default 100). */
  width?: number;
  /** Input dimension d (default 2). */
  inputDim?: number;
  /** Standard deviation of each entry of wⱼ (default 10: features as sharp as ~0.1 of the unit box). */
  weightStd?: number;
  /** Standard deviation of the output weights aⱼ (default 0.01: u starts close to 0). */
  outputStd?: number;
  /** Box [low, high]^d the hyperplanes wⱼᵀx + bⱼ = 0 are placed in (default [−1, 1]). */
  box?: [number, number];
  /** The random stream. */
  rng: Rng;
}

/**
 * A random network whose hidden units all switch inside the box: wⱼ ~ N(0, weightStd² I), and bⱼ = −wⱼᵀpⱼ for a
 * point pⱼ uniform in the box (so tanh(wⱼᵀx + bⱼ) changes sign inside the domain); aⱼ ~ N(0, outputStd²), c = 0.
 */
export function initTanhNetwork(options: InitTanhNetworkOptions): TanhNetwork {
  const m = options.width ?? 100;
  const d = options.inputDim ?? 2;
  const weightStd = options.weightStd ?? 10;
  const outputStd = options.outputStd ?? 0.01;
  const [low, high] = options.box ?? [-1, 1];
  if (!Number.isInteger(m) || m < 1 || !Number.isInteger(d) || d < 1) throw new Error(`initTanhNetwork: width and inputDim must be positive integers (got ${m}, ${d})`);
  if (!(weightStd > 0) || !(outputStd >= 0)) throw new Error(`initTanhNetwork: weightStd must be > 0 and outputStd ≥ 0 (got ${weightStd}, ${outputStd})`);
  if (!options.rng) throw new Error("initTanhNetwork: pass rng (e.g. rng(seed).split())");
  const net: TanhNetwork = { inputDim: d, width: m, params: new Float64Array(m * d + 2 * m + 1) };
  const { W, b, a } = tanhNetworkParts(net);
  const r = options.rng;
  for (let j = 0; j < m; j++) {
    let dot = 0;
    for (let k = 0; k < d; k++) {
      W[j * d + k] = r.normal(0, weightStd);
      dot += W[j * d + k] * r.uniform(low, high);
    }
    b[j] = -dot;
    a[j] = r.normal(0, outputStd);
  }
  return net;
}

function checkPoints(fn: string, net: TanhNetwork, X: Matrix): void {
  if (X.cols !== net.inputDim) throw new Error(`${fn}: the points have ${X.cols} coordinates but the network takes ${net.inputDim}`);
}

/** u and Δu at every row of X (n × d). */
export function tanhNetworkEval(net: TanhNetwork, X: Matrix): { value: Float64Array; laplacian: Float64Array } {
  checkPoints("tanhNetworkEval", net, X);
  const { inputDim: d, width: m, params } = net;
  const { W, b, a, cIndex } = tanhNetworkParts(net);
  const c = params[cIndex];
  const s = squaredNorms(W, m, d);
  const value = new Float64Array(X.rows);
  const laplacian = new Float64Array(X.rows);
  const x = X.data;
  for (let i = 0; i < X.rows; i++) {
    let u = c;
    let lap = 0;
    for (let j = 0; j < m; j++) {
      let z = b[j];
      for (let k = 0; k < d; k++) z += W[j * d + k] * x[i * d + k];
      const t = Math.tanh(z);
      u += a[j] * t;
      lap += a[j] * s[j] * (-2 * t * (1 - t * t)); // Δ tanh(wᵀx + b) = |w|² tanh''(z)
    }
    value[i] = u;
    laplacian[i] = lap;
  }
  return { value, laplacian };
}

function squaredNorms(W: Float64Array, m: number, d: number): Float64Array {
  const s = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let v = 0;
    for (let k = 0; k < d; k++) v += W[j * d + k] ** 2;
    s[j] = v;
  }
  return s;
}

/** Options of {@link poissonPinnLoss}. */
export interface PoissonPinnLossOptions {
  /** σ: the residual is measured as r/σ, so that (r/σ)² is O(1) when f is large (default 1). */
  residualScale?: number;
  /** λ, the weight of the boundary penalty (default 1). */
  boundaryWeight?: number;
}

/** Value, parts and gradient of the PINN loss (see {@link poissonPinnLoss}). */
export interface PoissonPinnLoss {
  loss: number;
  /** (1/N) Σᵢ (rᵢ/σ)². */
  residualLoss: number;
  /** (1/M) Σₖ (u(yₖ) − gₖ)². */
  boundaryLoss: number;
  /** The scaled residuals rᵢ/σ at the interior points, rᵢ = −Δu(xᵢ) − f(xᵢ). */
  residuals: Float64Array;
  /** ∂loss/∂params, same layout as `net.params`. */
  gradient: Float64Array;
}

/**
 * The PINN loss of −Δu = f in Ω, u = g on ∂Ω, with a soft (penalty) boundary condition:
 *   L(θ) = (1/N) Σᵢ (rᵢ/σ)² + λ (1/M) Σₖ (u(yₖ) − gₖ)²,   rᵢ = −Δu(xᵢ) − f(xᵢ),
 * the Monte Carlo estimate of E_{x∼p}[r²]/σ² + λ E_{y∼∂Ω}[(u − g)²] when the xᵢ are drawn from p (the paper's Eq. for
 * the PINN loss with a sampling density p; uniform p is plain PINN). Gradients by hand:
 *   ∂r/∂aⱼ = −sⱼ t''ⱼ,  ∂r/∂bⱼ = −aⱼ sⱼ t'''ⱼ,  ∂r/∂wⱼₖ = −aⱼ (2wⱼₖ t''ⱼ + sⱼ t'''ⱼ xₖ),  ∂r/∂c = 0;
 *   ∂u/∂aⱼ = tⱼ,  ∂u/∂bⱼ = aⱼ t'ⱼ,  ∂u/∂wⱼₖ = aⱼ t'ⱼ yₖ,  ∂u/∂c = 1.
 */
export function poissonPinnLoss(
  net: TanhNetwork,
  interior: Matrix,
  source: ArrayLike<number>,
  boundary: Matrix,
  boundaryValues: ArrayLike<number>,
  options: PoissonPinnLossOptions = {},
): PoissonPinnLoss {
  const fn = "poissonPinnLoss";
  checkPoints(fn, net, interior);
  checkPoints(fn, net, boundary);
  if (source.length !== interior.rows) throw new Error(`${fn}: ${source.length} source values for ${interior.rows} interior points`);
  if (boundaryValues.length !== boundary.rows) throw new Error(`${fn}: ${boundaryValues.length} boundary values for ${boundary.rows} boundary points`);
  if (interior.rows === 0) throw new Error(`${fn}: no interior points`);
  const sigma = options.residualScale ?? 1;
  const lambda = options.boundaryWeight ?? 1;
  if (!(sigma > 0) || !(lambda >= 0)) throw new Error(`${fn}: residualScale must be > 0 and boundaryWeight ≥ 0 (got ${sigma}, ${lambda})`);
  const { inputDim: d, width: m, params } = net;
  const { W, b, a, cIndex } = tanhNetworkParts(net);
  const c = params[cIndex];
  const s = squaredNorms(W, m, d);
  const grad = new Float64Array(params.length);
  const gW = grad.subarray(0, m * d);
  const gb = grad.subarray(m * d, m * d + m);
  const ga = grad.subarray(m * d + m, m * d + 2 * m);
  const residuals = new Float64Array(interior.rows);
  const t = new Float64Array(m);
  const x = interior.data;
  let residualLoss = 0;
  const N = interior.rows;
  for (let i = 0; i < N; i++) {
    let lap = 0;
    for (let j = 0; j < m; j++) {
      let z = b[j];
      for (let k = 0; k < d; k++) z += W[j * d + k] * x[i * d + k];
      const tj = Math.tanh(z);
      t[j] = tj;
      lap += a[j] * s[j] * (-2 * tj * (1 - tj * tj));
    }
    const r = (-lap - source[i]) / sigma;
    residuals[i] = r;
    residualLoss += r * r;
    const coef = (2 * r) / (sigma * N); // ∂L/∂r_raw = 2 (r/σ) / (σ N)
    for (let j = 0; j < m; j++) {
      const tj = t[j];
      const d1 = 1 - tj * tj;
      const d2 = -2 * tj * d1;
      const d3 = (6 * tj * tj - 2) * d1;
      ga[j] -= coef * s[j] * d2;
      gb[j] -= coef * a[j] * s[j] * d3;
      const base = coef * a[j];
      for (let k = 0; k < d; k++) gW[j * d + k] -= base * (2 * W[j * d + k] * d2 + s[j] * d3 * x[i * d + k]);
    }
  }
  residualLoss /= N;
  let boundaryLoss = 0;
  const M = boundary.rows;
  const y = boundary.data;
  for (let i = 0; i < M; i++) {
    let u = c;
    for (let j = 0; j < m; j++) {
      let z = b[j];
      for (let k = 0; k < d; k++) z += W[j * d + k] * y[i * d + k];
      t[j] = Math.tanh(z);
      u += a[j] * t[j];
    }
    const e = u - boundaryValues[i];
    boundaryLoss += e * e;
    const coef = (2 * lambda * e) / M;
    grad[cIndex] += coef;
    for (let j = 0; j < m; j++) {
      const d1 = 1 - t[j] * t[j];
      ga[j] += coef * t[j];
      gb[j] += coef * a[j] * d1;
      for (let k = 0; k < d; k++) gW[j * d + k] += coef * a[j] * d1 * y[i * d + k];
    }
  }
  if (M > 0) boundaryLoss /= M;
  return { loss: residualLoss + lambda * boundaryLoss, residualLoss, boundaryLoss, residuals, gradient: grad };
}
