/**
 * Training a Poisson PINN with one of three collocation samplers, all with the same network, optimiser, iterations
 * and N fresh interior points per iteration:
 *   - "uniform": N uniform points in the box each iteration (plain PINN with resampling);
 *   - "rad": RAD (Wu et al. 2023): every `every` iterations, residuals on `candidates` uniform points give the
 *     probabilities ∝ |r|ᵏ/E|r|ᵏ + c; each iteration draws its N points from them;
 *   - "aas": the adversarial toy (see adaptive-sampling.ts): each iteration draws N points from the mixture density
 *     p, takes one Adam step *down* the PINN loss for u and one Adam step *up* J(θ) = E_p[r²] − β∫|∇p|² for p,
 *     both estimated on the same N points (simultaneous gradient descent–ascent on the AAS min–max).
 */
import { Matrix } from "../core/matrix";
import type { Rng } from "../core/rng";
import { adamFloat64 } from "../optim/adam-float64";
import { tanhNetworkEval, poissonPinnLoss, type TanhNetwork } from "./tanh-network";
import { boxBoundaryPoints, relativeL2Error, type PoissonPeakProblem } from "./poisson-peak";
import { radProbabilities, sampleRows, initMixtureSampler, sampleMixture, aasObjective, type MixtureSampler } from "./adaptive-sampling";

/** Which collocation sampler (and its settings). */
export type PinnSampling =
  | { kind: "uniform" }
  | { kind: "rad"; /** candidate points (default 20·N) */ candidates?: number; /** refresh period (default 50) */ every?: number; k?: number; c?: number }
  | { kind: "aas"; components?: number; floor?: number; initStd?: number; /** β (default 1e-6) */ beta?: number; /** the sampler's Adam step (default 0.01) */ lr?: number };

/** Options of {@link trainPoissonPinn}. */
export interface TrainPoissonPinnOptions {
  problem: PoissonPeakProblem;
  /** The initial network (copied, not modified). */
  init: TanhNetwork;
  sampling: PinnSampling;
  /** Iterations (Adam steps on u). */
  iterations: number;
  /** N, interior points per iteration (default 500). */
  points?: number;
  /** M, boundary points per iteration (default 100). */
  boundaryPoints?: number;
  /** Adam step of the network (default 1e-3). */
  lr?: number;
  /** σ of the scaled residual r/σ (default max|f| = 2dα, f's value at the peak). */
  residualScale?: number;
  /** λ of the boundary penalty (default 10). */
  boundaryWeight?: number;
  /** Points where the relative L2 error is measured (a grid). */
  evalPoints: Matrix;
  /** Measure every this many iterations (default 100; also at 0 and at the end). */
  evalEvery?: number;
  rng: Rng;
  /** Called after each measurement. */
  onEval?: (row: PinnHistoryRow) => void;
}

/** One measurement. */
export interface PinnHistoryRow {
  iteration: number;
  relativeL2: number;
  /** The training loss of the last iteration's batch (scaled residual part + λ boundary part). */
  loss: number;
}

/** What {@link trainPoissonPinn} returns. */
export interface TrainPoissonPinnResult {
  net: TanhNetwork;
  history: PinnHistoryRow[];
  /** The interior points of the last iteration. */
  lastPoints: Matrix;
  /** The AAS sampler's final state (kind "aas" only). */
  sampler?: MixtureSampler;
}

/** Trains a PINN for −Δu = f, u = u* on ∂[−1, 1]^d with the chosen sampler (see the module comment). */
export function trainPoissonPinn(options: TrainPoissonPinnOptions): TrainPoissonPinnResult {
  const { problem, sampling, iterations, evalPoints } = options;
  const d = problem.dim;
  const N = options.points ?? 500;
  const M = options.boundaryPoints ?? 100;
  const evalEvery = options.evalEvery ?? 100;
  if (!Number.isInteger(iterations) || iterations < 0) throw new Error(`trainPoissonPinn: iterations must be a non-negative integer (got ${iterations})`);
  if (options.init.inputDim !== d) throw new Error(`trainPoissonPinn: the network takes ${options.init.inputDim} coordinates, the problem has ${d}`);
  const net: TanhNetwork = { ...options.init, params: options.init.params.slice() };
  const lossOptions = { residualScale: options.residualScale ?? 2 * d * problem.sharpness, boundaryWeight: options.boundaryWeight ?? 10 };
  const opt = adamFloat64({ lr: options.lr ?? 1e-3 });
  const r = options.rng;
  const pointsRng = r.split();
  const exactEval = problem.exact(evalPoints);
  const history: PinnHistoryRow[] = [];
  const uniform = (n: number) => new Matrix(n, d, pointsRng.uniforms(n * d, -1, 1));

  let sampler: MixtureSampler | undefined;
  let samplerOpt: ReturnType<typeof adamFloat64> | undefined;
  if (sampling.kind === "aas") {
    sampler = initMixtureSampler({ components: sampling.components, floor: sampling.floor, initStd: sampling.initStd, dim: d, rng: r.split() });
    samplerOpt = adamFloat64({ lr: sampling.lr ?? 0.01, ascend: true });
  }
  let radCandidates: Matrix | undefined;
  let radProbs: Float64Array | undefined;

  let lastPoints = uniform(N);
  let lastLoss = NaN;
  const measure = (iteration: number) => {
    const row = { iteration, relativeL2: relativeL2Error(tanhNetworkEval(net, evalPoints).value, exactEval), loss: lastLoss };
    history.push(row);
    options.onEval?.(row);
  };
  measure(0);
  for (let it = 1; it <= iterations; it++) {
    let X: Matrix;
    if (sampling.kind === "uniform") X = uniform(N);
    else if (sampling.kind === "rad") {
      if (!radProbs || (it - 1) % (sampling.every ?? 50) === 0) {
        radCandidates = uniform(sampling.candidates ?? 20 * N);
        const { laplacian } = tanhNetworkEval(net, radCandidates);
        const f = problem.source(radCandidates);
        radProbs = radProbabilities(Float64Array.from(laplacian, (lap, i) => -lap - f[i]), { k: sampling.k, c: sampling.c });
      }
      X = sampleRows(radCandidates!, radProbs, N, pointsRng);
    } else X = sampleMixture(sampler!, N, pointsRng);
    const Y = boxBoundaryPoints(M, d, pointsRng);
    const out = poissonPinnLoss(net, X, problem.source(X), Y, problem.exact(Y), lossOptions);
    if (sampling.kind === "aas") {
      const r2 = Float64Array.from(out.residuals, (v) => v * v);
      const ascent = aasObjective(sampler!, X, r2, { beta: sampling.beta });
      samplerOpt!.step(sampler!.params, ascent.gradient); // max over p
    }
    opt.step(net.params, out.gradient); // min over u
    lastLoss = out.loss;
    lastPoints = X;
    if (it % evalEvery === 0 || it === iterations) measure(it);
  }
  return { net, history, lastPoints, sampler };
}
