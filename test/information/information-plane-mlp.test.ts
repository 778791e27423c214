import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rng, twelveBitTask, trainInformationPlaneMlp } from "@reprobook/lib";

describe("trainInformationPlaneMlp", () => {
  it("learns the 12-bit task and keeps I(T;Y) ≤ min(I(X;T), H(Y)) at every checkpoint", () => {
    const data = twelveBitTask(rng(1));
    const r = trainInformationPlaneMlp(data, { activation: "tanh", epochs: 30, checkpoints: [0, 30], lr: 0.01, seed: rng(2) });
    assert.ok(r.trainAccuracy > 0.8, `train accuracy ${r.trainAccuracy}`);
    assert.equal(r.history.length, 2 * 5 * 2, "2 checkpoints × 5 hidden layers × 2 binnings");
    for (const p of r.history) assert.ok(p.ity <= Math.min(p.ixt, 1) + 1e-9 && p.ixt <= 12 + 1e-9);
  });
  it("is reproducible from its seed", () => {
    const data = twelveBitTask(rng(1));
    const run = () => trainInformationPlaneMlp(data, { activation: "relu", epochs: 2, checkpoints: [2], seed: rng(3) });
    assert.deepEqual(run().history, run().history);
  });
});
