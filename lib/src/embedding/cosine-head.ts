/**
 * The cosine classifier of normalised-softmax face recognition: class centres W_j on the unit sphere, logits
 * cos θ_j = ⟨x/‖x‖, W_j/‖W_j‖⟩. Margin losses (lib/losses/margin, sface, unpg) take these cosines.
 */
import { tf } from "../tf/tf";
import { tidyData } from "../tf/tidy-data";
import { Rng, rng as makeRng } from "../core/rng";
import { Matrix } from "../core/matrix";
import type { Layer } from "../nn/layers";

/** x / √(‖x‖² + ε), row by row (call inside tf.tidy). */
export function l2NormalizeRows(x: tf.Tensor, eps = 1e-12): tf.Tensor2D {
  if (x.rank !== 2) throw new Error(`l2NormalizeRows: x must be [rows, dim] (got shape [${x.shape.join(", ")}])`);
  return tf.div(x, tf.sqrt(tf.add(tf.sum(tf.square(x), 1, true), eps))) as tf.Tensor2D;
}

/** Options of {@link cosineHead}. */
export interface CosineHeadOptions {
  /** Embedding dimension d. */
  inputs: number;
  /** Number of classes C. */
  classes: number;
  /** Seed or generator of the initial centres (standard normal entries; required unless `fixed` is given). */
  seed?: number | Rng;
  /**
   * Fixed class centres instead of trained ones: a C × d Matrix or rows (e.g. equiangular basis vectors). They are
   * normalised and not trained (the head then has no params).
   */
  fixed?: Matrix | ArrayLike<ArrayLike<number>>;
}

/** A classifier head: a Layer from embeddings [batch, d] to class scores [batch, C], plus its class directions. */
export interface ClassifierHead extends Layer {
  readonly inputs: number;
  readonly classes: number;
  /** The current class directions W_j/‖W_j‖ as a C × d float64 Matrix (a copy). */
  centres(): Matrix;
}

/** A cosine head: scores are cos θ_j ∈ [−1, 1] (see {@link cosineHead}). */
export type CosineHead = ClassifierHead;

/**
 * A cosine classifier head: apply(x) = cos θ = (x/‖x‖)(W/‖W‖)ᵀ, shape [batch, C], values in [−1, 1].
 * With `fixed` centres it has no trainable parameters (the EBV classifier).
 */
export function cosineHead(options: CosineHeadOptions): CosineHead {
  const fn = "cosineHead";
  const { inputs, classes } = options;
  if (!Number.isInteger(inputs) || inputs < 1) throw new Error(`${fn}: inputs must be a positive integer (the embedding dimension) (got ${inputs})`);
  if (!Number.isInteger(classes) || classes < 1) throw new Error(`${fn}: classes must be a positive integer (got ${classes})`);
  let weights: tf.Variable | tf.Tensor;
  let params: tf.Variable[] = [];
  if (options.fixed !== undefined) {
    const m = options.fixed instanceof Matrix ? options.fixed : Matrix.from(options.fixed);
    if (m.rows !== classes || m.cols !== inputs) {
      throw new Error(`${fn}: fixed centres are ${m.rows}×${m.cols} but the head needs classes × inputs = ${classes}×${inputs}`);
    }
    weights = tf.keep(tf.tidy(() => l2NormalizeRows(tf.tensor2d(Float32Array.from(m.data), [classes, inputs]))));
  } else {
    if (options.seed === undefined) throw new Error(`${fn}: pass a seed (or an Rng) for the initial centres, or fixed centres`);
    const r = options.seed instanceof Rng ? options.seed : makeRng(options.seed);
    const v = tf.variable(tf.tensor2d(Float32Array.from(r.normals(classes * inputs)), [classes, inputs]), true);
    weights = v;
    params = [v];
  }
  return {
    name: `cosine head ${inputs}→${classes}${options.fixed ? " (fixed)" : ""}`,
    inputs,
    classes,
    params,
    state: [],
    apply(x) {
      if (x.rank !== 2 || x.shape[1] !== inputs) throw new Error(`${fn}: input must be [batch, ${inputs}] (got [${x.shape.join(", ")}])`);
      // cos θ_j = ⟨x/‖x‖, W_j/‖W_j‖⟩
      return tf.matMul(l2NormalizeRows(x), params.length ? l2NormalizeRows(weights) : weights, false, true);
    },
    centres() {
      const values = tidyData(() => (params.length ? l2NormalizeRows(weights) : tf.clone(weights)));
      return new Matrix(classes, inputs, Float64Array.from(values));
    },
    dispose() {
      if (!weights.isDisposed) weights.dispose();
    },
  };
}

/** Options of {@link linearHead}. */
export interface LinearHeadOptions {
  /** Embedding dimension d. */
  inputs: number;
  /** Number of classes C. */
  classes: number;
  /** Seed or generator of the initial weights (Glorot uniform; biases 0). */
  seed: number | Rng;
}

/**
 * The ordinary softmax classifier as a head: logits x Wᵀ + b (unnormalised), [batch, C]. For the plain cross-entropy
 * baseline next to cosine heads; `centres()` returns its normalised weight rows.
 */
export function linearHead(options: LinearHeadOptions): ClassifierHead {
  const fn = "linearHead";
  const { inputs, classes } = options;
  if (!Number.isInteger(inputs) || inputs < 1) throw new Error(`${fn}: inputs must be a positive integer (got ${inputs})`);
  if (!Number.isInteger(classes) || classes < 1) throw new Error(`${fn}: classes must be a positive integer (got ${classes})`);
  const r = options.seed instanceof Rng ? options.seed : makeRng(options.seed);
  const limit = Math.sqrt(6 / (inputs + classes));
  const w = tf.variable(tf.tensor2d(Float32Array.from(r.uniforms(classes * inputs, -limit, limit)), [classes, inputs]), true);
  const b = tf.variable(tf.zeros([classes]), true);
  return {
    name: `linear head ${inputs}→${classes}`,
    inputs,
    classes,
    params: [w, b],
    state: [],
    apply(x) {
      if (x.rank !== 2 || x.shape[1] !== inputs) throw new Error(`${fn}: input must be [batch, ${inputs}] (got [${x.shape.join(", ")}])`);
      return tf.add(tf.matMul(x, w, false, true), b);
    },
    centres() {
      const values = tidyData(() => l2NormalizeRows(w));
      return new Matrix(classes, inputs, Float64Array.from(values));
    },
    dispose() {
      for (const v of [w, b]) if (!v.isDisposed) v.dispose();
    },
  };
}
