/**
 * An embedding model (a backbone net and a cosine head) and its training loop for any loss on (embeddings,
 * cosines, labels): margin softmaxes, SFace, OPL, UNPG, symmetry terms. Every tensor lives inside tf.tidy.
 */
import { tf } from "../tf/tf";
import { tidyData } from "../tf/tidy-data";
import { Rng, rng as makeRng } from "../core/rng";
import type { Optimizer } from "../optim/optimizer";
import type { Net } from "../nn/layers";
import { trainStep } from "../train/step";
import { batchTensor, checkClassificationData, gatherLabels, gatherRows, type ClassificationData } from "../train/data";
import type { ClassifierHead } from "./cosine-head";

/** A backbone producing embeddings and a cosine head on top. */
export interface EmbeddingModel {
  readonly backbone: Net;
  readonly head: ClassifierHead;
  /** Trainable variables of both (the head's are empty when its centres are fixed). */
  readonly params: tf.Variable[];
  /** Frees the variables of both. */
  dispose(): void;
}

/** Puts a backbone (output [batch, d]) and a cosine head (d → C) together. */
export function embeddingModel(backbone: Net, head: ClassifierHead): EmbeddingModel {
  if (!backbone || typeof backbone.apply !== "function") throw new Error("embeddingModel: backbone must be a Net (e.g. from mlp() or cnn())");
  if (!head || typeof head.centres !== "function") throw new Error("embeddingModel: head must be a ClassifierHead from cosineHead() or linearHead()");
  return {
    backbone,
    head,
    params: [...backbone.params, ...head.params],
    dispose() {
      backbone.dispose();
      head.dispose();
    },
  };
}

/** What a loss sees of one training batch (tensors live until the step ends; do not dispose them). */
export interface EmbeddingBatch {
  /** The batch images [B, ...shape]. */
  images: tf.Tensor;
  /** Backbone outputs [B, d] (not normalised), training mode. */
  embeddings: tf.Tensor2D;
  /** Head outputs [B, C]: cos θ for a cosine head. */
  cosines: tf.Tensor2D;
  /** The same tensor as `cosines`, under the name that fits a linear head's outputs. */
  logits: tf.Tensor2D;
  /** Labels as an int32 tensor [B]. */
  labels: tf.Tensor1D;
  /** The same labels on the host. */
  labelIndices: Int32Array;
  /** Which training examples are in the batch (rows of `train.x`), e.g. to fetch per-example extras. */
  indices: Int32Array;
  /** The model (to embed extra inputs, e.g. half-face images, with the same weights, in training mode). */
  embed(x: tf.Tensor): tf.Tensor2D;
}

/** A loss on one batch. */
export type EmbeddingLossFn = (batch: EmbeddingBatch) => tf.Scalar;

/** One epoch's record. */
export interface EmbeddingEpoch {
  epoch: number;
  /** Mean training loss over the batches. */
  loss: number;
  /** Fraction of training batches' examples whose largest cosine is their (possibly noisy) label. */
  trainAccuracy: number;
  seconds: number;
  /** tf.memory().numTensors at the end of the epoch (constant unless something leaks). */
  numTensors: number;
  [metric: string]: number;
}

/** Options of {@link trainEmbeddingModel}. */
export interface TrainEmbeddingOptions {
  /** Training data (labels in [0, C)). */
  train: ClassificationData;
  /** The loss of a batch, e.g. `(b) => arcFaceLoss(b.cosines, b.labels, { scale: 16 })`. */
  loss: EmbeddingLossFn;
  optimizer: Optimizer;
  epochs: number;
  /** Default 128. */
  batchSize?: number;
  /** Seed or generator of the shuffling (default 0). */
  seed?: number | Rng;
  /** Extra metrics after each epoch (merged into the record). */
  evaluate?: (model: EmbeddingModel, epoch: number) => Record<string, number>;
  /** Called with each epoch's record (e.g. to print a line). */
  onEpoch?: (record: EmbeddingEpoch) => void;
}

/**
 * Trains `model` with mini-batches of a seeded permutation each epoch, one optimizer step per batch (the last,
 * smaller batch is dropped so that in-batch losses always see full batches).
 */
