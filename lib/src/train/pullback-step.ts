/**
 * One optimisation step of a tfjs model whose output is a point set, against a loss computed on the points in
 * float64 outside tfjs (Chamfer, sliced Wasserstein, …) that supplies its own gradient. The chain rule through the
 * model is a vector–Jacobian product: with Y = f_θ(·) and G = ∂ℓ/∂Y (float64, held fixed),
 *   ∂ℓ/∂θ = (∂Y/∂θ)ᵀ G = ∇_θ ⟨Y, stop_gradient(G)⟩,
 * so tfjs differentiates the surrogate ⟨Y, G⟩ and the optimizer sees exactly ∂ℓ/∂θ.
 */
import { tf } from "../tf/tf";
import { Matrix } from "../core/matrix";
import type { Optimizer } from "../optim/optimizer";
import { trainStep } from "./step";

/** A loss on an n×d point set with its gradient (n×d). */
export interface PointLossValue {
  value: number;
  gradX: Matrix;
}

/** Result of {@link pullbackStep}. */
export interface PullbackStepResult {
  /** ℓ(Y) before the update. */
  loss: number;
  /** Y before the update, float64. */
  points: Matrix;
}

/**
 * Computes Y = forward() (a rank-2 tensor [n, d]), evaluates `pointLoss(Y)` in float64, pulls its gradient back to
 * `params` through tfjs's autodiff (vector–Jacobian product) and applies one `optimizer` update. Runs in tf.tidy.
 *
 * @example pullbackStep(net.params, () => odeFlow(net, x0), (Y) => chamferDistance(Y, target), adam({ lr: 1e-3 }))
 */
export function pullbackStep(
  params: readonly tf.Variable[],
  forward: () => tf.Tensor,
  pointLoss: (points: Matrix) => PointLossValue,
  optimizer: Optimizer,
): PullbackStepResult {
  const fn = "pullbackStep";
  let loss = NaN;
  let points: Matrix | undefined;
  trainStep(params, () => {
    const Y = forward();
    if (!(Y instanceof tf.Tensor) || Y.rank !== 2) throw new Error(`${fn}: forward must return a rank-2 tensor of points [n, d]`);
    const [n, d] = Y.shape as [number, number];
    points = new Matrix(n, d, Float64Array.from(Y.dataSync()));
    const { value, gradX } = pointLoss(points);
    if (!(gradX instanceof Matrix) || gradX.rows !== n || gradX.cols !== d) {
      throw new Error(`${fn}: pointLoss must return gradX of shape ${n}×${d} (the points' shape)`);
    }
    loss = value;
    const G = tf.tensor2d(Float32Array.from(gradX.data), [n, d]);
    return tf.sum(tf.mul(Y, G)) as tf.Scalar; // ⟨Y, G⟩ with G constant: its θ-gradient is (∂Y/∂θ)ᵀ G
  }, optimizer);
  return { loss, points: points! };
}
