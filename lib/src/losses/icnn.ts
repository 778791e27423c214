/**
 * The ICNN loss of M. Mendez-Ruiz et al., "SuSana Distancia is all you need" (arXiv:2305.09062, §3): minus the log
 * of an inter/intra-class nearest-neighbour score S ∈ (0, 1] of a batch of labelled embeddings (the whole episode,
 * support and queries together). S is high when each sample's nearest neighbours share its class, sit close to it
 * compared with the nearest sample of another class, and samples of other classes sit far away.
 *
 * The paper's own text was not available to us; the definition below is the one of the authors' public code (its
 * "full" variant, written here independently from a description of it), so equation labels are ours:
 *
 *   D_ij = √(‖f_i − f_j‖² + ε₁),  ε₁ = 1e-6                                             (S1: distances)
 *   N_m(i) = the m nearest other samples of i (ties: lower index first)                   (S2: neighbours)
 *   n_i = min { D_ij : j ∈ N_K(i), y_j ≠ y_i }   (+∞ when there is none)                 (S3: nearest other class)
 *   r_ij = D_ij / (n_i + ε₂),  ε₂ = 1e-7,  for j ∈ N_k(i);  m_i = max(1, max_{j ∈ N_k(i)} r_ij)
 *   λ_same = 1 − mean_{i : s_i > 0} (1/s_i) Σ_{j ∈ N_k(i), y_j = y_i} r_ij / m_i          (S4: intra-class part)
 *   λ_diff = mean_{i : t_i > 0} (1/t_i) Σ_{j ∈ N_k(i), y_j ≠ y_i} D_ij / (D_max + ε₂)     (S5: inter-class part)
 *   γ = (1/B) Σ_i s_i / k                                                                  (S6: neighbour purity)
 *   S = (λ + γ)/2,  λ = (λ_same + λ_diff)/2,   L_ICNN = −log S                             (S7: score and loss)
 * with s_i (t_i) the number of same-class (other-class) samples among N_k(i) and D_max the largest other-class
 * distance D_ij over all i and j ∈ N_k(i). K ≥ k: the nearest other-class sample is searched among the K nearest
 * (the authors' "full" variant: K = shots + queries per class, k = 4), the parts use the k nearest. A sample with no
 * other-class sample among its K nearest has r_ij = 0 (n_i = ∞): it counts as perfectly separated. When no sample
 * has an other-class neighbour among its k nearest, λ_diff = 1 (the authors' |0 − 1|), and when none has a
 * same-class one, λ_same = 1.
 *
 * The ε's are where the authors put them: ε₁ under the square root keeps the gradient of D finite when two
 * embeddings coincide, ε₂ keeps the ratios finite when the nearest other-class sample (or every other-class
 * neighbour) coincides with the sample. The authors also add ε to the counts s_i, t_i and the number of rows
 * averaged (to avoid 0/0); here those averages skip empty rows exactly, which differs from theirs by < 1e-6.
 *
 * The neighbour sets, positions of n_i and D_max and the normalisation case of m_i are chosen on the host from the
 * distance values (no gradient flows through a selection, as with the authors' topk/min/max), then S is written as
 * sums of D times constant masks. Since r_ij / m_i = D_ij / D_{i,far} when m_i > 1 (far: the farthest of N_k(i)),
 * the per-row denominator is one entry of D (plus ε₂ or not) in every case.
 */
import * as tf from "@tensorflow/tfjs-core";
import { checkLogits, labelIndices, type ClassLabels } from "./common";
import { pairwiseDistanceMatrix } from "./metric";
import { positiveIntegerArg } from "../core/shape";

/** Options of {@link icnnScore} and {@link icnnLoss}. */
export interface IcnnOptions {
  /** k: the nearest neighbours of each sample that the parts λ_same, λ_diff and γ look at (default 4, the authors' code). */
  k?: number;
  /**
   * K ≥ k: the nearest neighbours among which each sample's nearest other-class sample is searched (default k;
   * the authors' "full" variant uses the class size of the episode, shots + queries).
   */
  searchK?: number;
}

/** The ICNN score of a batch: S as a tensor (the caller owns it) and its parts as numbers. */
export interface IcnnScore {
  /** S = (λ + γ)/2 ∈ (0, 1], a scalar tensor that carries the gradient. */
  score: tf.Scalar;
  /** λ_same ∈ [0, 1]: 1 − the mean normalised same-class neighbour distance (S4). */
  lambdaSame: number;
  /** λ_diff ∈ (0, 1]: the mean other-class neighbour distance over the largest one (S5). */
  lambdaDiff: number;
  /** γ ∈ [0, 1]: the mean fraction of same-class samples among the k nearest (S6); a count, no gradient. */
  gamma: number;
}

