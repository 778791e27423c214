/**
 * Closed polygons in the plane (n×2 matrices, one vertex per row, the edge from the last vertex back to the first
 * implied): perimeter, signed area, arc-length resampling, and the count of self-intersections — the 2-D analogue of
 * the "self-intersecting faces" metric of mesh-deformation papers (a diffeomorphic deformation of a simple polygon
 * stays simple in the continuum limit; a discretised flow may still fold it).
 */
import { Matrix, type MatrixLike } from "./matrix";
import { matrixArg } from "./shape";

function polygonArg(P: MatrixLike, fn: string, minVertices = 3): Matrix {
  const M = matrixArg(P, fn, "P");
  if (M.cols !== 2) throw new Error(`${fn}: P must be n×2 (one vertex (x, y) per row), got ${M.rows}×${M.cols}`);
  if (M.rows < minVertices) throw new Error(`${fn}: a closed polygon needs at least ${minVertices} vertices (got ${M.rows})`);
  for (let k = 0; k < M.data.length; k++) {
    if (!Number.isFinite(M.data[k])) throw new Error(`${fn}: P contains ${M.data[k]} at vertex ${k >> 1}; every coordinate must be finite`);
  }
  return M;
}

/** Length of the closed polygon: Σ_i ‖p_{i+1} − p_i‖ with p_n = p_0. */
export function polygonPerimeter(P: MatrixLike): number {
  const M = polygonArg(P, "polygonPerimeter", 2);
  const p = M.data;
  const n = M.rows;
  let L = 0;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    L += Math.hypot(p[2 * j] - p[2 * i], p[2 * j + 1] - p[2 * i + 1]);
  }
  return L;
}

/** Shoelace formula: ½ Σ_i (x_i y_{i+1} − x_{i+1} y_i); positive for counter-clockwise vertices. */
export function polygonSignedArea(P: MatrixLike): number {
  const M = polygonArg(P, "polygonSignedArea");
  const p = M.data;
  const n = M.rows;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    s += p[2 * i] * p[2 * j + 1] - p[2 * j] * p[2 * i + 1];
  }
  return s / 2;
}

/** Options of {@link resampleClosedPolygon}. */
export interface ResampleOptions {
  /**
   * Where the first sample sits, as a fraction of one spacing (perimeter / count) past vertex 0, in [0, 1).
   * Default 0 (the first sample is vertex 0). A uniform random offset makes the samples a stratified random
   * sample of the uniform (arc-length) measure on the curve.
   */
  offset?: number;
}

/**
 * `count` points equally spaced in arc length along the closed polygon P, starting at vertex 0 (shifted by
 * `offset` spacings): a discretisation of the uniform probability measure on the curve.
 */
export function resampleClosedPolygon(P: MatrixLike, count: number, options: ResampleOptions = {}): Matrix {
  const fn = "resampleClosedPolygon";
  const M = polygonArg(P, fn, 2);
  if (!Number.isInteger(count) || count < 1) throw new Error(`${fn}: count must be a positive integer (got ${count})`);
  const offset = options.offset ?? 0;
  if (!(offset >= 0 && offset < 1)) throw new Error(`${fn}: offset must be in [0, 1) (a fraction of one spacing), got ${offset}`);
  const p = M.data;
  const n = M.rows;
  const cum = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    cum[i + 1] = cum[i] + Math.hypot(p[2 * j] - p[2 * i], p[2 * j + 1] - p[2 * i + 1]);
  }
  const L = cum[n];
  if (!(L > 0)) throw new Error(`${fn}: the polygon has zero length (all vertices coincide)`);
  const out = new Matrix(count, 2);
  const step = L / count;
  let e = 0;
  for (let s = 0; s < count; s++) {
    const t = (s + offset) * step;
    while (e < n - 1 && cum[e + 1] <= t) e++;
    const len = cum[e + 1] - cum[e];
    const u = len > 0 ? (t - cum[e]) / len : 0;
    const j = (e + 1) % n;
    out.data[2 * s] = p[2 * e] + u * (p[2 * j] - p[2 * e]);
    out.data[2 * s + 1] = p[2 * e + 1] + u * (p[2 * j + 1] - p[2 * e + 1]);
  }
  return out;
}

/** Sign of the cross product (b − a) × (c − a): > 0 if a, b, c turn counter-clockwise. */
function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

function onSegment(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): boolean {
  return Math.min(ax, bx) <= cx && cx <= Math.max(ax, bx) && Math.min(ay, by) <= cy && cy <= Math.max(ay, by);
}

/** Whether the closed segments [a, b] and [c, d] share a point (proper crossing, touching or collinear overlap). */
export function segmentsIntersect(
  ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number,
): boolean {
  const o1 = orient(ax, ay, bx, by, cx, cy);
  const o2 = orient(ax, ay, bx, by, dx, dy);
  const o3 = orient(cx, cy, dx, dy, ax, ay);
  const o4 = orient(cx, cy, dx, dy, bx, by);
  if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) return true;
  if (o1 === 0 && onSegment(ax, ay, bx, by, cx, cy)) return true;
  if (o2 === 0 && onSegment(ax, ay, bx, by, dx, dy)) return true;
  if (o3 === 0 && onSegment(cx, cy, dx, dy, ax, ay)) return true;
  if (o4 === 0 && onSegment(cx, cy, dx, dy, bx, by)) return true;
  return false;
}

/**
 * Number of pairs of non-adjacent edges of the closed polygon P that intersect (edges i = (p_i, p_{i+1}) and
 * k = (p_k, p_{k+1}), |i − k| > 1 cyclically). 0 for a simple polygon; a figure eight has 1. Brute force over the
 * n(n − 3)/2 pairs, with a bounding-box test first.
 */
export function polygonSelfIntersections(P: MatrixLike): number {
  const M = polygonArg(P, "polygonSelfIntersections");
  const p = M.data;
  const n = M.rows;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const i2 = (i + 1) % n;
    const ax = p[2 * i], ay = p[2 * i + 1], bx = p[2 * i2], by = p[2 * i2 + 1];
    const minX = Math.min(ax, bx), maxX = Math.max(ax, bx), minY = Math.min(ay, by), maxY = Math.max(ay, by);
    // edges k > i + 1, and not the edge (n − 1 → 0) when i = 0 (it shares vertex 0)
    const last = i === 0 ? n - 2 : n - 1;
    for (let k = i + 2; k <= last; k++) {
      const k2 = (k + 1) % n;
      const cx = p[2 * k], cy = p[2 * k + 1], dx = p[2 * k2], dy = p[2 * k2 + 1];
      if (Math.max(cx, dx) < minX || Math.min(cx, dx) > maxX || Math.max(cy, dy) < minY || Math.min(cy, dy) > maxY) continue;
      if (segmentsIntersect(ax, ay, bx, by, cx, cy, dx, dy)) count++;
    }
  }
  return count;
}
