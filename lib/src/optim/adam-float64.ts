/**
 * Adam (Kingma & Ba 2015, Algorithm 1) on a plain Float64Array of parameters, for models whose gradients are written
 * by hand in float64 (no tfjs): the same update as {@link adam} without weight decay,
 *   m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²,   p ← p − η (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε).
 * `ascend: true` turns it into gradient ascent (p ← p + …), for the maximising player of a min–max game.
 */

/** Options of {@link adamFloat64}. */
export interface AdamFloat64Options {
  /** Learning rate η (default 1e-3). */
  lr?: number;
  /** β₁ (default 0.9). */
  beta1?: number;
  /** β₂ (default 0.999). */
  beta2?: number;
  /** ε (default 1e-8). */
  eps?: number;
  /** Maximise instead of minimise (default false). */
  ascend?: boolean;
}

/** A float64 Adam optimiser bound to one parameter vector's length. */
export interface AdamFloat64 {
  /** Updates `params` in place from `gradient` (same length); returns `params`. */
  step(params: Float64Array, gradient: ArrayLike<number>): Float64Array;
  /** Steps taken so far (t). */
  readonly iterations: number;
}

/** Adam on Float64Array parameters (see the module comment); the moment buffers are sized on the first step. */
export function adamFloat64(options: AdamFloat64Options = {}): AdamFloat64 {
  const lr = options.lr ?? 1e-3;
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const eps = options.eps ?? 1e-8;
  if (!(lr > 0) || !Number.isFinite(lr)) throw new Error(`adamFloat64: lr must be a finite positive number (got ${lr})`);
  for (const [name, v] of [["beta1", beta1], ["beta2", beta2]] as const) {
    if (!(v >= 0 && v < 1)) throw new Error(`adamFloat64: ${name} must be in [0, 1) (got ${v})`);
  }
  if (!(eps > 0)) throw new Error(`adamFloat64: eps must be positive (got ${eps})`);
  const sign = options.ascend ? 1 : -1;
  let m: Float64Array | undefined;
  let v: Float64Array | undefined;
  let t = 0;
  return {
    get iterations() {
      return t;
    },
    step(params, gradient) {
      if (gradient.length !== params.length) {
        throw new Error(`adamFloat64: the gradient has ${gradient.length} entries but there are ${params.length} parameters`);
      }
      if (!m || !v) {
        m = new Float64Array(params.length);
        v = new Float64Array(params.length);
      } else if (m.length !== params.length) {
        throw new Error(`adamFloat64: this optimiser was first used with ${m.length} parameters, now ${params.length}; make one optimiser per parameter vector`);
      }
      t++;
      const c1 = 1 - Math.pow(beta1, t);
      const c2 = 1 - Math.pow(beta2, t);
      for (let k = 0; k < params.length; k++) {
        const g = gradient[k];
        m[k] = beta1 * m[k] + (1 - beta1) * g;
        v[k] = beta2 * v[k] + (1 - beta2) * g * g;
        params[k] += (sign * lr * (m[k] / c1)) / (Math.sqrt(v[k] / c2) + eps);
      }
      return params;
    },
  };
}
