import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rng, binPatternIds, labelEntropyBits, twelveBitTask } from "@reprobook/lib";

describe("twelveBitTask", () => {
  it("has the 4096 distinct inputs of {−1, 1}¹² and balanced labels (H(Y) = 1 bit)", () => {
    const data = twelveBitTask(rng(1));
    assert.equal(data.n, 4096);
    assert.equal(data.d, 12);
    const codes = Int32Array.from(data.x, (v) => (v > 0 ? 1 : 0));
    assert.equal(new Set(binPatternIds(codes, 4096, 12)).size, 4096);
    assert.ok(Math.abs(labelEntropyBits(data.y) - 1) < 1e-6);
  });
  it("is reproducible from its seed, and another seed gives another labelling", () => {
    assert.deepEqual(twelveBitTask(rng(1)).y, twelveBitTask(rng(1)).y);
    assert.notDeepEqual(twelveBitTask(rng(1)).y, twelveBitTask(rng(2)).y);
  });
});
