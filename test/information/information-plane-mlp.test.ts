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
  it("gives exactly the numbers of the original allocation-per-batch implementation (tanh and ReLU, L2, a partial last batch)", () => {
    // Recorded from the implementation of commit 410d9e5, before the training loop reused its buffers; the rewrite keeps
    // every floating-point sum in the same order, so the trained weights must match to the last bit (a reordered sum
    // changes the last digits of these weights).
    const data = twelveBitTask(rng(1));
    const expected = {
      tanh: {
        train: 0.9292035398230089, test: 0.9328449328449329, last: [7.534585357613421, 0.7879833900830189],
        w0: [0.42835561932647465, 0.12634564593953732, 0.030983559283246233],
        w5: [-0.80138121605769, 0.2608807811379121, 0.8652888080020541, -0.21936934570134642, -1.2137685843828496, 0.15999100429636157],
        b5: [-0.012531043027007352, 0.012531043027007333],
      },
      relu: {
        train: 0.9169972535855966, test: 0.9169719169719169, last: [5.93336369143108, 0.7464335203970407],
        w0: [0.3643916223119095, 0.07709111486665912, 0.2773066921297177],
        w5: [-0.6935112819788063, 0.0653668945086128, 1.0576564542874847, -0.333269845359275, -1.5190480078869735, 0.04579321047109548],
        b5: [0.18874513709093546, -0.18874513709093543],
      },
    };
    for (const activation of ["tanh", "relu"] as const) {
      const r = trainInformationPlaneMlp(data, { activation, l2: 1e-3, epochs: 3, batchSize: 100, checkpoints: [3], binnings: ["adaptive"], seed: rng(7) });
      const e = expected[activation], last = r.history.find((p) => p.layer === 5)!;
      assert.equal(r.trainAccuracy, e.train, `${activation} train accuracy`);
      assert.equal(r.testAccuracy, e.test, `${activation} test accuracy`);
      assert.deepEqual([last.ixt, last.ity], e.last, `${activation} last-layer information plane`);
      assert.deepEqual(Array.from(r.weights[0].subarray(0, 3)), e.w0, `${activation} first-layer weights`);
      assert.deepEqual(Array.from(r.weights[5]), e.w5, `${activation} output weights`);
      assert.deepEqual(Array.from(r.biases[5]), e.b5, `${activation} output biases`);
    }
  });
});
