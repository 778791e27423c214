import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { icnnLoss, icnnScore, rng } from "@reprobook/lib";
import { assertClose, gaussianRows, numericGradient, tfGradient, useCpu, valueWithoutLeak, type Rows } from "./reference";

before(useCpu);

/**
 * Float64 reference written straight from the definition (ratios r_ij = D_ij / (n_i + ε), then divided by
 * max(1, max_j r_ij), n_i = ∞ when no other-class sample is among the K nearest), without the library's
 * cancellation of the denominators or its masks.
 */
function icnn64(f: Rows, y: number[], k: number, searchK = k): { score: number; lambdaSame: number; lambdaDiff: number; gamma: number } {
  const b = f.length;
  const dist = (i: number, j: number) => Math.sqrt(f[i].reduce((s, v, t) => s + (v - f[j][t]) ** 2, 0) + 1e-6);
  const eps = 1e-7;
  const neighbours = f.map((_, i) => f.map((__, j) => j).filter((j) => j !== i).sort((p, q) => dist(i, p) - dist(i, q) || p - q));
  let dMax = 0;
  for (let i = 0; i < b; i++) for (const j of neighbours[i].slice(0, k)) if (y[j] !== y[i]) dMax = Math.max(dMax, dist(i, j));
  const sameAverages: number[] = [];
  const diffAverages: number[] = [];
  let sameTotal = 0;
  for (let i = 0; i < b; i++) {
    const otherDistances = neighbours[i].slice(0, searchK).filter((j) => y[j] !== y[i]).map((j) => dist(i, j));
    const nearestOther = otherDistances.length ? Math.min(...otherDistances) : Infinity;
    const near = neighbours[i].slice(0, k);
    const ratios = near.map((j) => dist(i, j) / (nearestOther + eps));
    const scale = Math.max(1, ...ratios);
    const same = near.map((j, t) => ({ j, r: ratios[t] / scale })).filter(({ j }) => y[j] === y[i]);
    const other = near.filter((j) => y[j] !== y[i]);
    sameTotal += same.length;
    if (same.length) sameAverages.push(same.reduce((s, { r }) => s + r, 0) / same.length);
    if (other.length) diffAverages.push(other.reduce((s, j) => s + dist(i, j) / (dMax + eps), 0) / other.length);
  }
  const avg = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const lambdaSame = sameAverages.length ? 1 - avg(sameAverages) : 1;
  const lambdaDiff = diffAverages.length ? avg(diffAverages) : 1;
  const gamma = sameTotal / (b * k);
  return { score: ((lambdaSame + lambdaDiff) / 2 + gamma) / 2, lambdaSame, lambdaDiff, gamma };
}

function scoreParts(f: Rows, y: number[], k: number, searchK?: number) {
  const t = tf.tensor2d(f);
  const before = tf.memory().numTensors;
  const s = icnnScore(t, y, { k, searchK });
  assert.equal(tf.memory().numTensors, before + 1, "icnnScore must leave only its score tensor");
  const score = s.score.dataSync()[0];
  s.score.dispose();
  t.dispose();
  return { score, lambdaSame: s.lambdaSame, lambdaDiff: s.lambdaDiff, gamma: s.gamma };
}

function assertParts(actual: ReturnType<typeof scoreParts>, expected: ReturnType<typeof icnn64>, tol: number, what: string): void {
  assertClose(actual.lambdaSame, expected.lambdaSame, tol, `${what} λ_same`);
  assertClose(actual.lambdaDiff, expected.lambdaDiff, tol, `${what} λ_diff`);
  assertClose(actual.gamma, expected.gamma, 1e-12, `${what} γ`);
  assertClose(actual.score, expected.score, tol, `${what} S`);
}

// two clusters of labelled points: class c around centre (4c, 0, 0)
function clusters(seed: number, perClass: number, classes: number, spread: number): { f: Rows; y: number[] } {
  const r = rng(seed);
  const f: Rows = [];
  const y: number[] = [];
  for (let i = 0; i < perClass * classes; i++) {
    const c = i % classes;
    f.push([4 * c + r.normal(0, spread), r.normal(0, spread), r.normal(0, spread)]);
    y.push(c);
  }
  return { f, y };
}

