/**
 * Closed planar contours for 2-D shape-deformation experiments: a regular polygon on a circle (the template) and
 * seeded random star-shaped "blobs" (the targets), r(φ) = r₀ (1 + Σ_{k=2}^{K} a_k cos kφ + b_k sin kφ), a smooth
 * random radius function. Each returns an n×2 float64 {@link Matrix}, vertices counter-clockwise.
 */
import { Matrix } from "../core/matrix";
import { SeedOptions, checkCount, generatorFrom } from "./internal";

/** Options of {@link circlePolygon}. */
export interface CirclePolygonOptions {
  /** Number of vertices. */
  n: number;
  /** Radius (default 1). */
  radius?: number;
  /** Centre (default [0, 0]). */
  center?: readonly [number, number];
}

/** The regular n-gon inscribed in a circle: vertex i at angle 2πi/n, counter-clockwise. */
export function circlePolygon(options: CirclePolygonOptions): Matrix {
  const fn = "circlePolygon";
  const n = checkCount(fn, "n", options.n);
  if (n < 3) throw new Error(`${fn}: a polygon needs n ≥ 3 vertices (got ${n})`);
  const radius = options.radius ?? 1;
  if (!(radius > 0) || !Number.isFinite(radius)) throw new Error(`${fn}: radius must be a finite positive number (got ${radius})`);
  const [cx, cy] = options.center ?? [0, 0];
  return Matrix.fromFunction(n, 2, (i, k) => (k === 0 ? cx + radius * Math.cos((2 * Math.PI * i) / n) : cy + radius * Math.sin((2 * Math.PI * i) / n)));
}

/** Options of {@link starContour}. */
export interface StarContourOptions extends SeedOptions {
  /** Number of vertices (at equal angles). */
  n: number;
  /** Highest harmonic K (default 5); harmonics 2..K are used (k = 1 would only shift the shape). */
  harmonics?: number;
  /** Standard deviation of a_k, b_k at k = 2 (default 0.25); harmonic k gets amplitude · (2/k)^decay. */
  amplitude?: number;
  /** Decay exponent of the harmonic amplitudes (default 1). */
  decay?: number;
  /** Base radius r₀ (default 1). */
  baseRadius?: number;
  /** The radius is clamped below at minRadius · r₀ (default 0.3), so the shape stays star-shaped around 0. */
  minRadius?: number;
}

/** A star-shaped contour and its radius function. */
export interface StarContour {
  /** n×2 vertices at angles 2πi/n, counter-clockwise. */
  vertices: Matrix;
  /** r(φ) (with the clamp). */
  radius: (phi: number) => number;
  /** Cosine coefficients a_k (index k; entries 0 and 1 are 0). */
  cosine: Float64Array;
  /** Sine coefficients b_k. */
  sine: Float64Array;
}

/**
 * A random star-shaped closed contour: r(φ) = r₀ max(minRadius, 1 + Σ_{k=2}^{K} a_k cos kφ + b_k sin kφ) with
 * a_k, b_k ~ N(0, (amplitude · (2/k)^decay)²), drawn from the seeded generator. Vertices at equal angles; resample
 * them by arc length (`resampleClosedPolygon`) for a uniform measure on the curve.
 */
export function starContour(options: StarContourOptions): StarContour {
  const fn = "starContour";
  const n = checkCount(fn, "n", options.n);
  if (n < 3) throw new Error(`${fn}: a polygon needs n ≥ 3 vertices (got ${n})`);
  const K = checkCount(fn, "harmonics", options.harmonics ?? 5);
  const amplitude = options.amplitude ?? 0.25;
  const decay = options.decay ?? 1;
  const r0 = options.baseRadius ?? 1;
  const minRadius = options.minRadius ?? 0.3;
  if (!(amplitude >= 0) || !Number.isFinite(amplitude)) throw new Error(`${fn}: amplitude must be a finite number ≥ 0 (got ${amplitude})`);
  if (!(r0 > 0) || !Number.isFinite(r0)) throw new Error(`${fn}: baseRadius must be a finite positive number (got ${r0})`);
  if (!(minRadius > 0 && minRadius < 1)) throw new Error(`${fn}: minRadius must be in (0, 1) (got ${minRadius})`);
  const r = generatorFrom(options);
  const cosine = new Float64Array(K + 1);
  const sine = new Float64Array(K + 1);
  for (let k = 2; k <= K; k++) {
    const s = amplitude * Math.pow(2 / k, decay);
    cosine[k] = s * r.normal();
    sine[k] = s * r.normal();
  }
  const radius = (phi: number) => {
    let v = 1;
    for (let k = 2; k <= K; k++) v += cosine[k] * Math.cos(k * phi) + sine[k] * Math.sin(k * phi);
    return r0 * Math.max(minRadius, v);
  };
  const vertices = Matrix.fromFunction(n, 2, (i, k) => {
    const phi = (2 * Math.PI * i) / n;
    const rr = radius(phi);
    return k === 0 ? rr * Math.cos(phi) : rr * Math.sin(phi);
  });
  return { vertices, radius, cosine, sine };
}
