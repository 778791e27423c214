import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix, rng, boxGrid, radProbabilities, sampleRows, initMixtureSampler, mixtureDensity, sampleMixture, mixtureSmoothnessPenalty, aasObjective, type MixtureSampler } from "@reprobook/lib";
import { finiteDifferences } from "../nn/helpers";

test("radProbabilities: ∝ |r|ᵏ/mean|r|ᵏ + c by hand; c → ∞ gives uniform", () => {
  // |r| = 1, 3 → mean 2 → weights 0.5 + 1, 1.5 + 1 → 1.5/4, 2.5/4
  assert.deepEqual(Array.from(radProbabilities([-1, 3])), [0.375, 0.625]);
  const p = radProbabilities([0, 5, 1], { c: 1e12 });
  for (const v of p) assert.ok(Math.abs(v - 1 / 3) < 1e-9);
});

test("sampleRows: frequencies follow the probabilities", () => {
  const C = Matrix.from([[0, 0], [1, 1], [2, 2]]);
  const S = sampleRows(C, [0.2, 0.5, 0.3], 20000, rng(2));
  const counts = [0, 0, 0];
  for (let i = 0; i < S.rows; i++) counts[S.get(i, 0)]++;
  [0.2, 0.5, 0.3].forEach((q, k) => assert.ok(Math.abs(counts[k] / 20000 - q) < 0.015, `${counts}`));
});

function sampler(): MixtureSampler {
  const s = initMixtureSampler({ components: 3, floor: 0.25, initStd: 0.2, rng: rng(4) });
  s.params[6] = Math.log(0.15); // unequal σ and weights
  s.params[10] = 0.7;
  return s;
}

test("mixtureDensity integrates to ≈ 1 over the box when the components sit inside it (tails beyond the box: < 0.5 %)", () => {
  const G = boxGrid(201);
  const p = mixtureDensity(sampler(), G);
  const h = 2 / 200;
  let total = 0;
  for (let i = 0; i < G.rows; i++) {
    const edge = (Math.abs(G.data[2 * i]) === 1 ? 0.5 : 1) * (Math.abs(G.data[2 * i + 1]) === 1 ? 0.5 : 1);
    total += p[i] * h * h * edge;
  }
  assert.ok(total < 1 && total > 0.995, `${total}`);
});

test("sampleMixture: samples stay in the box and their histogram matches the density", () => {
  const s = sampler();
  const X = sampleMixture(s, 40000, rng(8));
  let inCell = 0;
  for (let i = 0; i < X.rows; i++) {
    const [x, y] = [X.get(i, 0), X.get(i, 1)];
    assert.ok(Math.abs(x) <= 1 && Math.abs(y) <= 1);
    if (Math.abs(x - s.params[0]) < 0.1 && Math.abs(y - s.params[1]) < 0.1) inCell++;
  }
  // mass of the 0.2 × 0.2 cell around μ₀ by quadrature
  const G = boxGrid(41, 2, -0.1, 0.1);
  for (let i = 0; i < G.rows; i++) { G.data[2 * i] += s.params[0]; G.data[2 * i + 1] += s.params[1]; }
  const mass = mixtureDensity(s, G).reduce((a, b) => a + b, 0) * (0.2 * 0.2) / G.rows;
  assert.ok(Math.abs(inCell / 40000 - mass) < 0.01, `${inCell / 40000} vs ${mass}`);
});

test("mixtureSmoothnessPenalty: one Gaussian gives 1/(4πσ⁴)(1 − ε)²; matches grid quadrature of |∇p|²; gradient vs finite differences", () => {
  const one = initMixtureSampler({ components: 1, floor: 0.5, initStd: 0.1, rng: rng(1) });
  assert.ok(Math.abs(mixtureSmoothnessPenalty(one).value - 0.25 / (4 * Math.PI * 1e-4)) < 1e-8);
  const s = sampler();
  const G = boxGrid(401, 2, -1.5, 1.5);
  const h = 3 / 400;
  const p = mixtureDensity(s, G);
  let quad = 0;
  for (let i = 0; i < 401; i++) for (let j = 0; j < 401; j++) {
    const k = i * 401 + j;
    const gx = j < 400 ? (p[k + 1] - p[k]) / h : 0;
    const gy = i < 400 ? (p[k + 401] - p[k]) / h : 0;
    quad += (gx * gx + gy * gy) * h * h;
  }
  const pen = mixtureSmoothnessPenalty(s);
  assert.ok(Math.abs(pen.value - quad) < 0.01 * pen.value, `${pen.value} vs ${quad}`);
  const fd = finiteDifferences((q) => mixtureSmoothnessPenalty({ ...s, params: q }).value, s.params.slice(), 1e-6);
  for (let k = 0; k < fd.length; k++) assert.ok(Math.abs(pen.gradient[k] - fd[k]) < 1e-5 * Math.max(1, Math.abs(fd[k])), `θ${k}: ${pen.gradient[k]} vs ${fd[k]}`);
});

test("aasObjective: the score-function gradient is unbiased — its average matches finite differences of the exact E_p[r²] − β∫|∇p|²", () => {
  const s = sampler();
  const r2 = (x: number, y: number) => Math.exp(-((x - 0.3) ** 2 + (y + 0.1) ** 2) / 0.1);
  const beta = 1e-3;
  const G = boxGrid(201);
  const exactJ = (q: Float64Array) => {
    const t = { ...s, params: q };
    const p = mixtureDensity(t, G);
    let e = 0;
    for (let i = 0; i < G.rows; i++) e += p[i] * r2(G.data[2 * i], G.data[2 * i + 1]) * (2 / 200) ** 2;
    return e - beta * mixtureSmoothnessPenalty(t).value;
  };
  const fd = finiteDifferences(exactJ, s.params.slice(), 1e-5);
  const avg = new Float64Array(s.params.length);
  const reps = 40;
  const r = rng(11);
  for (let rep = 0; rep < reps; rep++) {
    const X = sampleMixture(s, 5000, r);
    const sq = Float64Array.from({ length: X.rows }, (_, i) => r2(X.get(i, 0), X.get(i, 1)));
    const out = aasObjective(s, X, sq, { beta });
    for (let k = 0; k < avg.length; k++) avg[k] += out.gradient[k] / reps;
  }
  const scale = Math.max(...Array.from(fd, Math.abs));
  for (let k = 0; k < fd.length; k++) assert.ok(Math.abs(avg[k] - fd[k]) < 0.05 * scale, `θ${k}: ${avg[k]} vs ${fd[k]} (scale ${scale})`);
});