describe("icnnScore", () => {
  // four points on a line: A = 0, B = 1 (class 0), C = 3, E = 6.5 (class 1)
  const line: Rows = [[0], [1], [3], [6.5]];
  const labels = [0, 0, 1, 1];

  it("hand-worked, k = 3 (every other point): the normalisation max(1, max r) is active in every row", () => {
    // A: n = 3 (C), r = (1/3, 1, 6.5/3) → same B: (1/3)/(6.5/3) = 1/6.5;  B: n = 2, r_far = 5.5/2 → 1/5.5
    // C: n = 2 (B), r_E = 3.5/2 = max → 1;  E: n = 5.5 (B), r_A = 6.5/5.5 = max → 3.5/6.5
    const lambdaSame = 1 - (1 / 6.5 + 1 / 5.5 + 1 + 3.5 / 6.5) / 4;
    // other-class neighbours: A (3, 6.5), B (2, 5.5), C (2, 3), E (5.5, 6.5); D_max = 6.5
    const lambdaDiff = ((3 + 6.5) / 2 + (2 + 5.5) / 2 + (2 + 3) / 2 + (5.5 + 6.5) / 2) / 4 / 6.5;
    const gamma = 1 / 3; // one same-class point among 3 neighbours, in every row
    const expected = { lambdaSame, lambdaDiff, gamma, score: ((lambdaSame + lambdaDiff) / 2 + gamma) / 2 };
    assertClose(lambdaSame, 0.531469, 1e-6, "hand λ_same");
    assertClose(expected.score, 0.462995, 1e-6, "hand S");
    assertParts(scoreParts(line, labels, 3), expected, 1e-5, "k = 3");
    assertParts(scoreParts(line, labels, 3), icnn64(line, labels, 3), 1e-5, "k = 3 vs reference");
  });

  it("hand-worked, k = 2, K = 3: a row without same-class neighbour is left out of λ_same, r ≤ 1 rows keep n_i", () => {
    // A: N_2 = {B, C}, n = 3 → 1/3;  B: {A, C}, n = 2 → 1/2;  C: {B, A} no same class;  E: {C, B}, n = 5.5 → 3.5/5.5
    const lambdaSame = 1 - (1 / 3 + 1 / 2 + 3.5 / 5.5) / 3;
    // other-class neighbours: A (C: 3), B (C: 2), C (B: 2, A: 3), E (B: 5.5); D_max = 5.5
    const lambdaDiff = (3 + 2 + 2.5 + 5.5) / 4 / 5.5;
    const gamma = 3 / 8;
    const expected = { lambdaSame, lambdaDiff, gamma, score: ((lambdaSame + lambdaDiff) / 2 + gamma) / 2 };
    assertParts(scoreParts(line, labels, 2, 3), expected, 1e-5, "k = 2, K = 3");
    assertParts(scoreParts(line, labels, 2, 3), icnn64(line, labels, 2, 3), 1e-5, "k = 2, K = 3 vs reference");
  });

  it("hand-worked, k = K = 1: a sample with no other-class sample in reach counts as perfectly separated", () => {
    // A → B, B → A, E → C: same class, n = ∞, ratio 0; C → B: other class (λ_diff = 2/2 = 1)
    assertParts(scoreParts(line, labels, 1), { lambdaSame: 1, lambdaDiff: 1, gamma: 3 / 4, score: (1 + 3 / 4) / 2 }, 1e-6, "k = 1");
  });

  it("S = 1 for tight, well separated clusters; λ_same → 1 when the other class is only within reach of the search", () => {
    const { f, y } = clusters(3, 5, 3, 0.01);
    const inside = scoreParts(f, y, 4); // the 4 other members of the class: no other-class neighbour anywhere
    assert.deepEqual(inside, { score: 1, lambdaSame: 1, lambdaDiff: 1, gamma: 1 });
    const reach = scoreParts(f, y, 4, 6); // n_i ≈ 4 found, same-class distances ≈ 0.014: r ≈ 0.004
    assert.equal(reach.gamma, 1);
    assert.equal(reach.lambdaDiff, 1);
    assert.ok(reach.lambdaSame > 0.99 && reach.lambdaSame < 1, `λ_same = ${reach.lambdaSame}`);
    assertParts(reach, icnn64(f, y, 4, 6), 1e-5, "k = 4, K = 6");
    // the same points with labels that mix the clusters score lower
    const mixed = scoreParts(f, y.map((_, i) => Math.floor(i / 3) % 3), 4, 6);
    assert.ok(mixed.score < 0.7 && mixed.gamma < 0.5, `mixed S = ${mixed.score}, γ = ${mixed.gamma}`);
  });

  it("matches the float64 reference on random overlapping clusters, for several k and K", () => {
    const { f, y } = clusters(7, 6, 4, 2);
    for (const [k, searchK] of [[1, 1], [4, 4], [4, 6], [6, 10], [23, 23]]) {
      assertParts(scoreParts(f, y, k, searchK), icnn64(f, y, k, searchK), 1e-4, `k = ${k}, K = ${searchK}`);
    }
  });

  it("is invariant to a common rotation, scaling and translation of the embeddings", () => {
    const { f, y } = clusters(11, 6, 3, 1.5);
    const base = scoreParts(f, y, 4, 6);
    const [c, s] = [Math.cos(0.7), Math.sin(0.7)];
    const [c2, s2] = [Math.cos(-1.3), Math.sin(-1.3)];
    for (const scale of [3.7, 0.25]) {
      // rotate by 0.7 rad in the (x, y) plane, then by −1.3 rad in (y, z), scale, translate
      const moved = f.map(([x, yy, z]) => {
        const [x1, y1] = [c * x - s * yy, s * x + c * yy];
        const [y2, z2] = [c2 * y1 - s2 * z, s2 * y1 + c2 * z];
        return [scale * x1 + 5, scale * y2 - 2, scale * z2 + 1];
      });
      assertParts(scoreParts(moved, y, 4, 6), { ...base }, 1e-4, `scale ${scale}`);
    }
  });

  it("rejects neighbour counts the batch cannot provide, and bad options", () => {
    const t = tf.tensor2d(line);
    assert.throws(() => icnnScore(t, labels, { k: 4 }), /only 3 neighbours per row/);
    assert.throws(() => icnnScore(t, labels, { k: 2, searchK: 1 }), /searchK must be an integer ≥ options.k = 2/);
    assert.throws(() => icnnLoss(t, labels, { k: 0 }), /k must be a positive integer/);
    assert.throws(() => icnnLoss(t, [0, 1, 0], { k: 1 }), /labels has 3 entries/);
    t.dispose();
  });
});

