/**
 * Training and evaluating a classifier: seeded shuffling, mini-batches, per-epoch metrics, progress, batched
 * prediction. Every tensor lives inside tf.tidy; the history records tf.memory().numTensors per epoch so that a leak
 * shows up as growth.
 */
import { tf } from "../tf/tf";
import { Rng, rng as makeRng } from "../core/rng";
import type { Optimizer } from "../optim/optimizer";
import type { Net } from "../nn/layers";
import { trainStep } from "./step";
import { classifierLoss } from "./loss";
import { batchTensor, checkClassificationData, gatherLabels, gatherRows, type ClassificationData } from "./data";
import { positiveIntegerArg } from "../core/shape";
import { yieldToEventLoop } from "./event-loop";

/** A loss from logits [N, K] and int32 labels [N] to a scalar. */
export type ClassifierLossFn = (logits: tf.Tensor, labels: tf.Tensor1D) => tf.Scalar;

/** Metrics of one epoch. Extra metrics returned by the `evaluate` callback are added under their own names. */
export interface EpochMetrics {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean training loss over the epoch's batches (weighted by batch size). */
  loss: number;
  /** Accuracy on the training batches as they were trained on (training mode, before each update). */
  trainAccuracy: number;
  /** Loss on the test data (evaluation mode), when test data was given. */
  testLoss?: number;
  /** Accuracy on the test data (evaluation mode), when test data was given. */
  testAccuracy?: number;
  /** Learning rate of the last step of the epoch. */
  learningRate: number;
  /** Wall-clock seconds of the epoch (training and evaluation). */
  seconds: number;
  /** Training steps per second in this epoch. */
  stepsPerSecond: number;
  /** tf.memory().numTensors at the end of the epoch (constant from epoch to epoch unless something leaks). */
  numTensors: number;
  [metric: string]: number | undefined;
}

/** Progress within an epoch, for `onProgress`. */
export interface TrainProgress {
  epoch: number;
  epochs: number;
  step: number;
  stepsPerEpoch: number;
  /** Mean training loss so far in this epoch. */
  loss: number;
  /** Training accuracy so far in this epoch. */
  trainAccuracy: number;
  /** Seconds since training started. */
  elapsed: number;
  /** Training examples per second so far in this epoch. */
  examplesPerSecond: number;
}

/** Options of {@link trainClassifier}. */
export interface TrainClassifierOptions {
  /** Training data: x Float32Array, y Int32Array, per-example shape (a lib/data Dataset fits). */
  train: ClassificationData;
  /** Optional test data, evaluated after every epoch. */
  test?: ClassificationData;
  /** The optimizer (it keeps its own step count, so schedules continue across calls). */
  optimizer: Optimizer;
  /** Number of passes over the training data (required). */
  epochs: number;
  /** Mini-batch size (default 128). */
  batchSize?: number;
  /** Drop the last, smaller batch of each epoch (default false). */
  dropLast?: boolean;
  /** Loss from logits and labels (default {@link classifierLoss}: mean softmax cross-entropy). */
  loss?: ClassifierLossFn;
  /** Seed or generator for the shuffling, dropout masks excepted (default 0). */
  seed?: number | Rng;
  /** Batch size for evaluation (default 1000). */
  evalBatchSize?: number;
  /** Per-batch augmentation of the training images, e.g. `(x, shape, r) => augmentBatch(x, shape, randomShift(), r)`. */
  augment?: (x: Float32Array, shape: readonly number[], rng: Rng) => Float32Array;
  /** Extra metrics after each epoch (e.g. a linear probe); merged into that epoch's metrics. */
  evaluate?: (net: Net, epoch: number) => Record<string, number> | Promise<Record<string, number>>;
  /** Called after each epoch with its metrics (e.g. to print a line or update a chart). */
  onEpoch?: (metrics: EpochMetrics) => void | Promise<void>;
  /** Called every `progressEvery` steps (for progress output in long runs; see {@link printProgress}). */
  onProgress?: (progress: TrainProgress) => void;
  /** Steps between onProgress calls (default: a tenth of an epoch). */
  progressEvery?: number;
}

/** What {@link trainClassifier} returns. */
export interface TrainResult {
  /** One entry per epoch. */
  history: EpochMetrics[];
  /** Optimizer steps taken in this call. */
  steps: number;
  /** Wall-clock seconds of this call. */
  seconds: number;
}

