/**
 * The discrete (oriented) varifold of a closed polygon: each vertex x_i paired with the unit normal n_i of the curve
 * there, embedded as the point (x_i, λ n_i) ∈ R⁴. A measure on positions × orientations, as in the varifold
 * representation of meshes used by Le et al. ("Diffeomorphic Mesh Deformation via Efficient Optimal Transport for
 * Cortical Surface Reconstruction", ICLR 2024, §3; Charon & Trouvé 2013 for varifolds of curves): two curves that
 * pass through the same points with different orientations are different measures.
 *
 * Normals by central differences: t_i = x_{i+1} − x_{i−1}, u_i = (t_{i,y}, −t_{i,x}), n_i = u_i / ‖u_i‖ (outward for
 * counter-clockwise vertices). {@link polygonVarifoldPullback} turns a gradient with respect to the R⁴ points into one
 * with respect to the vertices (chain rule through the normals).
 */
import { Matrix, type MatrixLike } from "./matrix";
import { matrixArg } from "./shape";

/** Options of {@link polygonVarifold}. */
export interface PolygonVarifoldOptions {
  /** λ, the weight of the normal coordinates relative to positions (default 0.2). */
  normalWeight?: number;
}

function checkPolygon(P: MatrixLike, fn: string): Matrix {
  const M = matrixArg(P, fn, "P");
  if (M.cols !== 2 || M.rows < 3) throw new Error(`${fn}: P must be an n×2 closed polygon with n ≥ 3 (got ${M.rows}×${M.cols})`);
  return M;
}

function weightOf(options: PolygonVarifoldOptions, fn: string): number {
  const w = options.normalWeight ?? 0.2;
  if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`${fn}: normalWeight must be a finite number ≥ 0 (got ${w})`);
  return w;
}

/** n×4 points (x_i, y_i, λ n_{i,x}, λ n_{i,y}) of the closed polygon P (n×2). */
export function polygonVarifold(P: MatrixLike, options: PolygonVarifoldOptions = {}): Matrix {
  const fn = "polygonVarifold";
  const M = checkPolygon(P, fn);
  const lambda = weightOf(options, fn);
  const n = M.rows;
  const p = M.data;
  const out = new Matrix(n, 4);
  for (let i = 0; i < n; i++) {
    const a = (i + n - 1) % n;
    const b = (i + 1) % n;
    const tx = p[2 * b] - p[2 * a];
    const ty = p[2 * b + 1] - p[2 * a + 1];
    const norm = Math.hypot(tx, ty);
    if (!(norm > 0)) throw new Error(`${fn}: the neighbours of vertex ${i} coincide, so its normal is undefined; remove duplicate vertices`);
    out.data[4 * i] = p[2 * i];
    out.data[4 * i + 1] = p[2 * i + 1];
    out.data[4 * i + 2] = (lambda * ty) / norm; // u = (t_y, −t_x)
    out.data[4 * i + 3] = (-lambda * tx) / norm;
  }
  return out;
}

/**
 * The gradient with respect to the vertices of P of a loss ℓ(V) of its varifold points V = polygonVarifold(P), given
 * G = ∂ℓ/∂V (n×4):  ∂ℓ/∂x_i = G_{i,0:2} + Σ over the normals that depend on x_i, with
 *   ∂ℓ/∂u_i = (I − n_i n_iᵀ) λ G_{i,2:4} / ‖u_i‖,   ∂ℓ/∂t_i = (−∂ℓ/∂u_{i,y}, ∂ℓ/∂u_{i,x}),
 *   ∂ℓ/∂x_{i+1} += ∂ℓ/∂t_i,   ∂ℓ/∂x_{i−1} −= ∂ℓ/∂t_i.
 */
export function polygonVarifoldPullback(P: MatrixLike, G: MatrixLike, options: PolygonVarifoldOptions = {}): Matrix {
  const fn = "polygonVarifoldPullback";
  const M = checkPolygon(P, fn);
  const Gm = matrixArg(G, fn, "G");
  const n = M.rows;
  if (Gm.rows !== n || Gm.cols !== 4) throw new Error(`${fn}: G must be ${n}×4 (one row per varifold point), got ${Gm.rows}×${Gm.cols}`);
  const lambda = weightOf(options, fn);
  const p = M.data;
  const g = Gm.data;
  const out = new Matrix(n, 2);
  const o = out.data;
  for (let i = 0; i < n; i++) {
    o[2 * i] += g[4 * i];
    o[2 * i + 1] += g[4 * i + 1];
    const a = (i + n - 1) % n;
    const b = (i + 1) % n;
    const tx = p[2 * b] - p[2 * a];
    const ty = p[2 * b + 1] - p[2 * a + 1];
    const norm = Math.hypot(tx, ty);
    const nx = ty / norm;
    const ny = -tx / norm;
    const gx = lambda * g[4 * i + 2];
    const gy = lambda * g[4 * i + 3];
    const dot = nx * gx + ny * gy;
    const dux = (gx - dot * nx) / norm;
    const duy = (gy - dot * ny) / norm;
    const dtx = -duy;
    const dty = dux;
    o[2 * b] += dtx;
    o[2 * b + 1] += dty;
    o[2 * a] -= dtx;
    o[2 * a + 1] -= dty;
  }
  return out;
}
