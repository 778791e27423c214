/**
 * TempNet: a small network that predicts a per-anchor temperature, trained with the KL-constrained DRO loss whose
 * dual variable the temperature is. Qiu, Hu, Yuan, Zhou, Zhang & Yang, "To Cool or not to Cool? Temperature Network
 * Meets Large Foundation Models via DRO", ICML 2024 (arXiv:2404.04575); the per-anchor robust loss is that of
 * iSogCLR (Qiu et al., "Not All Semantics are Created Equal", ICML 2023, arXiv:2305.11965).
 */
import { tf } from "../tf/tf";
import { tidyData } from "../tf/tidy-data";
import { Rng, rng as makeRng } from "../core/rng";
import { mlp } from "../nn/models";
import type { Net } from "../nn/layers";
import { adam } from "../optim";
import { trainStep } from "../train/step";

/**
 * The KL-constrained DRO loss of an anchor, in its dual form with the temperature as the dual variable:
 *   max_{p ∈ Δ, KL(p ‖ 1/m) ≤ ρ} Σ_j p_j ℓ_ij  =  min_{τ>0}  τ log( (1/m) Σ_j exp(ℓ_ij / τ) ) + τ ρ,
 * with ℓ_ij = s_ij − s_i,pos the score of negative j minus the positive's (j over the m = columns − 1 negatives).
 * Given τᵢ (a number, or one per row: a tensor [n] predicted by a temperature network) this returns
 *   L = (1/n) Σᵢ [ τᵢ log( (1/m) Σ_{j ≠ posᵢ} exp(ℓ_ij / τᵢ) ) + τᵢ ρ ].
 * Its derivative in τᵢ is log mean exp(ℓ/τ) − E_p[ℓ]/τ + ρ = ρ − KL(p_τ ‖ uniform), so the best τᵢ is the one at
 * which the anchor's softmax weights over negatives have exactly KL = ρ to uniform: a hard anchor (one dominant
 * negative) gets a larger τ, an easy one a smaller τ.
 *
 * @param scores [n, cols] similarities, row i an anchor.
 * @param positives the column of each row's positive (length n).
 * @param tau a positive number or a [n] tensor of temperatures.
 * @param rho the KL radius ρ ≥ 0.
 */
export function droTemperatureLoss(scores: tf.Tensor, positives: ArrayLike<number>, tau: number | tf.Tensor, rho: number): tf.Scalar {
  const fn = "droTemperatureLoss";
  if (scores.rank !== 2) throw new Error(`${fn}: scores must be [anchors, candidates] (got shape [${scores.shape.join(", ")}])`);
  const [n, cols] = scores.shape as [number, number];
  if (cols < 2) throw new Error(`${fn}: each anchor needs at least one negative (got ${cols} columns)`);
  if (positives.length !== n) throw new Error(`${fn}: got ${positives.length} positives for ${n} anchors`);
  if (!(rho >= 0) || !Number.isFinite(rho)) throw new Error(`${fn}: rho must be a finite number ≥ 0 (got ${rho})`);
  if (typeof tau === "number" && !(tau > 0)) throw new Error(`${fn}: tau must be > 0 (got ${tau})`);
  if (typeof tau !== "number" && tau.size !== n) throw new Error(`${fn}: tau has ${tau.size} values for ${n} anchors`);
  const pick = new Float32Array(n * cols);
  const negativeMask = new Float32Array(n * cols).fill(0);
  for (let i = 0; i < n; i++) {
    const p = positives[i];
    if (!Number.isInteger(p) || p < 0 || p >= cols) throw new Error(`${fn}: positives[${i}] = ${p} is not a column index`);
    pick[i * cols + p] = 1;
    negativeMask[i * cols + p] = -1e9; // removes the positive from the negatives
  }
  return tf.tidy(() => {
    const t = typeof tau === "number" ? tf.fill([n, 1], tau) : tf.reshape(tau, [n, 1]);
    const positive = tf.sum(tf.mul(scores, tf.tensor2d(pick, [n, cols])), 1, true);
    const ell = tf.sub(scores, positive); // ℓ_ij = s_ij − s_i,pos
    const logits = tf.add(tf.div(ell, t), tf.tensor2d(negativeMask, [n, cols]));
    // τ (logsumexp_j(ℓ_ij/τ) − log m) + τ ρ
    const perAnchor = tf.mul(tf.reshape(t, [n]), tf.add(tf.sub(tf.logSumExp(logits, 1), Math.log(cols - 1)), rho));
    return tf.mean(perAnchor) as tf.Scalar;
  });
}

