/**
 * Post-hoc calibration objectives and calibrators: global temperature scaling (Guo et al., ICML 2017) and the
 * correctness-aware (CA) loss with a sample-wise temperature predicted from transformed copies of the input
 * (Liu, Wang, Zou, Zou & Zheng, "Optimizing Calibration by Gaining Aware of Prediction Correctness",
 * arXiv:2404.13016, 2024; authors' code: github.com/liuyvchi/Correctness-aware-calibration,
 * src/cal_metrics/temperature_scaling_CA.py).
 *
 * Logits and probabilities are flat row-major arrays of n·C values (as `predictBatches(...).values` returns them).
 */
import { tf } from "../tf/tf";
import { tidyData } from "../tf/tidy-data";
import { Rng, rng as makeRng } from "../core/rng";
import { mlp } from "../nn/models";
import { adam } from "../optim";
import { trainStep } from "../train/step";

function checkTable(fn: string, values: ArrayLike<number>, classes: number, name = "logits"): number {
  if (!Number.isInteger(classes) || classes < 2) throw new Error(`${fn}: classes must be an integer ≥ 2 (got ${classes})`);
  if (values.length === 0 || values.length % classes !== 0) {
    throw new Error(`${fn}: ${name} has ${values.length} values, not a positive multiple of classes = ${classes}; pass n·C values row by row`);
  }
  return values.length / classes;
}

/**
 * Row-wise softmax of logits divided by a temperature: pᵢⱼ = exp(zᵢⱼ/Tᵢ) / Σₖ exp(zᵢₖ/Tᵢ).
 * `temperature` is one number for all rows (temperature scaling) or one per row (a sample-wise calibrator).
 * Positive temperatures never change the argmax, so accuracy is preserved.
 */
export function softmaxWithTemperature(logits: ArrayLike<number>, classes: number, temperature: number | ArrayLike<number> = 1): Float64Array {
  const fn = "softmaxWithTemperature";
  const n = checkTable(fn, logits, classes);
  if (typeof temperature !== "number" && temperature.length !== n) {
    throw new Error(`${fn}: got ${temperature.length} temperatures for ${n} rows; pass one number or one per row`);
  }
  const out = new Float64Array(n * classes);
  for (let i = 0; i < n; i++) {
    const t = typeof temperature === "number" ? temperature : temperature[i];
    if (!(t > 0) || !Number.isFinite(t)) throw new Error(`${fn}: temperature must be finite and > 0 (got ${t} for row ${i})`);
    let max = -Infinity;
    for (let j = 0; j < classes; j++) max = Math.max(max, logits[i * classes + j] / t);
    let sum = 0;
    for (let j = 0; j < classes; j++) sum += out[i * classes + j] = Math.exp(logits[i * classes + j] / t - max);
    for (let j = 0; j < classes; j++) out[i * classes + j] /= sum;
  }
  return out;
}

/** Mean negative log-likelihood −(1/n) Σᵢ log softmax(zᵢ/T)_{yᵢ}, in float64. */
export function temperatureNll(logits: ArrayLike<number>, classes: number, labels: ArrayLike<number>, temperature: number): number {
  const fn = "temperatureNll";
  const n = checkTable(fn, logits, classes);
  if (labels.length !== n) throw new Error(`${fn}: got ${labels.length} labels for ${n} rows of logits`);
  let total = 0;
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let j = 0; j < classes; j++) max = Math.max(max, logits[i * classes + j] / temperature);
    let sum = 0;
    for (let j = 0; j < classes; j++) sum += Math.exp(logits[i * classes + j] / temperature - max);
    total += max + Math.log(sum) - logits[i * classes + labels[i]] / temperature;
  }
  return total / n;
}

/** Options of {@link fitTemperature}. */
export interface FitTemperatureOptions {
  /** Search interval for T (default [0.05, 20]). */
  min?: number;
  max?: number;
  /** Golden-section iterations on log T (default 80: the interval shrinks by 0.618⁸⁰). */
  iterations?: number;
}

