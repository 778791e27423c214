/**
 * Forward passes of a chain of networks (e.g. encoder then projector) over many images, in evaluation mode and in
 * batches: the representations and embeddings that probes and cross-correlation matrices are computed from.
 */
import { tf } from "../tf/tf";
import { tidyData } from "../tf/tidy-data";
import type { Net } from "../nn/layers";

/** One network, or a chain applied left to right (`[encoder, projector]`). */
export type NetChain = Net | readonly Net[];

/** Row-major outputs of {@link embedImages}: `rows` examples × `cols` features. */
export interface Embeddings {
  values: Float32Array;
  rows: number;
  cols: number;
}

/** Options of {@link embedImages}. */
export interface EmbedOptions {
  /** Examples per forward pass (default 1000). */
  batchSize?: number;
}

/** The chain as an array, checked. */
export function netChain(fn: string, nets: NetChain): readonly Net[] {
  const chain = Array.isArray(nets) ? nets : [nets];
  if (chain.length === 0) throw new Error(`${fn}: pass a network or a non-empty array of networks, e.g. [encoder, projector]`);
  chain.forEach((net, i) => {
    if (!net || typeof (net as Net).apply !== "function" || !Array.isArray((net as Net).params)) {
      throw new Error(`${fn}: network ${i} is not a Net (build it with mlp(), cnn() or sequential())`);
    }
  });
  return chain as readonly Net[];
}

/** Applies the chain to a batch tensor (call inside tf.tidy); the output is flattened to [batch, features]. */
export function applyChain(chain: readonly Net[], x: tf.Tensor, training: boolean): tf.Tensor2D {
  let h = x;
  chain.forEach((net, i) => {
    h = net.apply(h, { training, inputGradient: i > 0 });
  });
  return (h.rank === 2 ? h : tf.reshape(h, [h.shape[0], -1])) as tf.Tensor2D;
}

/** Checks images against a per-example shape; returns (n, d). */
export function checkImages(fn: string, x: Float32Array, shape: readonly number[], name = "x"): { n: number; d: number } {
  if (!(x instanceof Float32Array)) throw new Error(`${fn}: ${name} must be a Float32Array of images back to back`);
  if (!Array.isArray(shape) || shape.length === 0 || shape.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new Error(`${fn}: shape must be the per-example shape, a list of positive integers such as [8, 8] (got ${JSON.stringify(shape)})`);
  }
  const d = shape.reduce((a, b) => a * b, 1);
  if (x.length === 0 || x.length % d !== 0) {
    throw new Error(`${fn}: ${name} has ${x.length} values, not a positive multiple of ${d} (one example of shape [${shape.join(", ")}])`);
  }
  return { n: x.length / d, d };
}

/**
 * The outputs of a network, or of a chain of networks, for every example of `x`, in evaluation mode (batch norm on
 * its running statistics, no dropout), in batches. With `[encoder]` this gives the representations a linear probe is
 * trained on; with `[encoder, projector]` the embeddings the self-supervised loss sees.
 *
 * @param nets a Net or a chain `[encoder, projector]`, applied left to right.
 * @param x n examples of `shape` back to back.
 * @param shape the per-example shape, e.g. [8, 8].
 * @returns the outputs, row-major, n × features.
 */
export function embedImages(nets: NetChain, x: Float32Array, shape: readonly number[], options: EmbedOptions = {}): Embeddings {
  const fn = "embedImages";
  const chain = netChain(fn, nets);
  const { n, d } = checkImages(fn, x, shape);
  const batchSize = options.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`${fn}: batchSize must be a positive integer (got ${batchSize})`);
  let values: Float32Array | null = null;
  let cols = 0;
  for (let from = 0; from < n; from += batchSize) {
    const to = Math.min(n, from + batchSize);
    const out = tidyData(() => applyChain(chain, tf.tensor(x.subarray(from * d, to * d), [to - from, ...shape], "float32"), false)) as Float32Array;
    if (!values) {
      cols = out.length / (to - from);
      values = new Float32Array(n * cols);
    }
    values.set(out, from * cols);
  }
  return { values: values as Float32Array, rows: n, cols };
}