export function trainEmbeddingModel(model: EmbeddingModel, options: TrainEmbeddingOptions): { history: EmbeddingEpoch[]; seconds: number } {
  const fn = "trainEmbeddingModel";
  const { train, optimizer } = options;
  const { n, d } = checkClassificationData(fn, "train", train);
  if (typeof options.loss !== "function") throw new Error(`${fn}: loss must be a function of the batch, e.g. (b) => arcFaceLoss(b.cosines, b.labels)`);
  if (!optimizer || typeof optimizer.step !== "function") throw new Error(`${fn}: optimizer is required, e.g. adam({ lr: 1e-3 })`);
  if (!Number.isInteger(options.epochs) || options.epochs < 1) throw new Error(`${fn}: epochs must be a positive integer (got ${options.epochs})`);
  const batchSize = options.batchSize ?? 128;
  if (!Number.isInteger(batchSize) || batchSize < 2 || batchSize > n) throw new Error(`${fn}: batchSize must be an integer in [2, ${n}] (got ${batchSize})`);
  for (let i = 0; i < n; i++) {
    if (train.y[i] < 0 || train.y[i] >= model.head.classes) throw new Error(`${fn}: train.y[${i}] = ${train.y[i]} is not a class of the head (0..${model.head.classes - 1})`);
  }
  const r = options.seed instanceof Rng ? options.seed : makeRng(options.seed ?? 0);
  const steps = Math.floor(n / batchSize);
  const history: EmbeddingEpoch[] = [];
  const t0 = performance.now();
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const te = performance.now();
    const order = r.permutation(n);
    let lossSum = 0;
    let correct = 0;
    for (let s = 0; s < steps; s++) {
      const from = s * batchSize;
      const to = from + batchSize;
      const xs = gatherRows(train.x, d, order, from, to);
      const ys = gatherLabels(train.y, order, from, to);
      const indices = order.slice(from, to);
      let hits = 0;
      const value = tf.tidy(() => {
        const images = batchTensor(xs, batchSize, train.shape);
        const labels = tf.tensor1d(ys, "int32");
        return trainStep(
          model.params,
          () => {
            const embeddings = model.backbone.apply(images, { training: true, inputGradient: false }) as tf.Tensor2D;
            const cosines = model.head.apply(embeddings, { training: true }) as tf.Tensor2D;
            const predicted = tf.argMax(cosines, 1).dataSync();
            for (let i = 0; i < batchSize; i++) if (predicted[i] === ys[i]) hits++;
            const embed = (x: tf.Tensor) => model.backbone.apply(x, { training: true, inputGradient: false }) as tf.Tensor2D;
            return options.loss({ images, embeddings, cosines, logits: cosines, labels, labelIndices: ys, indices, embed });
          },
          optimizer,
        );
      });
      if (!Number.isFinite(value)) throw new Error(`${fn}: the loss became ${value} at epoch ${epoch}, step ${s + 1}; lower the learning rate (now ${optimizer.learningRate})`);
      lossSum += value;
      correct += hits;
    }
    const record: EmbeddingEpoch = { epoch, loss: lossSum / steps, trainAccuracy: correct / (steps * batchSize), seconds: 0, numTensors: 0 };
    if (options.evaluate) Object.assign(record, options.evaluate(model, epoch));
    record.seconds = (performance.now() - te) / 1000;
    record.numTensors = tf.memory().numTensors;
    history.push(record);
    options.onEpoch?.(record);
  }
  return { history, seconds: (performance.now() - t0) / 1000 };
}

/** Row-major outputs of `f` on every example of x, in batches, evaluation mode. */
function mapBatches(x: Float32Array, shape: readonly number[], batchSize: number, f: (xb: tf.Tensor) => tf.Tensor, fn: string): { values: Float32Array; rows: number; cols: number } {
  const d = shape.reduce((a, b) => a * b, 1);
  if (!(x instanceof Float32Array) || d < 1 || x.length % d !== 0) {
    throw new Error(`${fn}: x must be a Float32Array of n × ${d} values for shape [${shape.join(", ")}] (got ${x?.length} values)`);
  }
  const n = x.length / d;
  let values = new Float32Array(0);
  let cols = 0;
  for (let from = 0; from < n; from += batchSize) {
    const to = Math.min(n, from + batchSize);
    // tidyData reads the values outside tidy (see tf/tidy-data.ts: returning them from tidy costs more than the
    // forward pass itself for 1000 × 32 outputs)
    const out = tidyData(() => f(batchTensor(x.subarray(from * d, to * d), to - from, shape))) as Float32Array;
    if (from === 0) {
      cols = out.length / (to - from);
      values = new Float32Array(n * cols);
    }
    values.set(out, from * cols);
  }
  return { values, rows: n, cols };
}

/** Embeddings of every example, L2-normalised (evaluation mode): `values` is rows × cols, row-major. */
export function embedAll(model: EmbeddingModel, x: Float32Array, shape: readonly number[], options: { batchSize?: number; normalize?: boolean } = {}): { values: Float32Array; rows: number; cols: number } {
  const normalize = options.normalize ?? true;
  return mapBatches(
    x,
    shape,
    options.batchSize ?? 1000,
    (xb) => {
      const e = model.backbone.apply(xb, { training: false });
      return normalize ? tf.div(e, tf.sqrt(tf.add(tf.sum(tf.square(e), 1, true), 1e-12))) : e;
    },
    "embedAll",
  );
}

/** The head's outputs (cosines to the class centres for a cosine head) for every example (evaluation mode), rows × classes. */
export function cosinesAll(model: EmbeddingModel, x: Float32Array, shape: readonly number[], options: { batchSize?: number } = {}): { values: Float32Array; rows: number; cols: number } {
  return mapBatches(x, shape, options.batchSize ?? 1000, (xb) => model.head.apply(model.backbone.apply(xb, { training: false })), "cosinesAll");
}

/** The class with the largest cosine, per row of a rows × cols score matrix. */
export function argmaxRowsFloat32(scores: { values: Float32Array; rows: number; cols: number }): Int32Array {
  const { values, rows, cols } = scores;
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let k = 1; k < cols; k++) if (values[i * cols + k] > values[i * cols + best]) best = k;
    out[i] = best;
  }
  return out;
}