const EPS_DISTANCE = 1e-6; // ε₁ (S1)
const EPS_RATIO = 1e-7; // ε₂ (S4, S5)

/** Host-side selections of one batch: constant mask tensors' data and the counts (see the file comment). */
interface IcnnSelection {
  /** [B, B]: 1/s_i at the same-class members of N_k(i), for rows with s_i > 0 and an other-class sample in N_K(i). */
  sameWeights: Float32Array;
  /** [B, B]: 1 at the entry of D that is row i's denominator (n_i or D_{i,far}); rows without one are all 0. */
  denominatorPick: Float32Array;
  /** [B]: added to the picked denominator: ε₂ (n_i), 0 (D_{i,far}) or 1 (rows that contribute 0). */
  denominatorOffset: Float32Array;
  /** Rows with s_i > 0 (the λ_same average runs over them). */
  rowsWithSame: number;
  /** [B, B]: 1/(t_i · rows with t_i > 0) at the other-class members of N_k(i). */
  diffWeights: Float32Array;
  /** Index into D of D_max, or −1 when no sample has an other-class neighbour among its k nearest. */
  maxDiffIndex: number;
  gamma: number;
}

function selectNeighbours(d: Float32Array, y: Int32Array, k: number, searchK: number): IcnnSelection {
  const b = y.length;
  const sameWeights = new Float32Array(b * b);
  const denominatorPick = new Float32Array(b * b);
  const denominatorOffset = new Float32Array(b).fill(1);
  const diffRows: { row: number; members: number[] }[] = [];
  let rowsWithSame = 0;
  let sameCount = 0;
  let maxDiffIndex = -1;
  const order = Array.from({ length: b }, (_, j) => j);
  for (let i = 0; i < b; i++) {
    // S2: the K nearest other samples, nearest first (the sort is stable: ties keep the lower index first)
    const near = order.filter((j) => j !== i).sort((p, q) => d[i * b + p] - d[i * b + q]).slice(0, searchK);
    const nearest = near.slice(0, k);
    const same = nearest.filter((j) => y[j] === y[i]);
    const other = nearest.filter((j) => y[j] !== y[i]);
    sameCount += same.length;
    if (other.length > 0) {
      diffRows.push({ row: i, members: other });
      for (const j of other) if (maxDiffIndex < 0 || d[i * b + j] > d[maxDiffIndex]) maxDiffIndex = i * b + j;
    }
    if (same.length === 0) continue;
    rowsWithSame++;
    const nearestOther = near.find((j) => y[j] !== y[i]); // S3: n_i (the first other-class sample of N_K(i))
    if (nearestOther === undefined) continue; // n_i = ∞: every r_ij = 0, the row adds 0 to the S4 sum
    for (const j of same) sameWeights[i * b + j] = 1 / same.length;
    // S4: m_i = max(1, D_{i,far} / (n_i + ε₂)); r_ij / m_i = D_ij / (n_i + ε₂) or D_ij / D_{i,far}
    const far = nearest[nearest.length - 1];
    if (d[i * b + far] > d[i * b + nearestOther] + EPS_RATIO) {
      denominatorPick[i * b + far] = 1;
      denominatorOffset[i] = 0;
    } else {
      denominatorPick[i * b + nearestOther] = 1;
      denominatorOffset[i] = EPS_RATIO;
    }
  }
  const diffWeights = new Float32Array(b * b);
  for (const { row, members } of diffRows) for (const j of members) diffWeights[row * b + j] = 1 / (members.length * diffRows.length);
  return { sameWeights, denominatorPick, denominatorOffset, rowsWithSame, diffWeights, maxDiffIndex, gamma: sameCount / (b * k) };
}

function checkOptions(fn: string, options: IcnnOptions | undefined, b: number): { k: number; searchK: number } {
  const k = positiveIntegerArg(fn, "options.k", options?.k ?? 4);
  const searchK = options?.searchK ?? k;
  if (!Number.isInteger(searchK) || searchK < k) throw new Error(`${fn}: options.searchK must be an integer ≥ options.k = ${k} (got ${String(searchK)})`);
  if (searchK > b - 1) {
    throw new Error(`${fn}: a batch of ${b} rows has only ${b - 1} neighbours per row, fewer than options.searchK = ${searchK} (k = ${k}); use a larger batch or smaller k / searchK`);
  }
  return { k, searchK };
}