/**
 * Temperature scaling (Guo et al. 2017, §4.2): the single T > 0 minimising the validation NLL
 *   T* = argmin_T −(1/n) Σᵢ log softmax(zᵢ/T)_{yᵢ},
 * found by golden-section search on log T (the NLL is convex in 1/T, hence unimodal in log T).
 */
export function fitTemperature(
  logits: ArrayLike<number>, classes: number, labels: ArrayLike<number>, options: FitTemperatureOptions = {},
): { temperature: number; nll: number } {
  const { min = 0.05, max = 20, iterations = 80 } = options;
  if (!(min > 0 && max > min)) throw new Error(`fitTemperature: need 0 < min < max (got min ${min}, max ${max})`);
  const f = (logT: number) => temperatureNll(logits, classes, labels, Math.exp(logT));
  const g = (Math.sqrt(5) - 1) / 2;
  let a = Math.log(min);
  let b = Math.log(max);
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let k = 0; k < iterations; k++) {
    if (fc < fd) {
      b = d; d = c; fd = fc; c = b - g * (b - a); fc = f(c);
    } else {
      a = c; c = d; fc = fd; d = a + g * (b - a); fd = f(d);
    }
  }
  const temperature = Math.exp((a + b) / 2);
  return { temperature, nll: f(Math.log(temperature)) };
}

/**
 * The correctness-aware (CA) calibration loss of Liu et al. (2024), as in the authors' code: the squared gap between
 * the calibrated confidence p̂ᵢ = maxⱼ softmax(zᵢ/Tᵢ)ⱼ and the correctness cᵢ = [argmaxⱼ zᵢⱼ = yᵢ], class-balanced
 * between correct and wrong predictions (weight 1 − a on correct samples and a on wrong ones, a = accuracy in
 * the batch):
 *   L_CA = Σᵢ wᵢ (p̂ᵢ − cᵢ)² / Σᵢ wᵢ = ½ mean_{correct} (1 − p̂ᵢ)² + ½ mean_{wrong} p̂ᵢ².
 * It raises confidence on correct predictions and lowers it on wrong ones, whatever the score of the true class —
 * unlike the cross-entropy, which on a narrowly wrong sample pushes towards the true class and can sharpen the
 * wrong prediction. With `balanced: false` (or when the batch is all correct or all wrong) it is the plain mean.
 *
 * @param logits calibrated logits [n, C] (zᵢ/Tᵢ); a positive temperature keeps the argmax of the raw logits.
 * @param labels int32 true classes [n].
 */
export function correctnessAwareLoss(logits: tf.Tensor, labels: tf.Tensor1D, options: { balanced?: boolean } = {}): tf.Scalar {
  if (logits.rank !== 2) throw new Error(`correctnessAwareLoss: logits must be [n, classes] (got shape [${logits.shape.join(", ")}])`);
  if (labels.shape[0] !== logits.shape[0]) throw new Error(`correctnessAwareLoss: got ${labels.shape[0]} labels for ${logits.shape[0]} rows of logits`);
  const balanced = options.balanced ?? true;
  return tf.tidy(() => {
    // cᵢ = [argmaxⱼ zᵢⱼ = yᵢ]: a constant (no gradient flows through the argmax)
    const [n, classes] = logits.shape as [number, number];
    const predicted = tf.argMax(logits, 1).dataSync();
    const y = labels.dataSync();
    const flags = new Float32Array(n);
    const atPrediction = new Float32Array(n * classes);
    for (let i = 0; i < n; i++) {
      flags[i] = predicted[i] === y[i] ? 1 : 0;
      atPrediction[i * classes + predicted[i]] = 1;
    }
    // p̂ᵢ = softmax(zᵢ)_{ŷᵢ}: the maximum, read at the argmax through a constant mask (same value and gradient as
    // tf.max, whose gradient needs a bool→float cast that not every backend provides)
    const confidence = tf.sum(tf.mul(tf.softmax(logits), tf.tensor2d(atPrediction, [n, classes])), 1);
    const correct = tf.tensor1d(flags);
    const squared = tf.square(tf.sub(confidence, correct));
    const accuracy = flags.reduce((a, b) => a + b, 0) / n;
    if (!balanced || accuracy === 0 || accuracy === 1) return tf.mean(squared) as tf.Scalar;
    // weights: 1 − a on correct samples, a on wrong ones
    const weights = tf.add(tf.mul(correct, 1 - accuracy), tf.mul(tf.sub(1, correct), accuracy));
    return tf.div(tf.sum(tf.mul(weights, squared)), tf.sum(weights)) as tf.Scalar;
  });
}

