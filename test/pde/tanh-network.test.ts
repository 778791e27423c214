import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix, rng, initTanhNetwork, tanhNetworkEval, tanhNetworkParts, poissonPinnLoss, type TanhNetwork } from "@reprobook/lib";
import { finiteDifferences } from "../nn/helpers";

function value(net: TanhNetwork, x: number[]): number {
  return tanhNetworkEval(net, new Matrix(1, x.length, Float64Array.from(x))).value[0];
}

test("tanhNetworkEval: one neuron by hand, u = a tanh(wᵀx + b) + c and Δu = a|w|² tanh''", () => {
  const net: TanhNetwork = { inputDim: 2, width: 1, params: Float64Array.from([0.3, -0.4, 0.1, 2, 0.5]) };
  const z = 0.3 * 0.2 - 0.4 * 0.7 + 0.1;
  const t = Math.tanh(z);
  const { value: u, laplacian } = tanhNetworkEval(net, Matrix.from([[0.2, 0.7]]));
  assert.ok(Math.abs(u[0] - (2 * t + 0.5)) < 1e-15);
  assert.ok(Math.abs(laplacian[0] - 2 * 0.25 * (-2 * t * (1 - t * t))) < 1e-15);
});

test("tanhNetworkEval: the Laplacian matches second finite differences of u (d = 2 and d = 3)", () => {
  for (const d of [2, 3]) {
    const net = initTanhNetwork({ width: 7, inputDim: d, weightStd: 2, outputStd: 1, rng: rng(1) });
    const x = Array.from({ length: d }, (_, k) => 0.3 - 0.2 * k);
    const h = 1e-4;
    let fd = 0;
    for (let k = 0; k < d; k++) {
      const xp = x.slice(), xm = x.slice();
      xp[k] += h;
      xm[k] -= h;
      fd += (value(net, xp) - 2 * value(net, x) + value(net, xm)) / (h * h);
    }
    const lap = tanhNetworkEval(net, new Matrix(1, d, Float64Array.from(x))).laplacian[0];
    assert.ok(Math.abs(lap - fd) < 1e-5 * Math.max(1, Math.abs(lap)), `d=${d}: ${lap} vs ${fd}`);
  }
});

test("initTanhNetwork: every hidden unit switches inside the box (|b| ≤ Σ|w|) and the layout is m·d + 2m + 1", () => {
  const net = initTanhNetwork({ width: 50, rng: rng(3) });
  assert.equal(net.params.length, 50 * 2 + 100 + 1);
  const { W, b } = tanhNetworkParts(net);
  for (let j = 0; j < 50; j++) assert.ok(Math.abs(b[j]) <= Math.abs(W[2 * j]) + Math.abs(W[2 * j + 1]) + 1e-12);
});

test("poissonPinnLoss: value by hand for one neuron, and the gradient matches finite differences", () => {
  const r = rng(5);
  const net = initTanhNetwork({ width: 6, weightStd: 2, outputStd: 0.5, rng: r.split() });
  net.params[net.params.length - 1] = 0.2;
  const X = new Matrix(9, 2, r.uniforms(18, -1, 1));
  const Y = new Matrix(5, 2, r.uniforms(10, -1, 1));
  const f = r.uniforms(9, -3, 3);
  const g = r.uniforms(5, -1, 1);
  const opts = { residualScale: 2.5, boundaryWeight: 3 };
  const out = poissonPinnLoss(net, X, f, Y, g, opts);
  const { value: uY } = tanhNetworkEval(net, Y);
  const { laplacian } = tanhNetworkEval(net, X);
  let res = 0, bnd = 0;
  for (let i = 0; i < 9; i++) res += ((-laplacian[i] - f[i]) / 2.5) ** 2 / 9;
  for (let i = 0; i < 5; i++) bnd += (uY[i] - g[i]) ** 2 / 5;
  assert.ok(Math.abs(out.loss - (res + 3 * bnd)) < 1e-12 * Math.max(1, out.loss));
  assert.ok(Math.abs(out.residuals[0] - (-laplacian[0] - f[0]) / 2.5) < 1e-12);
  const fd = finiteDifferences((p) => poissonPinnLoss({ ...net, params: p }, X, f, Y, g, opts).loss, net.params.slice(), 1e-6);
  for (let k = 0; k < fd.length; k++) {
    assert.ok(Math.abs(out.gradient[k] - fd[k]) < 1e-6 * Math.max(1, Math.abs(fd[k])), `param ${k}: ${out.gradient[k]} vs ${fd[k]}`);
  }
});

test("poissonPinnLoss: zero loss and zero gradient at an exact solution (u = tanh(x₁), f = −Δu)", () => {
  const net: TanhNetwork = { inputDim: 2, width: 1, params: Float64Array.from([1, 0, 0, 1, 0]) };
  const X = Matrix.from([[0.3, 0.1], [-0.5, 0.9]]);
  const f = Float64Array.from([0.3, -0.5], (x) => 2 * Math.tanh(x) * (1 - Math.tanh(x) ** 2)); // −tanh''
  const Y = Matrix.from([[1, 0.2], [-1, -1]]);
  const g = Float64Array.from([Math.tanh(1), Math.tanh(-1)]);
  const out = poissonPinnLoss(net, X, f, Y, g);
  assert.ok(out.loss < 1e-28 && out.gradient.every((v) => Math.abs(v) < 1e-14));
});

test("poissonPinnLoss: errors name the mismatch", () => {
  const net = initTanhNetwork({ width: 3, rng: rng(0) });
  assert.throws(() => poissonPinnLoss(net, Matrix.from([[0, 0]]), [1, 2], Matrix.from([[1, 0]]), [0]), /2 source values for 1 interior points/);
  assert.throws(() => tanhNetworkEval(net, Matrix.from([[0, 0, 0]])), /3 coordinates but the network takes 2/);
});
