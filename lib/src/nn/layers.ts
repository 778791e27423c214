/**
 * Layers and `sequential`: the small functional API behind `mlp` and `cnn`.
 *
 * A layer owns its variables (`params`: trained; `state`: e.g. batch-norm running statistics) and has
 * `apply(x, { training, inputGradient })`. A `Net` is a layer made of layers. Weights are drawn from lib's rng.
 */
import { tf } from "../tf/tf";
import { Rng, rng as makeRng } from "../core/rng";
import { checkActivation, activate, type Activation } from "./activations";
import { dense } from "./dense";
import { conv2d } from "./conv";
import { maxPool2d } from "./pool";
import { dropout } from "./dropout";
import { batchNorm, batchNormVariables } from "./batch-norm";
import { initTensor, type InitScheme } from "./init";
import { positiveIntegerArg } from "../core/shape";

/** Options of `apply`. */
export interface ApplyOptions {
  /** Training mode: dropout active, batch norm on batch statistics (default false). */
  training?: boolean;
  /**
   * Whether gradients with respect to the input are needed (default true). Training loops pass false when the input
   * is data: the first dense/conv layer then skips one matmul/convolution per step (its input gradient reads as zero).
   */
  inputGradient?: boolean;
}

/** A layer: variables plus a forward function. */
export interface Layer {
  /** A short description, e.g. "dense 784→256 relu". */
  readonly name: string;
  /** Trainable variables. */
  readonly params: tf.Variable[];
  /** Non-trainable variables (running statistics). */
  readonly state: tf.Variable[];
  /** The forward pass. Call it inside tf.tidy (or a gradient function). */
  apply(x: tf.Tensor, options?: ApplyOptions): tf.Tensor;
  /** Frees the variables. */
  dispose(): void;
}

/** A network: a layer made of layers. */
export interface Net extends Layer {
  readonly layers: Layer[];
}

/** A seed or a generator, for layers that draw random numbers. */
export type SeedOrRng = number | Rng;

function toRng(fn: string, seed: SeedOrRng | undefined): Rng {
  if (seed instanceof Rng) return seed;
  if (typeof seed === "number" && Number.isFinite(seed)) return makeRng(seed);
  throw new Error(`${fn}: seed must be a number or an Rng from lib's rng() (got ${String(seed)}); every random draw comes from lib's rng`);
}

function disposeAll(vars: tf.Variable[]): void {
  for (const v of vars) if (!v.isDisposed) v.dispose();
}

/** The default weight initialiser for an activation: He normal for relu/gelu, Glorot uniform otherwise. */
export function defaultInit(activation: Activation): InitScheme {
  return activation === "relu" || activation === "gelu" ? "he-normal" : "glorot-uniform";
}

/** Options of {@link denseLayer}. */
export interface DenseLayerOptions {
  inputs: number;
  outputs: number;
  /** Default "linear". */
  activation?: Activation;
  /** Default true. */
  bias?: boolean;
  /** Weight initialiser (default {@link defaultInit} of the activation); biases start at 0, except "torch": U(±1/√in). */
  init?: InitScheme;
  /** Seed or generator for the initial weights (required). */
  seed: SeedOrRng;
}

/** A dense layer y = act(x W + b) on the fast path of {@link dense}. Inputs of rank > 2 are flattened. */
export function denseLayer(options: DenseLayerOptions): Layer {
  const fn = "denseLayer";
  const inputs = positiveIntegerArg(fn, "inputs", options.inputs);
  const outputs = positiveIntegerArg(fn, "outputs", options.outputs);
  const activation = checkActivation(fn, options.activation ?? "linear");
  const init = options.init ?? defaultInit(activation);
  const r = toRng(fn, options.seed);
  const w = tf.tidy(() => tf.variable(initTensor(r, [inputs, outputs], init), true));
  const params = [w];
  let b: tf.Variable | null = null;
  if (options.bias ?? true) {
    b = tf.tidy(() => tf.variable(initTensor(r, [outputs], init === "torch" ? "torch" : "zeros", inputs), true));
    params.push(b);
  }
  return {
    name: `dense ${inputs}→${outputs}${activation === "linear" ? "" : " " + activation}`,
    params,
    state: [],
    apply(x, opts = {}) {
      const x2 = x.rank === 2 ? x : tf.reshape(x, [x.shape[0], -1]);
      return dense(x2, w, b, { activation, inputGradient: opts.inputGradient ?? true });
    },
    dispose: () => disposeAll(params),
  };
}

