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
 * n inputs. Returns the history and the final training and held-out accuracies.
 */
export function trainInformationPlaneMlp(
  data: { x: Float64Array; y: Int32Array; n: number; d: number }, options: InformationPlaneTrainingOptions,
): { history: InformationPlanePoint[]; trainAccuracy: number; testAccuracy: number } {
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
  const act = (z: number) => (relu ? (z > 0 ? z : 0) : Math.tanh(z));
  const dact = (h: number) => (relu ? (h > 0 ? 1 : 0) : 1 - h * h); // derivative from the activation's output

  /** Forward pass of a list of samples; returns every layer's outputs (h[0] = input, h[L] = logits). */
  const forward = (idx: ArrayLike<number>) => {
    const k = idx.length, h: Float64Array[] = [new Float64Array(k * data.d)];
    for (let i = 0; i < k; i++) h[0].set(data.x.subarray(idx[i] * data.d, (idx[i] + 1) * data.d), i * data.d);
    for (let l = 0; l < L; l++) {
      const din = widths[l], dout = widths[l + 1], out = new Float64Array(k * dout), w = W[l], b = B[l], inp = h[l];
      for (let i = 0; i < k; i++) for (let o = 0; o < dout; o++) {
        let s = b[o];
        for (let j = 0; j < din; j++) s += inp[i * din + j] * w[j * dout + o];
        out[i * dout + o] = l < L - 1 ? act(s) : s;
      }
      h.push(out);
    }
    return h;
  };
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
  const checkpoints = new Set(options.checkpoints);
  if (checkpoints.has(0)) measure(0);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const perm = seed.permutation(nTrain);
    for (let start = 0; start < nTrain; start += bs) {
      const idx = Array.from(perm.subarray(start, Math.min(nTrain, start + bs)), (p) => trainIdx[p]);
      const k = idx.length, h = forward(idx);
      grads.forEach((g) => g.fill(0));
      // softmax cross-entropy: δ = softmax(z) − onehot(y), averaged over the batch
      let delta = new Float64Array(k * 2);
      for (let i = 0; i < k; i++) {
        const z0 = h[L][2 * i], z1 = h[L][2 * i + 1], mx = Math.max(z0, z1);
        const e0 = Math.exp(z0 - mx), e1 = Math.exp(z1 - mx), s = e0 + e1;
        delta[2 * i] = (e0 / s - (data.y[idx[i]] === 0 ? 1 : 0)) / k;
        delta[2 * i + 1] = (e1 / s - (data.y[idx[i]] === 1 ? 1 : 0)) / k;
      }
      for (let l = L - 1; l >= 0; l--) {
        const din = widths[l], dout = widths[l + 1], inp = h[l], gw = grads[l], gb = grads[L + l], w = W[l];
        for (let i = 0; i < k; i++) for (let o = 0; o < dout; o++) {
          const dl = delta[i * dout + o];
          gb[o] += dl;
          for (let j = 0; j < din; j++) gw[j * dout + o] += inp[i * din + j] * dl;
        }
        for (let j = 0; j < w.length; j++) gw[j] += 2 * l2 * w[j]; // ∂(λ‖W‖²)/∂W
        if (l > 0) {
          const back = new Float64Array(k * din);
          for (let i = 0; i < k; i++) for (let j = 0; j < din; j++) {
            let s = 0;
            for (let o = 0; o < dout; o++) s += w[j * dout + o] * delta[i * dout + o];
            back[i * din + j] = s * dact(inp[i * din + j]);
          }
          delta = back;
        }
      }
      params.forEach((p, q) => optimizers[q].step(p, grads[q]));
    }
    if (checkpoints.has(epoch)) measure(epoch);
  }
  return { history, trainAccuracy: accuracy(trainIdx), testAccuracy: accuracy(testIdx) };
}