/**
 * The calibrator's input in the authors' code: for every transformed copy t of a sample, the softmax of the
 * copy evaluated at the top-k classes of the original's logits, pᵗ_{i, π(i, 1..k)} (k = 4; copies side by side).
 * A sample whose prediction survives rotations, shifts or noise is more likely correct.
 *
 * @param originalLogits n·C logits of the untransformed samples (fixes the top-k classes).
 * @param transformedProbs one n·C probability table per transformed copy.
 * @returns n × (copies·k) features, row-major.
 */
export function transformationAgreementFeatures(
  originalLogits: ArrayLike<number>, transformedProbs: readonly ArrayLike<number>[], classes: number, k = 4,
): Float64Array {
  const fn = "transformationAgreementFeatures";
  const n = checkTable(fn, originalLogits, classes, "originalLogits");
  if (!Number.isInteger(k) || k < 1 || k > classes) throw new Error(`${fn}: k must be an integer in 1..${classes} (got ${k})`);
  if (transformedProbs.length === 0) throw new Error(`${fn}: pass at least one transformed copy's probabilities`);
  transformedProbs.forEach((p, t) => {
    if (p.length !== n * classes) throw new Error(`${fn}: transformedProbs[${t}] has ${p.length} values, expected ${n}·${classes}`);
  });
  const width = transformedProbs.length * k;
  const out = new Float64Array(n * width);
  const order = Array.from({ length: classes }, (_, j) => j);
  for (let i = 0; i < n; i++) {
    const row = (j: number) => originalLogits[i * classes + j];
    const top = order.slice().sort((a, b) => row(b) - row(a) || a - b).slice(0, k);
    transformedProbs.forEach((p, t) => {
      for (let r = 0; r < k; r++) out[i * width + t * k + r] = p[i * classes + top[r]];
    });
  }
  return out;
}

/** Options of {@link trainSampleTemperature}. */
export interface SampleTemperatureOptions {
  /** n·C raw logits of the validation samples. */
  logits: ArrayLike<number>;
  classes: number;
  /** n × width calibrator inputs (e.g. from {@link transformationAgreementFeatures}). */
  features: ArrayLike<number>;
  /** n true classes. */
  labels: ArrayLike<number>;
  /** "ca": {@link correctnessAwareLoss} (default); "ce": cross-entropy of the calibrated logits (the usual objective). */
  loss?: "ca" | "ce";
  /** For loss "ca": balance correct and wrong samples as the authors' code does (default true); false: plain mean. */
  balanced?: boolean;
  /** Hidden width of the calibrator MLP (default 5, as in the authors' code). */
  hidden?: number;
  /** Passes over the data (default 100). */
  epochs?: number;
  /** Mini-batch size (default 500). */
  batchSize?: number;
  /** Adam learning rate (default 0.01). */
  lr?: number;
  /** Temperature range [min, max] (default [0.1, 10], the authors' clamp). */
  range?: readonly [number, number];
  seed?: number | Rng;
}

/** A trained sample-wise temperature calibrator. */
export interface SampleTemperatureCalibrator {
  /** Tᵢ for each row of `features`. */
  temperatures(features: ArrayLike<number>): Float64Array;
  /** softmax(zᵢ / Tᵢ), n·C. */
  calibrate(logits: ArrayLike<number>, features: ArrayLike<number>): Float64Array;
  /** Training loss per epoch. */
  history: number[];
  dispose(): void;
}

