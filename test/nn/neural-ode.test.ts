import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { tf, ready, mlp, odeFlow, odeTrajectory, adam, pullbackStep, chamferDistance, Matrix } from "@reprobook/lib";
import { assertClose, assertNoLeak } from "./helpers";

before(async () => { await ready(); });

/** A linear velocity v(x, t) = A x (+ c t): an mlp 3→2 with chosen weights. */
function linearField(A: number[][], c: [number, number] = [0, 0]) {
  const net = mlp({ sizes: [3, 2], activation: "linear", seed: 1 });
  const [w, b] = net.params;
  w.assign(tf.tensor2d([[A[0][0], A[1][0]], [A[0][1], A[1][1]], [c[0], c[1]]])); // rows: inputs x, y, t
  b.assign(tf.zeros([2]));
  return net;
}
const x0 = [[1, 0], [0, 2], [-1, 1]];

describe("odeFlow", () => {
  it("Euler on v = A x gives (I + A/T)^T x₀ exactly", () => {
    const A = [[0.1, -0.3], [0.2, 0.05]];
    const net = linearField(A);
    const steps = 4;
    const got = tf.tidy(() => odeFlow(net, tf.tensor2d(x0), { steps }).arraySync());
    const M = [[1 + A[0][0] / steps, A[0][1] / steps], [A[1][0] / steps, 1 + A[1][1] / steps]];
    for (const [i, p] of x0.entries()) {
      let v = p;
      for (let s = 0; s < steps; s++) v = [M[0][0] * v[0] + M[0][1] * v[1], M[1][0] * v[0] + M[1][1] * v[1]];
      assertClose(got[i], v, 1e-5, 1e-6, `point ${i}`);
    }
    net.dispose();
  });
  it("RK4 on the rotation field v = (−y, x) rotates by T radians (error O(h⁴)); Euler spirals out", () => {
    const net = linearField([[0, -1], [1, 0]]);
    const rk = tf.tidy(() => odeFlow(net, tf.tensor2d(x0), { steps: 10, method: "rk4", duration: 1 }).arraySync());
    const eu = tf.tidy(() => odeFlow(net, tf.tensor2d(x0), { steps: 10, method: "euler", duration: 1 }).arraySync());
    const c = Math.cos(1), s = Math.sin(1);
    for (const [i, p] of x0.entries()) {
      assertClose(rk[i], [c * p[0] - s * p[1], s * p[0] + c * p[1]], 1e-5, 1e-5, `rk4 ${i}`);
      // Euler multiplies the radius by (1 + h²)^{T/2h} = 1.1^5 per unit time
      assert.ok(Math.abs(Math.hypot(eu[i][0], eu[i][1]) / Math.hypot(p[0], p[1]) - Math.pow(1.01, 5)) < 1e-5);
    }
    net.dispose();
  });
  it("the time input enters: v = (1, 0)·t moves x by T²/2 along x (exact for RK4; Euler gives the left Riemann sum)", () => {
    const net = linearField([[0, 0], [0, 0]], [1, 0]);
    const rk = tf.tidy(() => odeFlow(net, tf.tensor2d([[0, 0]]), { steps: 5, method: "rk4", duration: 2 }).arraySync());
    assertClose(rk[0], [2, 0], 1e-6, 1e-6);
    // Euler: Σ_k h·(k h) = h² K(K−1)/2 with h = 0.4, K = 5: 0.16·10 = 1.6
    const eu = tf.tidy(() => odeFlow(net, tf.tensor2d([[0, 0]]), { steps: 5, duration: 2 }).arraySync());
    assertClose(eu[0], [1.6, 0], 1e-6, 1e-6);
    net.dispose();
  });
  it("gradient with respect to x₀ through the steps: ∇ ⟨c, M x₀⟩ = Mᵀ c", () => {
    const A = [[0.2, 0.4], [-0.1, 0.3]];
    const net = linearField(A);
    const steps = 3;
    const cvec = [[0.5, -1], [2, 1], [1, 1]];
    const g = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(odeFlow(net, x as tf.Tensor2D, { steps }), tf.tensor2d(cvec))))(tf.tensor2d(x0)).arraySync() as number[][]);
    const step = [[1 + A[0][0] / steps, A[0][1] / steps], [A[1][0] / steps, 1 + A[1][1] / steps]];
    let M = [[1, 0], [0, 1]];
    for (let s = 0; s < steps; s++) M = [[step[0][0] * M[0][0] + step[0][1] * M[1][0], step[0][0] * M[0][1] + step[0][1] * M[1][1]], [step[1][0] * M[0][0] + step[1][1] * M[1][0], step[1][0] * M[0][1] + step[1][1] * M[1][1]]];
    for (let i = 0; i < 3; i++) assertClose(g[i], [M[0][0] * cvec[i][0] + M[1][0] * cvec[i][1], M[0][1] * cvec[i][0] + M[1][1] * cvec[i][1]], 1e-5, 1e-6, `row ${i}`);
    net.dispose();
  });
  it("trajectory has steps + 1 states, no tensor leaks, and explains bad options and shapes", () => {
    const net = mlp({ sizes: [3, 8, 2], activation: "tanh", seed: 2 });
    const x = tf.tensor2d(x0);
    const states = odeTrajectory(net, x, { steps: 3, method: "rk4" });
    assert.equal(states.length, 4);
    tf.dispose(states.slice(1));
    assertNoLeak(() => tf.tidy(() => odeFlow(net, x, { steps: 5, method: "rk4" })).dispose(), "odeFlow");
    assert.throws(() => odeFlow(net, x, { steps: 0 }), /steps/);
    assert.throws(() => odeFlow(net, x, { method: "midpoint" as "rk4" }), /method/);
    assert.throws(() => odeFlow(net, x, { timeInput: false }), /velocity must map/);
    x.dispose();
    net.dispose();
  });
});

