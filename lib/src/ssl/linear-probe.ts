/**
 * Linear evaluation of a representation: multinomial logistic regression on frozen features, the standard protocol
 * of self-supervised learning papers ("we train a linear classifier on top of fixed representations", Barlow Twins
 * §3.1, Table 1; SimCLR, BYOL, VICReg, … use the same).
 *
 * With ĥ the features standardised on the training set (optional), the probe is
 *   p(y = k | h) = softmax(Wᵀ ĥ + b)_k,
 * fitted by minimising the L2-regularised mean cross-entropy (convex; strictly convex in W for α > 0)
 *   J(W, b) = −(1/n) Σ_i log p(y_i | h_i) + (α/2) ‖W‖²_F                                            (P1)
 * with full-batch Adam (lib/optim) under a cosine-decayed learning rate, from W = 0, b = 0 (deterministic: no seed).
 * (P1) is this module's equation number: the papers state the protocol in words.
 */
import { tf } from "../tf/tf";
import { tidyData } from "../tf/tidy-data";
import { Matrix } from "../core/matrix";
import { accuracy } from "../metrics/accuracy";
import { adam } from "../optim/adam";
import { cosineSchedule } from "../optim/schedules";
import { checkClassificationData, type ClassificationData } from "../train/data";
import { applyStandardizer, fitStandardizer, oneHot, type Standardizer } from "../data/split";
import { makeDataset } from "../data/dataset";
import { embedImages, netChain, type NetChain } from "./embed";

/** Options of {@link linearProbe}. */
export interface LinearProbeOptions {
  /** Standardise each feature with the training set's mean and standard deviation (default true). */
  standardize?: boolean;
  /**
   * α ≥ 0, the L2 penalty on W in (P1) (default 1e-3, close to scikit-learn's LogisticRegression default C = 1 for
   * n ≈ 1000 training examples, α = 1/(C n); the bias is not penalised). It also makes (P1) well conditioned, so
   * that the default number of steps reaches the optimum.
   */
  weightDecay?: number;
  /** Full-batch Adam steps (default 200). */
  steps?: number;
  /** Peak learning rate of Adam, decayed to 0 by a cosine schedule over `steps` (default 0.1). */
  lr?: number;
  /** Number of classes K (default: 1 + the largest label in the train and test sets). */
  classes?: number;
}

/** What {@link linearProbe} returns. */
export interface LinearProbeResult {
  /** Accuracy on the training features. */
  trainAccuracy: number;
  /** Accuracy on the test features (NaN when no test set was given). */
  testAccuracy: number;
  /** Predicted classes of the test examples (empty without a test set). */
  testPredictions: Int32Array;
  /** J(W, b) of (P1) before each step, then after the last one (steps + 1 values, non-increasing up to Adam's noise). */
  objective: Float64Array;
  /** W, features × classes (in standardised units when `standardize`). */
  weights: Matrix;
  /** b, one per class. */
  bias: Float64Array;
  /** The standardisation fitted on the training features, or null. */
  standardizer: Standardizer | null;
  /** Number of classes K. */
  classes: number;
}

function featureDataset(fn: string, name: string, data: ClassificationData, classes: number) {
  const { n, d } = checkClassificationData(fn, name, data);
  for (let i = 0; i < data.x.length; i++) {
    if (!Number.isFinite(data.x[i])) {
      throw new Error(`${fn}: ${name}.x[${i}] = ${data.x[i]} (example ${Math.floor(i / d)}); features must be finite — did the encoder diverge?`);
    }
  }
  for (let i = 0; i < n; i++) {
    const c = data.y[i];
    if (!Number.isInteger(c) || c < 0 || c >= classes) throw new Error(`${fn}: ${name}.y[${i}] = ${c} is not a class index in [0, ${classes})`);
  }
  return makeDataset({ x: data.x, y: data.y, shape: [d], classes: Array.from({ length: classes }, (_, k) => String(k)), name });
}

/**
 * Fits a linear classifier on frozen features by minimising (P1) and reports its train and test accuracy.
 *
 * @param train training features `{ x, y, shape: [d] }` (x: n × d, row-major; y: class indices).
 * @param test optional held-out features, standardised with the training statistics.
 * @param options `standardize` (true), `weightDecay` α (1e-3), `steps` (200), `lr` (0.1), `classes`.
 *
 * @example const { testAccuracy } = linearProbe({ x: trainFeatures, y: trainLabels, shape: [32] }, { x: testFeatures, y: testLabels, shape: [32] });
 */