/** Options of {@link conv2dLayer}. */
export interface Conv2dLayerOptions {
  inChannels: number;
  outChannels: number;
  /** Square kernel size (default 3). */
  kernelSize?: number;
  /** Default 1. */
  stride?: number;
  /** Default "same". */
  padding?: "same" | "valid";
  /** Default "linear". */
  activation?: Activation;
  /** Default true. */
  bias?: boolean;
  /** Weight initialiser (default {@link defaultInit} of the activation). */
  init?: InitScheme;
  /** Seed or generator for the initial weights (required). */
  seed: SeedOrRng;
}

/** A 2-D convolution layer (NHWC) on the fast path of {@link conv2d}. */
export function conv2dLayer(options: Conv2dLayerOptions): Layer {
  const fn = "conv2dLayer";
  const cin = positiveIntegerArg(fn, "inChannels", options.inChannels);
  const cout = positiveIntegerArg(fn, "outChannels", options.outChannels);
  const k = positiveIntegerArg(fn, "kernelSize", options.kernelSize ?? 3);
  const stride = positiveIntegerArg(fn, "stride", options.stride ?? 1);
  const padding = options.padding ?? "same";
  const activation = checkActivation(fn, options.activation ?? "linear");
  const init = options.init ?? defaultInit(activation);
  const r = toRng(fn, options.seed);
  const w = tf.tidy(() => tf.variable(initTensor(r, [k, k, cin, cout], init), true));
  const params = [w];
  let b: tf.Variable | null = null;
  if (options.bias ?? true) {
    b = tf.tidy(() => tf.variable(initTensor(r, [cout], init === "torch" ? "torch" : "zeros", k * k * cin), true));
    params.push(b);
  }
  return {
    name: `conv ${k}×${k} ${cin}→${cout}${stride > 1 ? ` /${stride}` : ""}${activation === "linear" ? "" : " " + activation}`,
    params,
    state: [],
    apply(x, opts = {}) {
      return conv2d(x, w, b, { stride, padding, activation, inputGradient: opts.inputGradient ?? true });
    },
    dispose: () => disposeAll(params),
  };
}

/** Max pooling over size×size windows (stride defaults to size), "valid" padding. */
export function maxPoolLayer(size = 2, stride = size): Layer {
  positiveIntegerArg("maxPoolLayer", "size", size);
  positiveIntegerArg("maxPoolLayer", "stride", stride);
  return {
    name: `maxpool ${size}×${size}`,
    params: [],
    state: [],
    apply: (x) => {
      if (x.rank !== 4) throw new Error(`maxPoolLayer: input must be 4-D [batch, H, W, C] (got [${x.shape.join(", ")}])`);
      return maxPool2d(x, size, stride);
    },
    dispose: () => {},
  };
}

/** Average over the spatial axes: [batch, H, W, C] → [batch, C]. */
export function globalAvgPoolLayer(): Layer {
  return {
    name: "global avgpool",
    params: [],
    state: [],
    apply: (x) => {
      if (x.rank !== 4) throw new Error(`globalAvgPoolLayer: input must be 4-D [batch, H, W, C] (got [${x.shape.join(", ")}])`);
      return tf.mean(x, [1, 2]);
    },
    dispose: () => {},
  };
}