/** S and its parts as tensors (inside the caller's tidy); λ_diff may be the constant 1. */
function scoreTensors(embeddings: tf.Tensor, y: Int32Array, k: number, searchK: number): { score: tf.Scalar; lambdaSame: tf.Scalar; lambdaDiff: tf.Scalar; gamma: number } {
  const b = y.length;
  const d = pairwiseDistanceMatrix(embeddings, "euclidean", { eps: EPS_DISTANCE }); // S1 (diagonal 0, never selected)
  const sel = selectNeighbours(d.dataSync() as Float32Array, y, k, searchK);
  const mask = (values: Float32Array) => tf.tensor2d(values, [b, b]);
  // S4: per row Σ_j D_ij w_ij / (D_{i,pick} + offset_i); λ_same = 1 − (Σ_i row_i) / #rows with s_i > 0
  const rowSums = tf.sum(tf.mul(d, mask(sel.sameWeights)), 1);
  const denominators = tf.add(tf.sum(tf.mul(d, mask(sel.denominatorPick)), 1), tf.tensor1d(sel.denominatorOffset));
  const lambdaSame = sel.rowsWithSame === 0 ? tf.scalar(1) : tf.sub(1, tf.div(tf.sum(tf.div(rowSums, denominators)), sel.rowsWithSame));
  // S5: λ_diff = Σ_ij D_ij v_ij / (D_max + ε₂), the weights v holding both averages
  let lambdaDiff: tf.Scalar;
  if (sel.maxDiffIndex < 0) {
    lambdaDiff = tf.scalar(1);
  } else {
    const maxPick = new Float32Array(b * b);
    maxPick[sel.maxDiffIndex] = 1;
    lambdaDiff = tf.div(tf.sum(tf.mul(d, mask(sel.diffWeights))), tf.add(tf.sum(tf.mul(d, mask(maxPick))), EPS_RATIO));
  }
  // S7: S = ((λ_same + λ_diff)/2 + γ)/2
  const score = tf.mul(0.5, tf.add(tf.mul(0.5, tf.add(lambdaSame, lambdaDiff)), sel.gamma)) as tf.Scalar;
  return { score, lambdaSame: lambdaSame as tf.Scalar, lambdaDiff, gamma: sel.gamma };
}

/**
 * The ICNN score S ∈ (0, 1] of a batch of embeddings with their labels (file comment, S1–S7): higher means better
 * separated classes. Invariant to a common translation, rotation and scaling of the embeddings (up to the ε's).
 *
 * @param embeddings float32 [B, D]. @param labels one class index per row (any non-negative integers).
 * @param options `k` (default 4) and `searchK` (default k), with k ≤ searchK ≤ B − 1.
 */
export function icnnScore(embeddings: tf.Tensor, labels: ClassLabels, options: IcnnOptions = {}): IcnnScore {
  const fn = "icnnScore";
  const [b] = checkLogits(fn, embeddings, "embeddings");
  const { k, searchK } = checkOptions(fn, options, b);
  const y = labelIndices(fn, labels, b, Number.MAX_SAFE_INTEGER);
  let lambdaSame = 0;
  let lambdaDiff = 0;
  let gamma = 0;
  const score = tf.tidy(() => {
    const parts = scoreTensors(embeddings, y, k, searchK);
    lambdaSame = parts.lambdaSame.dataSync()[0];
    lambdaDiff = parts.lambdaDiff.dataSync()[0];
    gamma = parts.gamma;
    return parts.score;
  });
  return { score, lambdaSame, lambdaDiff, gamma };
}

/**
 * The ICNN loss L = −log S (S7) of a batch used as one episode (support and queries together). A scalar tensor the
 * caller owns; its gradient flows through the distances, not through the neighbour selection.
 *
 * @param embeddings float32 [B, D]. @param labels one class index per row.
 * @param options `k` (default 4) and `searchK` (default k), with k ≤ searchK ≤ B − 1.
 */
export function icnnLoss(embeddings: tf.Tensor, labels: ClassLabels, options: IcnnOptions = {}): tf.Scalar {
  const fn = "icnnLoss";
  const [b] = checkLogits(fn, embeddings, "embeddings");
  const { k, searchK } = checkOptions(fn, options, b);
  const y = labelIndices(fn, labels, b, Number.MAX_SAFE_INTEGER);
  return tf.tidy(() => tf.neg(tf.log(scoreTensors(embeddings, y, k, searchK).score)) as tf.Scalar);
}
