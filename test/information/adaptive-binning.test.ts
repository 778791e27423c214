import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  fixedWidthBinCodes, adaptiveBinEdges, adaptiveBinCodes, binPatternIds, labelEntropyBits, labelMutualInformationBits,
  binnedInformationPlane,
} from "@reprobook/lib";

describe("labelEntropyBits / labelMutualInformationBits", () => {
  it("entropy of 8 equally filled bins is 3 bits; of a constant is 0", () => {
    assert.ok(Math.abs(labelEntropyBits([0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7]) - 3) < 1e-12);
    assert.equal(labelEntropyBits([5, 5, 5]), 0);
  });
  it("matches a hand-worked joint distribution", () => {
    // joint p(a,b): (0,0) 1/2, (0,1) 1/4, (1,1) 1/4 → H(A) = h(1/4) ≈ 0.811, H(B) = 1, H(A,B) = 1.5
    const a = [0, 0, 0, 1], b = [0, 0, 1, 1];
    const hA = -0.75 * Math.log2(0.75) - 0.25 * Math.log2(0.25);
    assert.ok(Math.abs(labelMutualInformationBits(a, b) - (hA + 1 - 1.5)) < 1e-12);
    assert.ok(Math.abs(labelMutualInformationBits(a, a) - labelEntropyBits(a)) < 1e-12);
    assert.ok(Math.abs(labelMutualInformationBits([0, 1, 0, 1], [0, 0, 1, 1])) < 1e-12); // independent
    assert.throws(() => labelMutualInformationBits([0], [0, 1]), /pair up/);
  });
});

describe("fixedWidthBinCodes", () => {
  it("splits [low, high] into equal intervals and clips", () => {
    const codes = fixedWidthBinCodes({ values: Float64Array.from([-1, -0.6, 0, 0.49, 0.51, 1, 3]), n: 7, d: 1 }, { bins: 4, low: -1, high: 1 });
    assert.deepEqual(Array.from(codes), [0, 0, 2, 2, 3, 3, 3]);
    assert.throws(() => fixedWidthBinCodes({ values: new Float64Array(2), n: 1, d: 1 }, { bins: 2 }), /expected n·d/);
  });
});

describe("adaptiveBinEdges / adaptiveBinCodes", () => {
  it("gives equal-mass bins on distinct values (entropy log₂ B)", () => {
    const values = Float64Array.from({ length: 64 }, (_, i) => i ** 3); // skewed but distinct
    const codes = adaptiveBinCodes({ values, n: 64, d: 1 }, { bins: 8 });
    assert.ok(Math.abs(labelEntropyBits(codes) - 3) < 1e-12);
    // fixed-width bins on the same skewed values hold far less entropy
    assert.ok(labelEntropyBits(fixedWidthBinCodes({ values, n: 64, d: 1 }, { bins: 8 })) < 2.5);
  });
  it("never splits equal values: ReLU zeros stay in one bin", () => {
    const values = [0, 0, 0, 0, 0, 0, 1, 2, 3, 4];
    const edges = adaptiveBinEdges(values, 5);
    assert.deepEqual(edges, [1, 2, 3, 4]);
    const codes = adaptiveBinCodes({ values: Float64Array.from(values), n: 10, d: 1 }, { bins: 5 });
    assert.deepEqual(Array.from(codes), [0, 0, 0, 0, 0, 0, 1, 2, 3, 4]);
    assert.deepEqual(adaptiveBinEdges([2, 2, 2], 4), []);
  });
});

describe("binnedInformationPlane", () => {
  it("I(X;T) = H(T) and I(T;Y) on a hand-made two-unit layer", () => {
    // 4 inputs, 2 units; rows (0,0),(0,0),(1,0),(1,1) → patterns {A,A,B,C}: H = 1.5 bits
    const a = { values: Float64Array.from([0, 0, 0, 0, 1, 0, 1, 1]), n: 4, d: 2 };
    assert.deepEqual(Array.from(binPatternIds(fixedWidthBinCodes(a, { bins: 2 }), 4, 2)), [0, 0, 1, 2]);
    const p = binnedInformationPlane(a, [0, 0, 1, 1], { binning: "fixed", bins: 2 });
    assert.ok(Math.abs(p.ixt - 1.5) < 1e-12);
    assert.ok(Math.abs(p.ity - 1) < 1e-12); // T determines Y
    const q = binnedInformationPlane(a, [0, 0, 1, 1], { binning: "adaptive", bins: 2 });
    assert.ok(q.ity <= q.ixt + 1e-12);
  });
});