/** A temperature network: features → τ ∈ (τmin, τmax). */
export interface TemperatureNetwork {
  params: tf.Variable[];
  /** τ for each row of x [n, inputs] (call inside tf.tidy or a gradient function). */
  apply(x: tf.Tensor): tf.Tensor1D;
  dispose(): void;
}

/**
 * TempNet's head at toy scale: a one-hidden-layer MLP g and τ = τmin + (τmax − τmin) σ(g(x) + b₀), b₀ chosen so that
 * the initial temperature is about `tauInit` (the paper's TempNet also bounds τ with a sigmoid).
 */
export function temperatureNetwork(options: { inputs: number; hidden?: number; tauMin?: number; tauMax?: number; tauInit?: number; seed?: number | Rng }): TemperatureNetwork {
  const { inputs, hidden = 16, tauMin = 0.01, tauMax = 1, tauInit = 0.1 } = options;
  if (!(tauMin > 0 && tauMax > tauMin && tauInit > tauMin && tauInit < tauMax)) {
    throw new Error(`temperatureNetwork: need 0 < tauMin < tauInit < tauMax (got ${tauMin}, ${tauInit}, ${tauMax})`);
  }
  const net: Net = mlp({ sizes: [inputs, hidden, 1], activation: "tanh", seed: options.seed instanceof Rng ? options.seed : makeRng(options.seed ?? 0) });
  const u = (tauInit - tauMin) / (tauMax - tauMin);
  const offset = Math.log(u / (1 - u));
  return {
    params: net.params,
    apply: (x) => tf.add(tauMin, tf.mul(tauMax - tauMin, tf.sigmoid(tf.add(tf.reshape(net.apply(x), [-1]), offset)))) as tf.Tensor1D,
    dispose: () => net.dispose(),
  };
}

/** How {@link trainPairedEncoders} sets the temperature. */
export type TemperatureMode =
  | { kind: "fixed"; tau: number }
  | { kind: "global"; tauInit: number }
  | { kind: "tempnet"; rho: number; tauMin?: number; tauMax?: number; tauInit?: number; hidden?: number };

/** Options of {@link trainPairedEncoders}. */
export interface PairedEncoderOptions {
  /** View A (e.g. images), n × dimA, and view B (e.g. "captions"), n × dimB; row i of each is a positive pair. */
  a: Float32Array;
  b: Float32Array;
  dimA: number;
  dimB: number;
  /** Embedding width (default 16) and hidden width of the A encoder (default 64; B is linear). */
  embed?: number;
  hidden?: number;
  temperature: TemperatureMode;
  epochs: number;
  batchSize?: number;
  /** Adam learning rate of the encoders (and of τ or TempNet). Default 3e-3. */
  lr?: number;
  seed?: number | Rng;
}

/** Trained encoders. */
export interface PairedEncoders {
  /** L2-normalised embeddings of view A / B rows. */
  embedA(x: Float32Array): Float32Array;
  embedB(x: Float32Array): Float32Array;
  /** The temperature each A row would get (TempNet's prediction; the global or fixed τ otherwise). */
  temperatures(x: Float32Array): Float64Array;
  /** Mean training loss per epoch. */
  history: number[];
  dispose(): void;
}

/**
 * CLIP-style training of two encoders on paired views with a temperature that is fixed, a learned global scalar
 * (minimising the same cross-entropy), or predicted per anchor by a TempNet and trained with the DRO loss
 * ({@link droTemperatureLoss}). The contrastive loss is symmetric (A→B rows and B→A columns; pair i's temperature
 * is used in both directions); fixed and global modes use the usual cross-entropy −log softmax(s/τ)_pos.
 * TempNet reads the (gradient-stopped) A embedding.
 */