describe("icnnLoss", () => {
  it("is −log S, leaks no tensor, and its gradient matches finite differences of the float64 reference", () => {
    const { f, y } = clusters(5, 5, 3, 2);
    const t = tf.tensor2d(f);
    for (const [k, searchK] of [[4, 4], [4, 5], [3, 8]]) {
      const loss = valueWithoutLeak(() => icnnLoss(t, y, { k, searchK }))[0];
      assertClose(loss, -Math.log(icnn64(f, y, k, searchK).score), 1e-4, `loss k = ${k}, K = ${searchK}`);
      const before = tf.memory().numTensors;
      const g = tfGradient((x) => icnnLoss(x, y, { k, searchK }), f);
      assert.equal(tf.memory().numTensors, before, "the gradient leaked tensors");
      const numeric = numericGradient((x) => -Math.log(icnn64(x, y, k, searchK).score), f);
      assert.ok(numeric.flat().some((v) => Math.abs(v) > 1e-3), "the test point must have a non-trivial gradient");
      assertClose(g, numeric, 2e-3, `gradient k = ${k}, K = ${searchK}`);
    }
    t.dispose();
  });

  it("descending the loss separates the classes (S rises)", () => {
    const { f, y } = clusters(9, 5, 3, 3);
    let x: tf.Variable = tf.variable(tf.tensor2d(f));
    const start = -Math.log(icnn64(f, y, 4, 5).score);
    const grad = tf.grad((e: tf.Tensor) => icnnLoss(e, y, { k: 4, searchK: 5 }));
    for (let step = 0; step < 50; step++) {
      const next = tf.tidy(() => tf.sub(x, tf.mul(0.5, grad(x))));
      x.dispose();
      x = tf.variable(next);
      next.dispose();
    }
    const end = -Math.log(icnn64(x.arraySync() as Rows, y, 4, 5).score);
    x.dispose();
    assert.ok(end < start - 0.1, `loss ${start.toFixed(3)} → ${end.toFixed(3)}`);
  });
});
