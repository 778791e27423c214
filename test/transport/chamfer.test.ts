import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { chamferDistance, hausdorffDistance, pairwiseSquaredDistances, Matrix, rng } from "@reprobook/lib";

const cloud = (n: number, d: number, seed: number, shift = 0) => new Matrix(n, d, rng(seed).normals(n * d).map((v) => v + shift));

describe("chamferDistance", () => {
  it("a hand-worked case: X = {(0,0), (2,0)}, Y = {(0,1)}", () => {
    // x→Y: 1 and 4+1 = 5, mean 3; Y→X: min(1, 5) = 1; CD = 4
    const r = chamferDistance([[0, 0], [2, 0]], [[0, 1]]);
    assert.equal(r.xToY, 3);
    assert.equal(r.yToX, 1);
    assert.equal(r.value, 4);
    assert.deepEqual(Array.from(r.nearestInX), [0]);
    // ∇x₀ = (2/2)(x₀ − y₀) + (2/1)(x₀ − y₀) = 3·(0, −1); ∇x₁ = (2/2)(x₁ − y₀) = (2, −1)
    assert.deepEqual(Array.from(r.gradX.data), [0, -3, 2, -1]);
  });
  it("is zero for identical clouds, symmetric, and equals the brute-force minima of pairwiseSquaredDistances", () => {
    const X = cloud(17, 3, 1);
    const Y = cloud(23, 3, 2, 0.5);
    assert.equal(chamferDistance(X, X).value, 0);
    assert.ok(Math.abs(chamferDistance(X, Y).value - chamferDistance(Y, X).value) < 1e-12);
    const D = pairwiseSquaredDistances(X, Y);
    let a = 0;
    for (let i = 0; i < 17; i++) a += Math.min(...D.row(i)) / 17;
    let b = 0;
    for (let j = 0; j < 23; j++) b += Math.min(...D.col(j)) / 23;
    assert.ok(Math.abs(chamferDistance(X, Y).value - (a + b)) < 1e-12);
  });
  it("the gradient matches central finite differences (2-D and 3-D)", () => {
    for (const d of [2, 3]) {
      const X = cloud(12, d, 3 + d);
      const Y = cloud(9, d, 7 + d, 0.3);
      const g = chamferDistance(X, Y).gradX;
      const h = 1e-6;
      for (let k = 0; k < X.data.length; k++) {
        const keep = X.data[k];
        X.data[k] = keep + h;
        const up = chamferDistance(X, Y).value;
        X.data[k] = keep - h;
        const down = chamferDistance(X, Y).value;
        X.data[k] = keep;
        assert.ok(Math.abs((up - down) / (2 * h) - g.data[k]) < 1e-6, `d=${d} k=${k}: ${(up - down) / (2 * h)} vs ${g.data[k]}`);
      }
    }
  });
  it("explains bad input", () => {
    assert.throws(() => chamferDistance([[0, 0]], [[0, 0, 0]]), /same dimension/);
    assert.throws(() => chamferDistance([[0, NaN]], [[0, 0]]), /finite/);
    assert.throws(() => chamferDistance(new Matrix(0, 2), [[0, 0]]), /at least one point/);
  });
});

describe("hausdorffDistance", () => {
  it("hand-worked: a point set and a far outlier", () => {
    // X = {(0,0), (1,0)}, Y = {(0,0), (1,0), (4,4)}: X ⊂ Y, the outlier (4,4) is √(9+16) = 5 from (1,0)
    assert.equal(hausdorffDistance([[0, 0], [1, 0]], [[0, 0], [1, 0], [4, 4]]), 5);
    assert.equal(hausdorffDistance([[0, 0], [1, 0], [4, 4]], [[0, 0], [1, 0]]), 5);
  });
  it("is zero for equal sets, and equals the shift for a translated copy of a sparse grid", () => {
    const X = cloud(30, 2, 5);
    assert.equal(hausdorffDistance(X, X), 0);
    const G = Matrix.fromFunction(9, 2, (i, k) => (k === 0 ? 10 * (i % 3) : 10 * Math.floor(i / 3)));
    const shifted = new Matrix(9, 2, G.data.map((v, k) => (k % 2 === 0 ? v + 0.3 : v - 0.4)));
    assert.ok(Math.abs(hausdorffDistance(G, shifted) - 0.5) < 1e-12);
  });
});