/** Checks that the net's output width covers the labels, with one example in evaluation mode. */
function checkOutputs(fn: string, net: Net, data: ClassificationData, name: string): number {
  const k: number = tf.tidy(() => {
    const out = net.apply(batchTensor(data.x.subarray(0, data.x.length / data.y.length), 1, data.shape));
    if (out.rank !== 2) throw new Error(`${fn}: the net must output logits [batch, classes] (got shape [${out.shape.join(", ")}] for one example)`);
    return out.shape[1] as number;
  });
  let maxLabel = -1;
  for (let i = 0; i < data.y.length; i++) {
    const c = data.y[i];
    if (!Number.isInteger(c) || c < 0) throw new Error(`${fn}: ${name}.y[${i}] = ${c} is not a class index (labels are integers ≥ 0)`);
    if (c > maxLabel) maxLabel = c;
  }
  if (maxLabel >= k) throw new Error(`${fn}: ${name} has label ${maxLabel} but the net outputs only ${k} logits; give the last layer ≥ ${maxLabel + 1} outputs`);
  return k;
}

/**
 * Trains a classifier with mini-batch SGD-style updates and reports per-epoch metrics.
 *
 * Each epoch: a permutation of the training set from the seeded rng, batches of `batchSize`, one `trainStep` per
 * batch (net in training mode, no input gradient), then evaluation on `test` (evaluation mode) and the `evaluate`
 * callback. Async so that progress printed by callbacks reaches the notebook while training runs.
 *
 * @example
 * const net = mlp({ sizes: [784, 256, 10], seed });
 * const { history } = await trainClassifier(net, { train, test, optimizer: sgd({ lr: 0.1, momentum: 0.9 }), epochs: 3, onProgress: printProgress });
 */
export async function trainClassifier(net: Net, options: TrainClassifierOptions): Promise<TrainResult> {
  const fn = "trainClassifier";
  if (!net || typeof net.apply !== "function" || !Array.isArray(net.params)) throw new Error(`${fn}: net must be a Net (e.g. from mlp(), cnn() or sequential())`);
  const { train, test, optimizer } = options;
  if (!optimizer || typeof optimizer.step !== "function") throw new Error(`${fn}: optimizer is required, e.g. sgd({ lr: 0.1, momentum: 0.9 })`);
  const epochs = positiveIntegerArg(fn, "epochs", options.epochs);
  const batchSize = positiveIntegerArg(fn, "batchSize", options.batchSize ?? 128);
  const evalBatchSize = positiveIntegerArg(fn, "evalBatchSize", options.evalBatchSize ?? 1000);
  const { n, d } = checkClassificationData(fn, "train", train);
  if (test) checkClassificationData(fn, "test", test);
  checkOutputs(fn, net, train, "train");
  if (test) checkOutputs(fn, net, test, "test");
  const lossFn = options.loss ?? classifierLoss;
  const r = options.seed instanceof Rng ? options.seed : makeRng(options.seed ?? 0);
  const dropLast = options.dropLast ?? false;
  const stepsPerEpoch = dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
  if (stepsPerEpoch === 0) throw new Error(`${fn}: dropLast with batchSize ${batchSize} > ${n} training examples leaves no batch; lower batchSize`);
  const progressEvery = options.progressEvery ?? Math.max(1, Math.ceil(stepsPerEpoch / 10));
  const history: EpochMetrics[] = [];
  const t0 = process.hrtime.bigint();
  const since = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e9;
  let steps = 0;

  for (let epoch = 1; epoch <= epochs; epoch++) {
    const te = process.hrtime.bigint();
    const order = r.permutation(n);
    const augmentRng = r.split();
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    for (let s = 0; s < stepsPerEpoch; s++) {
      const from = s * batchSize;
      const to = Math.min(n, from + batchSize);
      const rows = to - from;
      let xs = gatherRows(train.x, d, order, from, to);
      if (options.augment) xs = options.augment(xs, train.shape, augmentRng);
      const ys = gatherLabels(train.y, order, from, to);
      let batchCorrect = 0;
      const loss = tf.tidy(() => {
        const xb = batchTensor(xs, rows, train.shape);
        const yb = tf.tensor1d(ys, "int32");
        let hits: tf.Tensor | null = null;
        const value = trainStep(
          net.params,
          () => {
            const logits = net.apply(xb, { training: true, inputGradient: false });
            hits = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), yb), "int32")));
            return lossFn(logits, yb);
          },
          optimizer,
        );
        const h = hits as tf.Tensor | null;
        if (h) {
          batchCorrect = h.dataSync()[0];
          h.dispose();
        }
        return value;
      });
      if (!Number.isFinite(loss)) {
        throw new Error(`${fn}: the training loss became ${loss} at epoch ${epoch}, step ${s + 1}; lower the learning rate (now ${optimizer.learningRate})`);
      }
      lossSum += loss * rows;
      correct += batchCorrect;
      seen += rows;
      steps++;
      if (options.onProgress && ((s + 1) % progressEvery === 0 || s + 1 === stepsPerEpoch)) {
        options.onProgress({
          epoch,
          epochs,
          step: s + 1,
          stepsPerEpoch,
          loss: lossSum / seen,
          trainAccuracy: correct / seen,
          elapsed: since(t0),
          examplesPerSecond: seen / since(te),
        });
        await yieldToEventLoop();
      }
    }
    const trainSeconds = since(te);
    const metrics: EpochMetrics = {
      epoch,
      loss: lossSum / seen,
      trainAccuracy: correct / seen,
      learningRate: optimizer.learningRate,
      seconds: 0,
      stepsPerSecond: stepsPerEpoch / trainSeconds,
      numTensors: 0,
    };
    if (test) {
      const e = evaluateClassifier(net, test, { batchSize: evalBatchSize, loss: lossFn });
      metrics.testLoss = e.loss;
      metrics.testAccuracy = e.accuracy;
    }
    if (options.evaluate) Object.assign(metrics, await options.evaluate(net, epoch));
    metrics.seconds = since(te);
    metrics.numTensors = tf.memory().numTensors;
    history.push(metrics);
    if (options.onEpoch) await options.onEpoch(metrics);
    await yieldToEventLoop();
  }
  return { history, steps, seconds: since(t0) };
}

