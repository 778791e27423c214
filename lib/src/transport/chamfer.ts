/**
 * Set-based discrepancies between point clouds, the baselines of mesh-deformation losses:
 *
 * - the Chamfer (pseudo-)distance, in PyTorch3D's convention (`pytorch3d.loss.chamfer_distance` with the default
 *   point reduction "mean"): squared Euclidean nearest-neighbour distances, averaged over each cloud, summed over
 *   the two directions,
 *     CD(X, Y) = (1/n) Σ_i min_j ‖x_i − y_j‖² + (1/m) Σ_j min_i ‖x_i − y_j‖²,
 *   with its gradient with respect to X (valid almost everywhere: nearest neighbours held fixed);
 * - the symmetric Hausdorff distance (Euclidean, not squared),
 *     H(X, Y) = max( max_i min_j ‖x_i − y_j‖, max_j min_i ‖x_i − y_j‖ ),
 *   the worst-case surface error reported by cortical-surface papers (Le et al., "Diffeomorphic Mesh Deformation via
 *   Efficient Optimal Transport for Cortical Surface Reconstruction", ICLR 2024, §4 metrics).
 *
 * Both are brute force, O(nm d) time and O(n + m) memory, in float64: the quadratic cost that the sliced
 * Wasserstein loss (O(L n log n), see ./sliced-directions.ts `slicedGradient`) avoids.
 */
import { Matrix, type MatrixLike } from "../core/matrix";
import { toMatrix } from "./validate";

/** Result of {@link chamferDistance}. */
export interface ChamferResult {
  /** CD(X, Y) = mean_i min_j ‖x_i − y_j‖² + mean_j min_i ‖x_i − y_j‖². */
  value: number;
  /** (1/n) Σ_i min_j ‖x_i − y_j‖²: how far X is from Y. */
  xToY: number;
  /** (1/m) Σ_j min_i ‖x_i − y_j‖²: how far Y is from X. */
  yToX: number;
  /** ∇_X CD, n×d (nearest neighbours held fixed). */
  gradX: Matrix;
  /** For each x_i, the index of its nearest y. */
  nearestInY: Int32Array;
  /** For each y_j, the index of its nearest x. */
  nearestInX: Int32Array;
}

function checkClouds(X: MatrixLike, Y: MatrixLike, fn: string): [Matrix, Matrix] {
  const A = toMatrix(X, fn, "X");
  const B = toMatrix(Y, fn, "Y");
  if (A.rows === 0 || B.rows === 0) throw new Error(`${fn}: X and Y need at least one point each (got ${A.rows} and ${B.rows} rows)`);
  if (A.cols !== B.cols) throw new Error(`${fn}: X and Y must have the same dimension (X is ${A.rows}×${A.cols}, Y is ${B.rows}×${B.cols}); rows are points`);
  for (const [M, name] of [[A, "X"], [B, "Y"]] as const) {
    for (let k = 0; k < M.data.length; k++) {
      if (!Number.isFinite(M.data[k])) throw new Error(`${fn}: ${name} contains ${M.data[k]} at row ${Math.floor(k / M.cols)}; every coordinate must be finite`);
    }
  }
  return [A, B];
}

/**
 * Both nearest-neighbour passes in one sweep over the n×m pairs: for each x_i its nearest y (distance² and index),
 * for each y_j its nearest x.
 */
function nearestNeighbours(A: Matrix, B: Matrix) {
  const n = A.rows;
  const m = B.rows;
  const d = A.cols;
  const a = A.data;
  const b = B.data;
  const bestX = new Float64Array(n).fill(Infinity);
  const bestY = new Float64Array(m).fill(Infinity);
  const nearestInY = new Int32Array(n);
  const nearestInX = new Int32Array(m);
  // d = 2 (contours) is written out: the same sweep as the general loop below without its inner coordinate loop,
  // since this is the hot loop that diffeomorphic-mesh-ot times against sliced Wasserstein.
  if (d === 2) {
    for (let i = 0; i < n; i++) {
      const x0 = a[2 * i];
      const x1 = a[2 * i + 1];
      let bi = Infinity;
      let ji = 0;
      for (let j = 0; j < m; j++) {
        const u = x0 - b[2 * j];
        const v = x1 - b[2 * j + 1];
        const s = u * u + v * v;
        if (s < bi) {
          bi = s;
          ji = j;
        }
        if (s < bestY[j]) {
          bestY[j] = s;
          nearestInX[j] = i;
        }
      }
      bestX[i] = bi;
      nearestInY[i] = ji;
    }
  } else {
    for (let i = 0; i < n; i++) {
      let bi = Infinity;
      let ji = 0;
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) {
          const t = a[i * d + k] - b[j * d + k];
          s += t * t;
        }
        if (s < bi) {
          bi = s;
          ji = j;
        }
        if (s < bestY[j]) {
          bestY[j] = s;
          nearestInX[j] = i;
        }
      }
      bestX[i] = bi;
      nearestInY[i] = ji;
    }
  }
  return { bestX, bestY, nearestInY, nearestInX };
}

/**
 * The Chamfer distance between the point clouds X (n×d) and Y (m×d), PyTorch3D convention (squared distances,
 * mean over each cloud, sum of the two directions), and its gradient with respect to X:
 *   ∇_{x_i} CD = (2/n) (x_i − y_{NN_Y(i)}) + (2/m) Σ_{j : NN_X(j) = i} (x_i − y_j).
 * Brute force O(nm d).
 *
 * @example const { value, gradX } = chamferDistance(deformed, targetSample);
 */
export function chamferDistance(X: MatrixLike, Y: MatrixLike): ChamferResult {
  const [A, B] = checkClouds(X, Y, "chamferDistance");
  const n = A.rows;
  const m = B.rows;
  const d = A.cols;
  const { bestX, bestY, nearestInY, nearestInX } = nearestNeighbours(A, B);
  let xToY = 0;
  for (let i = 0; i < n; i++) xToY += bestX[i];
  xToY /= n;
  let yToX = 0;
  for (let j = 0; j < m; j++) yToX += bestY[j];
  yToX /= m;
  const grad = new Matrix(n, d);
  const g = grad.data;
  const a = A.data;
  const b = B.data;
  for (let i = 0; i < n; i++) {
    const j = nearestInY[i];
    for (let k = 0; k < d; k++) g[i * d + k] += (2 / n) * (a[i * d + k] - b[j * d + k]);
  }
  for (let j = 0; j < m; j++) {
    const i = nearestInX[j];
    for (let k = 0; k < d; k++) g[i * d + k] += (2 / m) * (a[i * d + k] - b[j * d + k]);
  }
  return { value: xToY + yToX, xToY, yToX, gradX: grad, nearestInY, nearestInX };
}

/**
 * The symmetric Hausdorff distance between the point clouds X and Y (Euclidean):
 * max(max_i min_j ‖x_i − y_j‖, max_j min_i ‖x_i − y_j‖). Brute force O(nm d).
 * To compare curves or surfaces rather than vertex sets, sample both densely first.
 */
export function hausdorffDistance(X: MatrixLike, Y: MatrixLike): number {
  const [A, B] = checkClouds(X, Y, "hausdorffDistance");
  const { bestX, bestY } = nearestNeighbours(A, B);
  let h = 0;
  for (let i = 0; i < bestX.length; i++) if (bestX[i] > h) h = bestX[i];
  for (let j = 0; j < bestY.length; j++) if (bestY[j] > h) h = bestY[j];
  return Math.sqrt(h);
}
