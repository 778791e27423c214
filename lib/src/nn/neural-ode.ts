/**
 * Neural ODE flows of point sets (Chen et al., "Neural Ordinary Differential Equations", NeurIPS 2018), as used
 * for diffeomorphic mesh deformation (CortexODE, Ma et al. 2022; Le et al., "Diffeomorphic Mesh Deformation via
 * Efficient Optimal Transport for Cortical Surface Reconstruction", ICLR 2024, §3):
 *
 *   dx/dt = F_θ(x, t),  x(0) = x₀,  t ∈ [0, T];  the deformation is the flow map φ_T(x₀) = x(T).
 *
 * The exact flow of a Lipschitz field is a diffeomorphism, so a deformed closed surface (or curve) cannot fold or
 * self-intersect; the discretised flow keeps this property when h · Lip(F_θ) < 1 (each Euler step x ↦ x + h F(x)
 * is then injective). The velocity is any layer (e.g. `mlp({ sizes: [d + 1, 64, 64, d], activation: "tanh" })`)
 * taking [x, t] (or x alone, `timeInput: false`). Integrated with fixed-step explicit Euler or classical RK4 in tfjs,
 * so gradients with respect to the layer's weights (and to x₀) come from tfjs's autodiff through the steps
 * ("discretise then optimise").
 */
import { tf } from "../tf/tf";
import type { Layer } from "./layers";

/** Options of {@link odeFlow}. */
export interface OdeFlowOptions {
  /** Number of fixed integration steps (default 10, as CortexODE's Euler steps of h = 0.1). */
  steps?: number;
  /** "euler" (default) or "rk4". */
  method?: "euler" | "rk4";
  /** Integration time T (default 1); h = T / steps. */
  duration?: number;
  /** Whether the velocity takes t as an extra last input column (default true). */
  timeInput?: boolean;
}

/** Defaults of {@link odeFlow}. */
export const ODE_FLOW_DEFAULTS = { steps: 10, method: "euler", duration: 1, timeInput: true } as const;

function checkFlowOptions(fn: string, options: OdeFlowOptions) {
  const steps = options.steps ?? ODE_FLOW_DEFAULTS.steps;
  const method = options.method ?? ODE_FLOW_DEFAULTS.method;
  const duration = options.duration ?? ODE_FLOW_DEFAULTS.duration;
  const timeInput = options.timeInput ?? ODE_FLOW_DEFAULTS.timeInput;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`${fn}: steps must be a positive integer (got ${steps})`);
  if (method !== "euler" && method !== "rk4") throw new Error(`${fn}: method must be "euler" or "rk4" (got ${JSON.stringify(method)})`);
  if (!(duration > 0) || !Number.isFinite(duration)) throw new Error(`${fn}: duration must be a finite positive number (got ${duration})`);
  return { steps, method, duration, timeInput };
}

/**
 * All states x(t_0 = 0), x(t_1), …, x(t_steps = T) of the flow of `velocity` from the points x0 (n×d), as tensors
 * (the caller disposes them, or calls this inside tf.tidy / a gradient function).
 *   Euler (explicit):  x_{k+1} = x_k + h F(x_k, t_k)
 *   RK4:               x_{k+1} = x_k + h/6 (k₁ + 2k₂ + 2k₃ + k₄),
 *                      k₁ = F(x_k, t_k), k₂ = F(x_k + h/2 k₁, t_k + h/2), k₃ = F(x_k + h/2 k₂, t_k + h/2), k₄ = F(x_k + h k₃, t_k + h)
 */
export function odeTrajectory(velocity: Layer, x0: tf.Tensor2D, options: OdeFlowOptions = {}): tf.Tensor2D[] {
  const fn = "odeTrajectory";
  const { steps, method, duration, timeInput } = checkFlowOptions(fn, options);
  if (!(x0 instanceof tf.Tensor) || x0.rank !== 2) throw new Error(`${fn}: x0 must be a rank-2 tensor of points [n, d]`);
  const [n, d] = x0.shape;
  const h = duration / steps;
  // F(x, t): the layer applied to [x, t] (or to x)
  const F = (x: tf.Tensor2D, t: number): tf.Tensor2D => {
    const input = timeInput ? tf.concat([x, tf.fill([n, 1], t)], 1) : x;
    const shapeHint = `the velocity must map [n, ${timeInput ? d + 1 : d}] (points${timeInput ? " and t" : ""}) to [n, ${d}]; e.g. mlp({ sizes: [${timeInput ? d + 1 : d}, 64, ${d}] })`;
    let v: tf.Tensor2D;
    try {
      v = velocity.apply(input, { training: true, inputGradient: true }) as tf.Tensor2D;
    } catch (e) {
      throw new Error(`${fn}: ${shapeHint} (applying it failed: ${(e as Error).message})`);
    }
    if (v.rank !== 2 || v.shape[0] !== n || v.shape[1] !== d) throw new Error(`${fn}: ${shapeHint} (got [${v.shape.join(", ")}])`);
    return v;
  };
  const states: tf.Tensor2D[] = [x0];
  let x = x0;
  for (let k = 0; k < steps; k++) {
    const t = k * h;
    if (method === "euler") {
      x = tf.add(x, tf.mul(F(x, t), h)); // x_{k+1} = x_k + h F(x_k, t_k)
    } else {
      const k1 = F(x, t);
      const k2 = F(tf.add(x, tf.mul(k1, h / 2)), t + h / 2);
      const k3 = F(tf.add(x, tf.mul(k2, h / 2)), t + h / 2);
      const k4 = F(tf.add(x, tf.mul(k3, h)), t + h);
      x = tf.add(x, tf.mul(tf.addN([k1, tf.mul(k2, 2), tf.mul(k3, 2), k4]), h / 6));
    }
    states.push(x);
  }
  return states;
}

/** The flow map φ_T(x0) = x(T) of `velocity` (see {@link odeTrajectory}); call it in tf.tidy or a gradient function. */
export function odeFlow(velocity: Layer, x0: tf.Tensor2D, options: OdeFlowOptions = {}): tf.Tensor2D {
  return tf.tidy(() => {
    const states = odeTrajectory(velocity, x0, options);
    return states[states.length - 1];
  });
}