/** Options of {@link evaluateClassifier} and the predict functions. */
export interface EvaluateOptions {
  /** Batch size (default 1000). */
  batchSize?: number;
  /** Loss (default {@link classifierLoss}). */
  loss?: ClassifierLossFn;
}

/** Mean loss and accuracy of `net` on `data`, in evaluation mode, in batches. */
export function evaluateClassifier(net: Net, data: ClassificationData, options: EvaluateOptions = {}): { loss: number; accuracy: number; n: number } {
  const fn = "evaluateClassifier";
  const { n, d } = checkClassificationData(fn, "data", data);
  const batchSize = positiveIntegerArg(fn, "batchSize", options.batchSize ?? 1000);
  const lossFn = options.loss ?? classifierLoss;
  let lossSum = 0;
  let correct = 0;
  for (let from = 0; from < n; from += batchSize) {
    const to = Math.min(n, from + batchSize);
    const [l, c] = tf.tidy(() => {
      const xb = batchTensor(data.x.subarray(from * d, to * d), to - from, data.shape);
      const yb = tf.tensor1d(data.y.subarray(from, to), "int32");
      const logits = net.apply(xb, { training: false });
      const hits = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), yb), "int32"));
      return [lossFn(logits, yb).dataSync()[0], hits.dataSync()[0]];
    });
    lossSum += l * (to - from);
    correct += c;
  }
  return { loss: lossSum / n, accuracy: correct / n, n };
}

/**
 * The net's outputs for every example of x (evaluation mode, in batches), row-major in one Float32Array.
 * @param x n × prod(shape) values.
 * @param shape the per-example shape.
 */
export function predictBatches(net: Net, x: Float32Array, shape: readonly number[], options: { batchSize?: number } = {}): { values: Float32Array; rows: number; cols: number } {
  const fn = "predictBatches";
  const d = shape.reduce((a, b) => a * b, 1);
  if (!(x instanceof Float32Array) || d < 1 || x.length % d !== 0) {
    throw new Error(`${fn}: x must be a Float32Array of n × ${d} values for shape [${shape.join(", ")}] (got ${x?.length} values)`);
  }
  const n = x.length / d;
  const batchSize = positiveIntegerArg(fn, "batchSize", options.batchSize ?? 1000);
  let values: Float32Array | null = null;
  let cols = 0;
  for (let from = 0; from < n; from += batchSize) {
    const to = Math.min(n, from + batchSize);
    const out = tf.tidy(() => {
      const y = net.apply(batchTensor(x.subarray(from * d, to * d), to - from, shape), { training: false });
      return tf.reshape(y, [to - from, -1]).dataSync() as Float32Array;
    });
    if (!values) {
      cols = out.length / (to - from);
      values = new Float32Array(n * cols);
    }
    values.set(out, from * cols);
  }
  return { values: values ?? new Float32Array(0), rows: n, cols };
}

/** The predicted class (argmax of the outputs) of every example. */
export function predictClasses(net: Net, x: Float32Array, shape: readonly number[], options: { batchSize?: number } = {}): Int32Array {
  const { values, rows, cols } = predictBatches(net, x, shape, options);
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let k = 1; k < cols; k++) if (values[i * cols + k] > values[i * cols + best]) best = k;
    out[i] = best;
  }
  return out;
}

/** A ready-made `onProgress`: one line per call, e.g. "epoch 2/5 · step 120/469 · loss 0.2345 · acc 93.1% · 3100 ex/s". */
export function printProgress(p: TrainProgress): void {
  console.log(
    `epoch ${p.epoch}/${p.epochs} · step ${p.step}/${p.stepsPerEpoch} · loss ${p.loss.toFixed(4)} · acc ${(100 * p.trainAccuracy).toFixed(1)}% · ` +
      `${Math.round(p.examplesPerSecond)} ex/s · ${p.elapsed.toFixed(1)} s`,
  );
}