export function linearProbe(train: ClassificationData, test?: ClassificationData, options: LinearProbeOptions = {}): LinearProbeResult {
  const fn = "linearProbe";
  const { n, d } = checkClassificationData(fn, "train", train);
  if (test) {
    const t = checkClassificationData(fn, "test", test);
    if (t.d !== d) throw new Error(`${fn}: test has ${t.d} features per example but train has ${d}; embed both with the same encoder`);
  }
  const standardize = options.standardize ?? true;
  const weightDecay = options.weightDecay ?? 1e-3;
  const steps = options.steps ?? 200;
  const lr = options.lr ?? 0.1;
  if (!(weightDecay >= 0 && Number.isFinite(weightDecay))) throw new Error(`${fn}: weightDecay must be a finite number ≥ 0 (got ${weightDecay})`);
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`${fn}: steps must be a positive integer (got ${steps})`);
  if (!(lr > 0 && Number.isFinite(lr))) throw new Error(`${fn}: lr must be a positive number (got ${lr})`);
  let maxLabel = 0;
  for (const y of [train.y, test?.y ?? new Int32Array(0)]) for (let i = 0; i < y.length; i++) maxLabel = Math.max(maxLabel, y[i]);
  const classes = options.classes ?? maxLabel + 1;
  if (!Number.isInteger(classes) || classes < 2) throw new Error(`${fn}: classes must be an integer ≥ 2 (got ${classes}); a probe needs at least two classes`);

  let trainSet = featureDataset(fn, "train", train, classes);
  let testSet = test ? featureDataset(fn, "test", test, classes) : null;
  let standardizer: Standardizer | null = null;
  if (standardize) {
    // ĥ_j = (h_j − mean_j) / std_j with the training statistics (constant features are only centred)
    standardizer = fitStandardizer(trainSet);
    trainSet = applyStandardizer(trainSet, standardizer);
    if (testSet) testSet = applyStandardizer(testSet, standardizer);
  }

  const w = tf.tidy(() => tf.variable(tf.zeros([d, classes]), true));
  const b = tf.tidy(() => tf.variable(tf.zeros([classes]), true));
  const optimizer = adam({ lr: cosineSchedule({ lr, totalSteps: steps }) });
  const objective = new Float64Array(steps + 1);
  try {
    const x = tf.tensor2d(trainSet.x, [n, d], "float32");
    const xT = tf.transpose(x);
    const targets = tf.tensor2d(oneHot(trainSet.y, classes), [n, classes], "float32");
    // (P1) and its gradient in one pass (cheaper than a gradient tape on this small problem):
    //   L = log softmax(X W + b),  J = −(1/n) Σ_i L_{i, y_i} + (α/2) ‖W‖²_F
    //   ∇_W J = Xᵀ (P − Y) / n + α W,  ∇_b J = Σ_i (P − Y)_i / n,  P = exp(L), Y the one-hot targets
    const objectiveAndGradients = (): [number, tf.Tensor, tf.Tensor] => {
      const logProbs = tf.logSoftmax(tf.add(tf.matMul(x, w), b));
      const value = tf.add(tf.div(tf.neg(tf.sum(tf.mul(logProbs, targets))), n), tf.mul(weightDecay / 2, tf.sum(tf.square(w))));
      const residual = tf.div(tf.sub(tf.exp(logProbs), targets), n);
      return [value.dataSync()[0], tf.add(tf.matMul(xT, residual), tf.mul(w, weightDecay)), tf.sum(residual, 0)];
    };
    try {
      for (let s = 0; s < steps; s++) {
        tf.tidy(() => {
          const [value, gradW, gradB] = objectiveAndGradients();
          objective[s] = value;
          optimizer.step([w, b], [gradW, gradB]);
        });
      }
      objective[steps] = tf.tidy(() => objectiveAndGradients()[0]);
    } finally {
      tf.dispose([x, xT, targets]);
    }
    const predict = (set: typeof trainSet) =>
      tidyData(() => tf.argMax(tf.add(tf.matMul(tf.tensor2d(set.x, [set.n, d], "float32"), w), b), 1)) as Int32Array;
    const trainPredictions = predict(trainSet);
    const testPredictions = testSet ? predict(testSet) : new Int32Array(0);
    return {
      trainAccuracy: accuracy(trainPredictions, trainSet.y),
      testAccuracy: testSet ? accuracy(testPredictions, testSet.y) : NaN,
      testPredictions,
      objective,
      weights: new Matrix(d, classes, Float64Array.from(w.dataSync())),
      bias: Float64Array.from(b.dataSync()),
      standardizer,
      classes,
    };
  } finally {
    optimizer.dispose();
    w.dispose();
    b.dispose();
  }
}

/** Images with labels, as probed by {@link probeEncoder} (a lib/data Dataset fits). */
export interface LabelledImages {
  x: Float32Array;
  y: Int32Array;
  shape: readonly number[];
}

/** What {@link probeEncoder} returns: the probe's result and the representation's width. */
export interface ProbeEncoderResult extends LinearProbeResult {
  /** Features per example (the representation's dimension). */
  features: number;
}

/**
 * Linear evaluation of an encoder: embeds the training and test images with the frozen encoder (evaluation mode,
 * {@link embedImages}) and fits {@link linearProbe} on the representations.
 *
 * @param encoder the network (or chain) whose output is the representation — the encoder only, not the projector.
 * @param train labelled training images (the probe's training set).
 * @param test labelled held-out images.
 */
export function probeEncoder(encoder: NetChain, train: LabelledImages, test: LabelledImages, options: LinearProbeOptions = {}): ProbeEncoderResult {
  const fn = "probeEncoder";
  const chain = netChain(fn, encoder);
  for (const [name, set] of [["train", train], ["test", test]] as const) {
    if (!set || !(set.y instanceof Int32Array)) throw new Error(`${fn}: ${name} must be labelled images { x, y, shape } (a Dataset fits)`);
  }
  const a = embedImages(chain, train.x, train.shape);
  const t = embedImages(chain, test.x, test.shape);
  if (a.rows !== train.y.length || t.rows !== test.y.length) {
    throw new Error(`${fn}: got ${a.rows} train and ${t.rows} test examples for ${train.y.length} and ${test.y.length} labels; pass one label per image`);
  }
  const result = linearProbe({ x: a.values, y: train.y, shape: [a.cols] }, { x: t.values, y: test.y, shape: [t.cols] }, options);
  return { ...result, features: a.cols };
}
