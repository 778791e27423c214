import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { sparsityConstrainedOT, topKSquaredConjugate, emd, rng } from "@reprobook/lib";
import { uniformCloud, squaredEuclidean, randomWeights, uniformWeights, marginalErrors } from "./helpers";

describe("topKSquaredConjugate", () => {
  it("hand-worked: s = (3, −1, 2, 1), k = 2, γ = 2 → (9 + 4)/4, gradient (1.5, 0, 1, 0)", () => {
    const g = new Float64Array(4);
    assert.equal(topKSquaredConjugate([3, -1, 2, 1], 2, 2, g), 13 / 4);
    assert.deepEqual(Array.from(g), [1.5, 0, 1, 0]);
  });
  it("equals the brute-force max of ⟨s,t⟩ − γ/2‖t‖² over t ≥ 0 with at most k nonzeros (support enumeration)", () => {
    const s = [0.3, -0.2, 1.1, 0.7, 0.05, -1];
    const gamma = 0.7;
    for (let k = 1; k <= 6; k++) {
      let best = 0;
      for (let mask = 0; mask < 64; mask++) {
        const support = [0, 1, 2, 3, 4, 5].filter((i) => mask & (1 << i));
        if (support.length > k) continue;
        // on a fixed support the optimum is t_i = [s_i]₊/γ, value Σ [s_i]₊²/(2γ)
        best = Math.max(best, support.reduce((v, i) => v + Math.max(0, s[i]) ** 2 / (2 * gamma), 0));
      }
      assert.ok(Math.abs(topKSquaredConjugate(s, k, gamma) - best) < 1e-15, `k=${k}`);
    }
  });
  it("gradient matches central finite differences away from ties", () => {
    const s = [0.3, -0.2, 1.1, 0.7, 0.05];
    const g = new Float64Array(5);
    topKSquaredConjugate(s, 3, 0.5, g);
    for (let i = 0; i < 5; i++) {
      const h = 1e-6;
      const sp = s.slice(); sp[i] += h;
      const sm = s.slice(); sm[i] -= h;
      const fd = (topKSquaredConjugate(sp, 3, 0.5) - topKSquaredConjugate(sm, 3, 0.5)) / (2 * h);
      assert.ok(Math.abs(fd - g[i]) < 1e-6, `i=${i}: ${fd} vs ${g[i]}`);
    }
  });
  it("is bit-identical to the definition by a full sort (ties by lower index; squares summed in sorted order, or index order when ≤ k are positive)", () => {
    const reference = (s: number[], k: number, gamma: number, grad: Float64Array) => {
      const positive: number[] = [];
      for (let i = 0; i < s.length; i++) if (s[i] > 0) positive.push(i);
      if (positive.length > k) positive.sort((x, y) => s[y] - s[x] || x - y).length = k;
      grad.fill(0);
      let value = 0;
      for (const i of positive) { value += s[i] * s[i]; grad[i] = s[i] / gamma; }
      return value / (2 * gamma);
    };
    const r = rng(7);
    const next = () => r.uniform();
    for (let trial = 0; trial < 400; trial++) {
      const n = 1 + (trial % 37);
      // few distinct values so that ties are frequent; some negatives and zeros
      const s = Array.from({ length: n }, () => Math.round(next() * 8 - 3) / 3 + (trial % 2 ? next() * 1e-3 : 0));
      for (const k of [1, 2, 3, 5, 8, n, n + 4]) {
        const g = new Float64Array(n);
        const h = new Float64Array(n);
        assert.equal(topKSquaredConjugate(s, k, 0.7, g), reference(s, k, 0.7, h), `trial ${trial}, k = ${k}`);
        assert.deepEqual(Array.from(g), Array.from(h));
      }
    }
  });
});

describe("sparsityConstrainedOT", () => {
  const n = 12;
  const X = uniformCloud(n, 2, 1);
  const Y = uniformCloud(n + 3, 2, 2);
  const C = squaredEuclidean(X, Y);
  const a = randomWeights(n, 3);
  const b = randomWeights(n + 3, 4);

  it("k ≥ n is quadratically-regularised OT: marginals hold, strong duality, T = [α + β − C]₊/γ", () => {
    const gamma = 0.5;
    const r = sparsityConstrainedOT(a, b, C, { k: n, gamma, tol: 1e-12 });
    const e = marginalErrors(r.plan, a, b);
    assert.ok(e.rows + e.cols < 1e-8, `marginal error ${e.rows + e.cols}`);
    assert.ok(Math.abs(r.primalValue - r.dualValue) < 1e-9, `primal ${r.primalValue} dual ${r.dualValue}`);
    for (let i = 0; i < n; i++) for (let j = 0; j < n + 3; j++) {
      const t = Math.max(0, r.alpha[i] + r.beta[j] - C.get(i, j)) / gamma;
      assert.ok(Math.abs(r.plan[i * (n + 3) + j] - t) < 1e-15);
    }
  });

  it("k = 1: the dual optimum is the unregularised OT cost plus (γ/2) Σ b_j² (convex envelope is constant)", () => {
    const gamma = 0.05;
    const r = sparsityConstrainedOT(a, b, C, { k: 1, gamma, maxIter: 5000 });
    const exact = emd(a, b, C).cost + (gamma / 2) * b.reduce((s, v) => s + v * v, 0);
    assert.ok(r.dualValue <= exact + 1e-12, "weak duality");
    // the k = 1 dual is a max of quadratics (nonsmooth): L-BFGS gets the value, not the plan, to high accuracy
    assert.ok(exact - r.dualValue < 1e-4 * exact, `dual ${r.dualValue} vs ${exact}`);
  });

  it("every column has at most k nonzeros; the dual value decreases and the cost grows from EMD toward QOT as k grows", () => {
    const gamma = 0.2;
    const ua = uniformWeights(n);
    const ub = uniformWeights(n);
    const Cs = squaredEuclidean(X, uniformCloud(n, 2, 5));
    let prevDual = Infinity;
    for (const k of [1, 2, 3, 5, n]) {
      const r = sparsityConstrainedOT(ua, ub, Cs, { k, gamma, maxIter: 3000 });
      assert.ok(r.maxColumnNonzeros <= k, `k=${k}: ${r.maxColumnNonzeros}`);
      assert.ok(r.dualValue <= prevDual + 1e-9, `k=${k}: dual ${r.dualValue} after ${prevDual}`);
      prevDual = r.dualValue;
    }
    assert.ok(prevDual >= emd(ua, ub, Cs).cost - 1e-12);
  });

  it("explains bad input", () => {
    assert.throws(() => sparsityConstrainedOT(a, b, C, { k: 0, gamma: 1 }), /k must be a positive integer/);
    assert.throws(() => sparsityConstrainedOT(a, b, C, { k: 2, gamma: 0 }), /gamma/);
    assert.throws(() => sparsityConstrainedOT(a, a, C, { k: 2, gamma: 1 }), /must be/);
    assert.throws(() => sparsityConstrainedOT(a, b, C, undefined as never), /required/);
  });
});
