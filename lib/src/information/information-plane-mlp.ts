/**
 * The information-plane experiment of "Adaptive Estimators Show Information Compression in Deep Neural Networks"
 * (Chelombiev, Houghton & O'Donnell, ICLR 2019): a small fully connected classifier trained in plain float64, with
 * I(X; T) and I(T; Y) of every hidden layer measured by the binning estimators of adaptive-binning.ts at chosen
 * epochs. Float64 and hand-written backpropagation keep the run deterministic and independent of the tfjs backend.
 */
import type { Rng } from "../core/rng";
import { adamFloat64 } from "../optim/adam-float64";
import { binnedInformationPlane, type Binning } from "./adaptive-binning";

/** Options of {@link trainInformationPlaneMlp}. */
export interface InformationPlaneTrainingOptions {
  /** Hidden widths (default 10-7-5-4-3, the paper's 12-10-7-5-4-3-2 network). */
  hidden?: number[];
  activation: "tanh" | "relu";
  /** L2 weight penalty λ Σ‖W‖² added to the cross-entropy (default 0). */
  l2?: number;
  epochs: number;
  batchSize?: number;
  /** Adam learning rate (default 4e-3). */
  lr?: number;
  /** Fraction of the inputs used for training (default 0.8); MI is measured on all of them. */
  trainFraction?: number;
  /** Epochs (0 = initial) at which the information plane is measured. */
  checkpoints: number[];
  binnings?: Binning[];
  bins?: number;
  seed: Rng;
}

export interface InformationPlanePoint { epoch: number; layer: number; binning: Binning; ixt: number; ity: number }

/**
 * Train a small fully connected classifier (softmax output, cross-entropy, Adam, He/Xavier-scaled normal init) in
 * plain float64 on (x, y) and record the information plane of every hidden layer at the checkpoints, measured on all
 * n inputs. Returns the history, the final training and held-out accuracies, and the trained weights and biases.
 */