/**
 * A sample-wise temperature calibrator (the authors' `Temperature_adaptive`): a small MLP g (width → hidden → 1,
 * ReLU) maps a sample's features to Tᵢ = exp(clip(g(fᵢ), log Tmin, log Tmax)) — log-parametrised so that T starts
 * near 1 (the authors clamp a linear output directly) — and the calibrated logits are zᵢ / Tᵢ (accuracy preserving).
 * Trained by Adam on the validation set with the CA loss or the cross-entropy.
 */
export function trainSampleTemperature(options: SampleTemperatureOptions): SampleTemperatureCalibrator {
  const fn = "trainSampleTemperature";
  const { classes, loss = "ca", balanced = true, hidden = 5, epochs = 100, batchSize = 500, lr = 0.01, range = [0.1, 10] } = options;
  const n = checkTable(fn, options.logits, classes);
  if (options.labels.length !== n) throw new Error(`${fn}: got ${options.labels.length} labels for ${n} rows of logits`);
  if (options.features.length % n !== 0 || options.features.length === 0) {
    throw new Error(`${fn}: features has ${options.features.length} values, not a multiple of the ${n} rows`);
  }
  if (loss !== "ca" && loss !== "ce") throw new Error(`${fn}: loss must be "ca" or "ce" (got ${String(loss)})`);
  const width = options.features.length / n;
  const r = options.seed instanceof Rng ? options.seed : makeRng(options.seed ?? 0);
  const net = mlp({ sizes: [width, hidden, 1], seed: r.split() });
  const [logMin, logMax] = [Math.log(range[0]), Math.log(range[1])];
  const temperatureOf = (f: tf.Tensor) => tf.exp(tf.clipByValue(net.apply(f) as tf.Tensor, logMin, logMax));
  const x = Float32Array.from(options.features);
  const z = Float32Array.from(options.logits);
  const y = Int32Array.from(options.labels);
  const optimizer = adam({ lr });
  const order = Array.from({ length: n }, (_, i) => i);
  const shuffle = r.split();
  const history: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = shuffle.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    let total = 0;
    for (let start = 0; start < n; start += batchSize) {
      const idx = order.slice(start, start + batchSize);
      const m = idx.length;
      const fb = new Float32Array(m * width);
      const zb = new Float32Array(m * classes);
      const yb = new Int32Array(m);
      idx.forEach((s, b) => {
        fb.set(x.subarray(s * width, (s + 1) * width), b * width);
        zb.set(z.subarray(s * classes, (s + 1) * classes), b * classes);
        yb[b] = y[s];
      });
      const value = trainStep(net.params, () => {
        const calibrated = tf.div(tf.tensor2d(zb, [m, classes]), temperatureOf(tf.tensor2d(fb, [m, width])));
        const labels = tf.tensor1d(yb, "int32");
        if (loss === "ca") return correctnessAwareLoss(calibrated, labels, { balanced });
        // one-hot targets built on the CPU side (a float32 tensor from a Float32Array: no int→float cast kernel)
        const targets = new Float32Array(m * classes);
        for (let b = 0; b < m; b++) targets[b * classes + yb[b]] = 1;
        return tf.losses.softmaxCrossEntropy(tf.tensor2d(targets, [m, classes]), calibrated) as tf.Scalar;
      }, optimizer);
      total += value * m;
    }
    history.push(total / n);
  }
  optimizer.dispose();
  const temperatures = (features: ArrayLike<number>): Float64Array => {
    if (features.length % width !== 0) throw new Error(`${fn}: features rows must have ${width} values (got ${features.length} in all)`);
    const rows = features.length / width;
    return Float64Array.from(tidyData(() => temperatureOf(tf.tensor2d(Float32Array.from(features), [rows, width]))));
  };
  return {
    temperatures,
    calibrate: (logits, features) => softmaxWithTemperature(logits, classes, temperatures(features)),
    history,
    dispose: () => net.params.forEach((p) => p.dispose()),
  };
}
