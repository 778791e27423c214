/**
 * Self-supervised pretraining with two augmented views (the joint-embedding recipe of Barlow Twins, SimCLR, VICReg,
 * …): for each batch X of unlabeled images, draw two views Y^A = t_A(X), Y^B = t_B(X) with t_A, t_B ~ T, embed both
 * with the same networks, Z = g(f(Y)) (encoder f, projector g), and take one optimizer step on a loss L(Z^A, Z^B).
 *
 * Zbontar et al., Barlow Twins, ICML 2021 (arXiv:2103.03230), §2.1 and Algorithm 1:
 *   for x in loader:  y_a, y_b = augment(x), augment(x);  z_a, z_b = f(y_a), f(y_b);  loss = L(z_a, z_b);  step
 * The loss is a parameter, so the same loop serves every method whose loss compares two batches of embeddings
 * (lib/losses: barlowTwinsLoss, infoNCELoss, …).
 */
import { tf } from "../tf/tf";
import { Rng, rng as makeRng } from "../core/rng";
import { twoViews, type ImageAugment } from "../data/augment";
import type { Net } from "../nn/layers";
import type { Optimizer } from "../optim/optimizer";
import { trainStep } from "../train/step";
import { applyChain, checkImages } from "./embed";
import { positiveIntegerArg } from "../core/shape";
import { yieldToEventLoop } from "../train/event-loop";

/** A loss of two batches of embeddings [N, D] of the same N examples: a scalar tensor (differentiable). */
export type TwoViewLoss = (z1: tf.Tensor, z2: tf.Tensor) => tf.Scalar;

/** Unlabeled images: n examples of `shape` back to back (a lib/data Dataset fits; its labels are not read). */
export interface UnlabeledImages {
  x: Float32Array;
  shape: readonly number[];
}

/** One row of the pretraining history. Extra metrics from `evaluate` appear under their own names. */
export interface PretrainEpoch {
  /** 0 for the state before training (only when `evaluate` is given), then 1, 2, … */
  epoch: number;
  /** Optimizer steps taken so far. */
  step: number;
  /** Mean loss over the epoch's batches (NaN for epoch 0). */
  loss: number;
  /** Learning rate of the last step (NaN for epoch 0). */
  learningRate: number;
  /** Seconds since the call started. */
  elapsed: number;
  /** tf.memory().numTensors after the epoch (constant from epoch to epoch unless something leaks). */
  numTensors: number;
  [metric: string]: number;
}

/** Options of {@link pretrainTwoViews}. */
export interface PretrainTwoViewsOptions {
  /** The unlabeled training images. */
  data: UnlabeledImages;
  /** The distribution T of distortions: one random view of one image per call (lib/data augmentations). */
  augment: ImageAugment;
  /** L(Z^A, Z^B), e.g. `(a, b) => barlowTwinsLoss(a, b, { lambda: 5e-3 })`. */
  loss: TwoViewLoss;
  /** The optimizer (it keeps its own step count, so a schedule continues across calls). */
  optimizer: Optimizer;
  /** Passes over the data. */
  epochs: number;
  /** Images per batch (default 256). */
  batchSize?: number;
  /**
   * Drop the last, smaller batch of each epoch (default true: losses built on batch statistics, such as the
   * cross-correlation of Barlow Twins, are noisier on a small remainder batch).
   */
  dropLast?: boolean;
  /** Seed or generator for the batch order and the views (default 0). */
  seed?: number | Rng;
  /**
   * Metrics measured before training (epoch 0) and after every `evaluateEvery` epochs and the last one, e.g. the
   * off-diagonal correlation on held-out views ({@link viewCrossCorrelation}) or a linear probe ({@link probeEncoder});
   * both run the networks in evaluation mode. Its numbers join that epoch's history row.
   */
  evaluate?: (epoch: number) => Record<string, number> | Promise<Record<string, number>>;
  /** Epochs between two calls of `evaluate` (default 1). */
  evaluateEvery?: number;
  /** Called with each history row as it is recorded (e.g. to print progress). */
  onEpoch?: (row: PretrainEpoch) => void | Promise<void>;
}

/** What {@link pretrainTwoViews} returns. */
export interface PretrainResult {
  /** Epoch 0 (when `evaluate` is given) and one row per epoch after it. */
  history: PretrainEpoch[];
  /** Optimizer steps taken in this call. */
  steps: number;
  /** Wall-clock seconds of this call. */
  seconds: number;
}

/**
 * Trains `encoder` and `projector` (both in place) with a two-view self-supervised loss.
 *
 * Each epoch: a permutation of the images from the seeded generator, cut into batches of `batchSize`; for each
 * batch, two views drawn independently with `augment` ({@link twoViews}), both embedded by projector(encoder(·)) in
 * training mode (each view is its own batch for batch norm, as in the authors' code), and one {@link trainStep} on
 * `loss(z_a, z_b)` over the parameters of both networks. Async so that progress printed by `onEpoch` reaches a
 * notebook while training runs.
 *
 * @example
 * const { history } = await pretrainTwoViews(encoder, projector, {
 *   data: train, augment, optimizer: adam({ lr: 1e-3 }), epochs: 30,
 *   loss: (a, b) => barlowTwinsLoss(a, b, { lambda: 5e-3 }),
 * });
 */