export function trainInformationPlaneMlp(
  data: { x: Float64Array; y: Int32Array; n: number; d: number }, options: InformationPlaneTrainingOptions,
): {
  history: InformationPlanePoint[]; trainAccuracy: number; testAccuracy: number;
  /** The trained parameters: weights[l] is widths[l] × widths[l+1] row-major (input j, unit o at j·out + o), biases[l] per unit. */
  weights: Float64Array[]; biases: Float64Array[];
} {
  const hidden = options.hidden ?? [10, 7, 5, 4, 3];
  const widths = [data.d, ...hidden, 2];
  const L = widths.length - 1;
  const { epochs, seed } = options;
  const l2 = options.l2 ?? 0, lr = options.lr ?? 4e-3, bs = options.batchSize ?? 256;
  const binnings = options.binnings ?? ["fixed", "adaptive"];
  const relu = options.activation === "relu";
  const W: Float64Array[] = [], B: Float64Array[] = [];
  for (let l = 0; l < L; l++) {
    const scale = Math.sqrt((relu ? 2 : 1) / widths[l]);
    W.push(seed.normals(widths[l] * widths[l + 1], 0, scale)); B.push(new Float64Array(widths[l + 1]));
  }
  const params = [...W, ...B];
  const optimizers = params.map(() => adamFloat64({ lr })); // β₁ = 0.9, β₂ = 0.999, ε = 1e-8
  const grads = params.map((p) => new Float64Array(p.length));
  const order = seed.permutation(data.n);
  const nTrain = Math.round((options.trainFraction ?? 0.8) * data.n);
  const trainIdx = order.subarray(0, nTrain), testIdx = order.subarray(nTrain);
  const WT = W.map((w) => new Float64Array(w.length));
  const act = (z: number) => (relu ? (z > 0 ? z : 0) : Math.tanh(z));

  /**
   * Forward pass of idx[0..k) into h (h[0] = input rows, h[L] = logits; each h[l] holds at least k·widths[l] values).
   * The buffers are reused across minibatches, so a training step allocates nothing.
   */
  const forwardInto = (idx: ArrayLike<number>, k: number, h: Float64Array[]) => {
    const d = data.d, x = data.x, h0 = h[0];
    for (let i = 0; i < k; i++) { const src = idx[i] * d; for (let j = 0; j < d; j++) h0[i * d + j] = x[src + j]; }
    for (let l = 0; l < L; l++) {
      const din = widths[l], dout = widths[l + 1], out = h[l + 1], w = W[l], b = B[l], inp = h[l], hidden = l < L - 1;
      const wt = WT[l]; // W transposed (unit o's weights contiguous), so the inner sum runs over consecutive entries
      for (let j = 0; j < din; j++) for (let o = 0; o < dout; o++) wt[o * din + j] = w[j * dout + o];
      for (let i = 0; i < k; i++) {
        const row = i * din;
        for (let o = 0; o < dout; o++) {
          let s = b[o];
          const col = o * din;
          for (let j = 0; j < din; j++) s += inp[row + j] * wt[col + j];
          out[i * dout + o] = hidden ? act(s) : s;
        }
      }
    }
    return h;
  };
  const buffers = (k: number) => widths.map((w) => new Float64Array(k * w));
  /** Forward pass of a list of samples into fresh buffers. */
  const forward = (idx: ArrayLike<number>) => forwardInto(idx, idx.length, buffers(idx.length));
  const accuracy = (idx: ArrayLike<number>) => {
    const logits = forward(idx)[L];
    let c = 0;
    for (let i = 0; i < idx.length; i++) if ((logits[2 * i + 1] > logits[2 * i] ? 1 : 0) === data.y[idx[i]]) c++;
    return c / idx.length;
  };
  const all = Int32Array.from({ length: data.n }, (_, i) => i);
  const history: InformationPlanePoint[] = [];
  const measure = (epoch: number) => {
    const h = forward(all);
    for (let l = 1; l < L; l++) for (const binning of binnings) {
      const p = binnedInformationPlane({ values: h[l], n: data.n, d: widths[l] }, data.y, { binning, bins: options.bins });
      history.push({ epoch, layer: l, binning, ...p });
    }
  };
  // Minibatch work buffers, allocated once: activations, and the backpropagated δ of every layer's output.
  const hBatch = buffers(bs), deltas = buffers(bs), idx = new Int32Array(bs);
  const checkpoints = new Set(options.checkpoints);
  if (checkpoints.has(0)) measure(0);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const perm = seed.permutation(nTrain);
    for (let start = 0; start < nTrain; start += bs) {
      const k = Math.min(nTrain, start + bs) - start;
      for (let i = 0; i < k; i++) idx[i] = trainIdx[perm[start + i]];
      const h = forwardInto(idx, k, hBatch);
      // softmax cross-entropy: δ = softmax(z) − onehot(y), averaged over the batch
      const logits = h[L], top = deltas[L];
      for (let i = 0; i < k; i++) {
        const z0 = logits[2 * i], z1 = logits[2 * i + 1], mx = Math.max(z0, z1);
        const e0 = Math.exp(z0 - mx), e1 = Math.exp(z1 - mx), s = e0 + e1, y = data.y[idx[i]];
        top[2 * i] = (e0 / s - (y === 0 ? 1 : 0)) / k;
        top[2 * i + 1] = (e1 / s - (y === 1 ? 1 : 0)) / k;
      }
      for (let l = L - 1; l >= 0; l--) {
        const din = widths[l], dout = widths[l + 1], inp = h[l], gw = grads[l], gb = grads[L + l], w = W[l], delta = deltas[l + 1];
        // ∂/∂W[j,o] = Σ_i inp[i,j] δ[i,o] and ∂/∂b[o] = Σ_i δ[i,o], summed over i in order
        for (let o = 0; o < dout; o++) {
          let sb = 0;
          for (let i = 0; i < k; i++) sb += delta[i * dout + o];
          gb[o] = sb;
          for (let j = 0; j < din; j++) {
            let s = 0;
            for (let i = 0; i < k; i++) s += inp[i * din + j] * delta[i * dout + o];
            gw[j * dout + o] = s;
          }
        }
        for (let j = 0; j < w.length; j++) gw[j] += 2 * l2 * w[j]; // ∂(λ‖W‖²)/∂W
        if (l > 0) {
          // δ of layer l's output: (Wᵀδ) ⊙ act′, with act′ computed from the activation's output
          const back = deltas[l];
          for (let i = 0; i < k; i++) for (let j = 0; j < din; j++) {
            let s = 0;
            for (let o = 0; o < dout; o++) s += w[j * dout + o] * delta[i * dout + o];
            const a = inp[i * din + j];
            back[i * din + j] = s * (relu ? (a > 0 ? 1 : 0) : 1 - a * a);
          }
        }
      }
      for (let q = 0; q < params.length; q++) optimizers[q].step(params[q], grads[q]);
    }
    if (checkpoints.has(epoch)) measure(epoch);
  }
  return { history, trainAccuracy: accuracy(trainIdx), testAccuracy: accuracy(testIdx), weights: W, biases: B };
}