describe("pullbackStep", () => {
  it("gives the optimizer exactly ∂ℓ/∂θ: one Adam step equals the step on tfjs's own gradient of the same loss", () => {
    // ℓ(Y) = Σ (Y − T)²/2 computed in float64; the same loss in tfjs gives the reference update
    const target = [[0.5, 0.5], [1, -1], [0, 0]];
    const make = () => mlp({ sizes: [3, 8, 2], activation: "tanh", seed: 3 });
    const a = make();
    const b = make();
    const x = tf.tensor2d(x0);
    const optA = adam({ lr: 0.01 });
    const optB = adam({ lr: 0.01 });
    const res = pullbackStep(a.params, () => odeFlow(a, x, { steps: 3 }), (Y) => {
      const g = new Matrix(Y.rows, Y.cols, Y.data.map((v, k) => v - target[k >> 1][k & 1]));
      return { value: g.data.reduce((s, v) => s + v * v / 2, 0), gradX: g };
    }, optA);
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.mul(tf.sum(tf.square(tf.sub(odeFlow(b, x, { steps: 3 }), tf.tensor2d(target)))), 0.5) as tf.Scalar, b.params);
      assert.ok(Math.abs(value.dataSync()[0] - res.loss) < 1e-5);
      optB.step(b.params, grads);
    });
    a.params.forEach((p, k) => assertClose(p.dataSync(), b.params[k].dataSync(), 1e-5, 1e-6, `param ${k}`));
    assert.equal(res.points.rows, 3);
    a.dispose(); b.dispose(); x.dispose(); optA.dispose(); optB.dispose();
  });
  it("trains an ODE flow that lowers a Chamfer loss, without leaking tensors", () => {
    const net = mlp({ sizes: [3, 16, 2], activation: "tanh", seed: 4 });
    const x = tf.tensor2d(x0);
    const target = Matrix.from([[2, 0], [0, 3], [-2, 2]]);
    const opt = adam({ lr: 0.05 });
    const first = pullbackStep(net.params, () => odeFlow(net, x), (Y) => chamferDistance(Y, target), opt).loss;
    let last = first;
    const before = tf.memory().numTensors;
    for (let i = 0; i < 60; i++) last = pullbackStep(net.params, () => odeFlow(net, x), (Y) => chamferDistance(Y, target), opt).loss;
    assert.equal(tf.memory().numTensors, before);
    assert.ok(last < 0.2 * first, `${first} → ${last}`);
    net.dispose(); x.dispose(); opt.dispose();
  });
});