export async function pretrainTwoViews(encoder: Net, projector: Net | null, options: PretrainTwoViewsOptions): Promise<PretrainResult> {
  const fn = "pretrainTwoViews";
  const chain = [encoder, ...(projector ? [projector] : [])];
  chain.forEach((net, i) => {
    if (!net || typeof net.apply !== "function" || !Array.isArray(net.params)) {
      throw new Error(`${fn}: the ${i === 0 ? "encoder" : "projector"} must be a Net (build it with mlp(), cnn() or sequential())`);
    }
  });
  const { data, augment, loss, optimizer } = options ?? ({} as PretrainTwoViewsOptions);
  if (!data) throw new Error(`${fn}: options.data is required: the unlabeled images { x, shape } (a Dataset fits)`);
  const { n, d } = checkImages(fn, data.x, data.shape, "data.x");
  if (typeof augment !== "function") throw new Error(`${fn}: options.augment must be an ImageAugment, e.g. composeAugmentations(randomShift(), addGaussianNoise())`);
  if (typeof loss !== "function") throw new Error(`${fn}: options.loss must map two embeddings [N, D] to a scalar, e.g. (a, b) => barlowTwinsLoss(a, b)`);
  if (!optimizer || typeof optimizer.step !== "function") throw new Error(`${fn}: options.optimizer is required, e.g. adam({ lr: 1e-3 })`);
  const epochs = positiveIntegerArg(fn, "epochs", options.epochs);
  const batchSize = positiveIntegerArg(fn, "batchSize", options.batchSize ?? 256);
  const evaluateEvery = positiveIntegerArg(fn, "evaluateEvery", options.evaluateEvery ?? 1);
  const dropLast = options.dropLast ?? true;
  if (batchSize < 2) throw new Error(`${fn}: batchSize must be at least 2: the loss compares examples within a batch`);
  const stepsPerEpoch = dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
  if (stepsPerEpoch === 0) throw new Error(`${fn}: batchSize ${batchSize} exceeds the ${n} images and dropLast is on, so no batch is left; lower batchSize`);
  const params = chain.flatMap((net) => net.params);
  if (params.length === 0) throw new Error(`${fn}: the networks have no trainable parameters`);
  const r = options.seed instanceof Rng ? options.seed : makeRng(options.seed ?? 0);
  const shape = data.shape;

  const t0 = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - t0) / 1e9;
  const history: PretrainEpoch[] = [];
  const record = async (row: PretrainEpoch, evaluateNow: boolean) => {
    if (evaluateNow && options.evaluate) {
      const extra = await options.evaluate(row.epoch);
      for (const [k, v] of Object.entries(extra)) row[k] = v;
    }
    row.numTensors = tf.memory().numTensors;
    row.elapsed = elapsed();
    history.push(row);
    if (options.onEpoch) await options.onEpoch(row);
    await yieldToEventLoop();
  };
  if (options.evaluate) await record({ epoch: 0, step: 0, loss: NaN, learningRate: NaN, elapsed: 0, numTensors: 0 }, true);

  let steps = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const order = r.permutation(n);
    const viewRng = r.split();
    let lossSum = 0;
    let seen = 0;
    let learningRate = NaN;
    for (let s = 0; s < stepsPerEpoch; s++) {
      const from = s * batchSize;
      const rows = Math.min(n, from + batchSize) - from;
      const batch = new Float32Array(rows * d);
      for (let i = 0; i < rows; i++) batch.set(data.x.subarray(order[from + i] * d, (order[from + i] + 1) * d), i * d);
      // two views of every image of the batch: Y^A = t_A(X), Y^B = t_B(X), t_A, t_B ~ T
      const [viewA, viewB] = twoViews(batch, shape, augment, viewRng);
      learningRate = optimizer.learningRate;
      const value = tf.tidy(() => {
        const ya = tf.tensor(viewA, [rows, ...shape], "float32");
        const yb = tf.tensor(viewB, [rows, ...shape], "float32");
        // Z^A = g(f(Y^A)), Z^B = g(f(Y^B)); one step on L(Z^A, Z^B)
        return trainStep(params, () => loss(applyChain(chain, ya, true), applyChain(chain, yb, true)), optimizer);
      });
      if (!Number.isFinite(value)) {
        throw new Error(`${fn}: the loss became ${value} at epoch ${epoch}, step ${s + 1}; lower the learning rate (now ${optimizer.learningRate}) or check the loss`);
      }
      lossSum += value * rows;
      seen += rows;
      steps++;
    }
    const evaluateNow = epoch % evaluateEvery === 0 || epoch === epochs;
    await record({ epoch, step: steps, loss: lossSum / seen, learningRate, elapsed: 0, numTensors: 0 }, evaluateNow);
  }
  return { history, steps, seconds: elapsed() };
}