export function trainPairedEncoders(options: PairedEncoderOptions): PairedEncoders {
  const fn = "trainPairedEncoders";
  const { a, b, dimA, dimB, embed = 16, hidden = 64, temperature, epochs, batchSize = 128, lr = 3e-3 } = options;
  const n = a.length / dimA;
  if (!Number.isInteger(n) || n < 2 || b.length !== n * dimB) throw new Error(`${fn}: a and b must hold the same number (≥ 2) of rows of dimA and dimB values`);
  const r = options.seed instanceof Rng ? options.seed : makeRng(options.seed ?? 0);
  const encA = mlp({ sizes: [dimA, hidden, embed], seed: r.split() });
  const encB = mlp({ sizes: [dimB, embed], seed: r.split() });
  const normalize = (z: tf.Tensor) => tf.div(z, tf.sqrt(tf.add(tf.sum(tf.square(z), 1, true), 1e-12)));
  let logTau: tf.Variable | null = null;
  let tempNet: TemperatureNetwork | null = null;
  if (temperature.kind === "global") logTau = tf.variable(tf.scalar(Math.log(temperature.tauInit)), true, `${fn}-logTau-${Math.round(r.uniform() * 1e9)}`);
  if (temperature.kind === "tempnet") {
    tempNet = temperatureNetwork({ inputs: embed, hidden: temperature.hidden, tauMin: temperature.tauMin, tauMax: temperature.tauMax, tauInit: temperature.tauInit, seed: r.split() });
  }
  if (temperature.kind === "fixed" && !(temperature.tau > 0)) throw new Error(`${fn}: a fixed tau must be > 0 (got ${temperature.tau})`);
  const params = [...encA.params, ...encB.params, ...(logTau ? [logTau] : []), ...(tempNet ? tempNet.params : [])];
  const optimizer = adam({ lr });
  const shuffle = r.split();
  const history: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = shuffle.permutation(n);
    let total = 0;
    let count = 0;
    for (let start = 0; start + 1 < n; start += batchSize) {
      const idx = order.slice(start, Math.min(n, start + batchSize));
      const m = idx.length;
      if (m < 2) continue;
      const xa = new Float32Array(m * dimA);
      const xb = new Float32Array(m * dimB);
      idx.forEach((s, k) => {
        xa.set(a.subarray(s * dimA, (s + 1) * dimA), k * dimA);
        xb.set(b.subarray(s * dimB, (s + 1) * dimB), k * dimB);
      });
      const diagonal = Array.from({ length: m }, (_, i) => i);
      const onehot = new Float32Array(m * m);
      for (let i = 0; i < m; i++) onehot[i * m + i] = 1;
      const value = trainStep(params, () => {
        const ua = normalize(encA.apply(tf.tensor2d(xa, [m, dimA]), { training: true }));
        const ub = normalize(encB.apply(tf.tensor2d(xb, [m, dimB]), { training: true }));
        const s = tf.matMul(ua, ub, false, true);
        if (tempNet) {
          // TempNet reads the A embedding with the gradient stopped (a copy of its values breaks the tape)
          const tau = tempNet.apply(tf.tensor2d(ua.dataSync() as Float32Array, [m, embed]));
          const rho = (temperature as { rho: number }).rho;
          return tf.mul(0.5, tf.add(droTemperatureLoss(s, diagonal, tau, rho), droTemperatureLoss(tf.transpose(s), diagonal, tau, rho))) as tf.Scalar;
        }
        const tau = logTau ? tf.exp(logTau) : tf.scalar((temperature as { tau: number }).tau);
        const targets = tf.tensor2d(onehot, [m, m]);
        const ce = (logits: tf.Tensor) => tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), targets), 1)));
        const logits = tf.div(s, tau);
        return tf.mul(0.5, tf.add(ce(logits), ce(tf.transpose(logits)))) as tf.Scalar;
      }, optimizer);
      total += value * m;
      count += m;
    }
    history.push(total / count);
  }
  optimizer.dispose();
  const embedWith = (enc: Net, dim: number) => (x: Float32Array) =>
    tidyData(() => normalize(enc.apply(tf.tensor2d(x, [x.length / dim, dim]), { training: false }))) as Float32Array;
  const embedA = embedWith(encA, dimA);
  return {
    embedA,
    embedB: embedWith(encB, dimB),
    temperatures: (x) => {
      const rows = x.length / dimA;
      if (tempNet) {
        const net = tempNet;
        return Float64Array.from(tidyData(() => net.apply(normalize(encA.apply(tf.tensor2d(x, [rows, dimA]), { training: false })))));
      }
      const tau = logTau ? Math.exp(logTau.dataSync()[0]) : (temperature as { tau: number }).tau;
      return new Float64Array(rows).fill(tau);
    },
    history,
    dispose: () => {
      encA.dispose();
      encB.dispose();
      logTau?.dispose();
      tempNet?.dispose();
    },
  };
}