/** Reshapes each example: [batch, ...] → [batch, ...shape]. */
export function reshapeLayer(shape: readonly number[]): Layer {
  return {
    name: `reshape [${shape.join(", ")}]`,
    params: [],
    state: [],
    apply: (x) => tf.reshape(x, [x.shape[0], ...shape]),
    dispose: () => {},
  };
}

/** Flattens each example: [batch, ...] → [batch, features]. */
export function flattenLayer(): Layer {
  return { name: "flatten", params: [], state: [], apply: (x) => (x.rank === 2 ? x : tf.reshape(x, [x.shape[0], -1])), dispose: () => {} };
}

/** An activation on its own (e.g. after batch norm). */
export function activationLayer(activation: Activation): Layer {
  const a = checkActivation("activationLayer", activation);
  return { name: a, params: [], state: [], apply: (x) => activate(x, a), dispose: () => {} };
}

/** Options of {@link dropoutLayer}. */
export interface DropoutLayerOptions {
  /** Drop probability in [0, 1). */
  rate: number;
  /** Seed or generator for the masks (required); the generator advances with each training call. */
  seed: SeedOrRng;
}

/** Inverted dropout, active only when `training` is true. */
export function dropoutLayer(options: DropoutLayerOptions): Layer {
  const { rate } = options;
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropoutLayer: rate must be in [0, 1) (got ${rate})`);
  const r = toRng("dropoutLayer", options.seed);
  return {
    name: `dropout ${rate}`,
    params: [],
    state: [],
    apply: (x, opts = {}) => (opts.training ? dropout(x, rate, r) : x),
    dispose: () => {},
  };
}

/** Options of {@link batchNormLayer}. */
export interface BatchNormLayerOptions {
  /** Number of features (channels: the last axis). */
  features: number;
  /** Running-statistics momentum (default 0.1). */
  momentum?: number;
  /** Default 1e-5. */
  eps?: number;
}

/** Batch normalisation over all axes but the last (see {@link batchNorm}). */
export function batchNormLayer(options: BatchNormLayerOptions): Layer {
  const v = batchNormVariables(positiveIntegerArg("batchNormLayer", "features", options.features));
  const { momentum = 0.1, eps = 1e-5 } = options;
  const params = [v.gamma, v.beta];
  const state = [v.runningMean, v.runningVar];
  return {
    name: `batchnorm ${options.features}`,
    params,
    state,
    apply: (x, opts = {}) => batchNorm(x, v, { training: opts.training ?? false, momentum, eps }),
    dispose: () => disposeAll([...params, ...state]),
  };
}

/**
 * Layers applied in order. `inputGradient` is passed to the layers up to and including the first one with
 * parameters (the later ones always propagate gradients).
 */
export function sequential(layers: Layer[], name = "sequential"): Net {
  if (!Array.isArray(layers) || layers.length === 0) throw new Error("sequential: pass a non-empty array of layers");
  const params = layers.flatMap((l) => l.params);
  const state = layers.flatMap((l) => l.state);
  return {
    name,
    layers,
    params,
    state,
    apply(x, opts = {}) {
      const training = opts.training ?? false;
      let inputGradient = opts.inputGradient ?? true;
      let h = x;
      for (const layer of layers) {
        h = layer.apply(h, { training, inputGradient });
        if (layer.params.length > 0) inputGradient = true;
      }
      return h;
    },
    dispose() {
      for (const l of layers) l.dispose();
    },
  };
}

/** Number of trainable scalars in a layer or network. */
export function countParams(layer: Layer): number {
  return layer.params.reduce((n, v) => n + v.size, 0);
}

/** One line per layer with its parameter count, and the total: a quick look at a network. */
export function describeNet(net: Net): string {
  const lines = net.layers.map((l) => `${l.name.padEnd(28)} ${String(countParams(l)).padStart(9)}`);
  lines.push(`${"total".padEnd(28)} ${String(countParams(net)).padStart(9)}`);
  return lines.join("\n");
}
