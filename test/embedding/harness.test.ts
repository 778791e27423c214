import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  adam,
  arcFaceLoss,
  cosineHead,
  cosinesAll,
  embedAll,
  embeddingModel,
  equiangularBasisVectors,
  flipHorizontal,
  initBackend,
  loadDigits,
  makeDataset,
  Matrix,
  mirrorCompletedHalves,
  mirrorSymmetryScore,
  mlp,
  pairwiseAbsCosineStats,
  pairwiseAbsCosines,
  rng,
  splitByClasses,
  tf,
  trainEmbeddingModel,
  welchBound,
} from "@reprobook/lib";

before(async () => {
  await initBackend("cpu");
});

describe("cosineHead", () => {
  it("outputs the cosines to the normalised centres, trained or fixed", () => {
    const head = cosineHead({ inputs: 2, classes: 3, fixed: [[2, 0], [0, 1], [1, 1]] });
    assert.equal(head.params.length, 0, "fixed centres are not trained");
    const cos = tf.tidy(() => Array.from(head.apply(tf.tensor2d([[3, 0], [1, 1]])).dataSync()));
    const expected = [1, 0, Math.SQRT1_2, Math.SQRT1_2, Math.SQRT1_2, 1];
    cos.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-6, `cos[${i}] = ${v}, expected ${expected[i]}`));
    const c = head.centres();
    assert.ok(Math.abs(c.get(2, 0) - Math.SQRT1_2) < 1e-6);
    head.dispose();
    const learned = cosineHead({ inputs: 4, classes: 5, seed: 1 });
    assert.equal(learned.params.length, 1);
    const out = tf.tidy(() => learned.apply(tf.tensor2d([[1, 2, 3, 4]])).dataSync());
    assert.ok(Array.from(out).every((v) => v >= -1 && v <= 1));
    learned.dispose();
    assert.throws(() => cosineHead({ inputs: 2, classes: 3, fixed: [[1, 0]] }), /fixed centres are 1×2 but the head needs classes × inputs = 3×2/);
    assert.throws(() => cosineHead({ inputs: 2, classes: 3 }), /pass a seed/);
  });
});

describe("splitByClasses", () => {
  it("separates and relabels training and held-out classes", () => {
    const ds = makeDataset({ x: Float32Array.from([0, 1, 2, 3, 4, 5]), y: Int32Array.from([2, 0, 1, 2, 3, 0]), shape: [1], classes: ["a", "b", "c", "d"], name: "toy" });
    const s = splitByClasses(ds, [2, 0]);
    assert.deepEqual(Array.from(s.train.y), [0, 1, 0, 1]);
    assert.deepEqual(Array.from(s.train.x), [0, 1, 3, 5]);
    assert.deepEqual(s.train.classes, ["c", "a"]);
    assert.deepEqual(s.heldOutClasses, [1, 3]);
    assert.deepEqual(Array.from(s.heldOut.y), [0, 1]);
    assert.deepEqual(Array.from(s.heldOut.x), [2, 4]);
    assert.throws(() => splitByClasses(ds, [0, 1, 2, 3]), /both parts need at least one class/);
    assert.throws(() => splitByClasses(ds, [7]), /7 is not a class/);
  });
});

describe("mirrorCompletedHalves", () => {
  it("completes each half with its mirror (even and odd widths) and is swapped by a flip", () => {
    // one 1×4 image [a b c d] → left [a b b a], right [d c c d]
    const { left, right } = mirrorCompletedHalves(Float32Array.from([1, 2, 3, 4]), [1, 4]);
    assert.deepEqual(Array.from(left), [1, 2, 2, 1]);
    assert.deepEqual(Array.from(right), [4, 3, 3, 4]);
    // 1×3: [a b c] → left [a b a], right [c b c]
    const odd = mirrorCompletedHalves(Float32Array.from([1, 2, 3]), [1, 3]);
    assert.deepEqual(Array.from(odd.left), [1, 2, 1]);
    assert.deepEqual(Array.from(odd.right), [3, 2, 3]);
    // a symmetric image is its own halves; flipping swaps left and right
    const img = Float32Array.from({ length: 2 * 6 }, (_, i) => (i * 7) % 5);
    const halves = mirrorCompletedHalves(img, [2, 6]);
    const flipped = mirrorCompletedHalves(flipHorizontal(img, [2, 6, 1]), [2, 6]);
    assert.deepEqual(Array.from(flipped.left), Array.from(halves.right));
    const sym = mirrorCompletedHalves(halves.left, [2, 6]);
    assert.deepEqual(Array.from(sym.left), Array.from(halves.left));
    assert.deepEqual(Array.from(sym.right), Array.from(halves.left));
    assert.throws(() => mirrorCompletedHalves(new Float32Array(5), [2, 2]), /n × 4 values/);
    // symmetry score: 1 for a symmetric image, cos(x, mirror x) otherwise ([1 0 0 0] vs [0 0 0 1] → 0; [1 1 0 1] → 2/3)
    const rho = mirrorSymmetryScore(Float32Array.from([1, 2, 2, 1, 1, 0, 0, 0, 1, 1, 0, 1]), [1, 4]);
    assert.deepEqual(Array.from(rho, (v) => +v.toFixed(12)), [1, 0, +(2 / 3).toFixed(12)]);
  });
});

describe("equiangularBasisVectors", () => {
  it("reaches the bound α (far below random vectors) and refuses α under the Welch bound", () => {
    const ebv = equiangularBasisVectors(60, 12, { alpha: 0.35, rng: rng(1), lr: 0.01 });
    assert.ok(ebv.converged, `not converged after ${ebv.steps} steps (max |cos| ${ebv.maxAbsCosine})`);
    assert.ok(ebv.maxAbsCosine <= 0.35 + 1e-12);
    assert.ok(ebv.history[0] > 0.6, `random start: max |cos| ${ebv.history[0]}`);
    for (let i = 0; i < ebv.vectors.rows; i++) assert.ok(Math.abs(Math.hypot(...ebv.vectors.row(i)) - 1) < 1e-12, "unit rows");
    const orth = equiangularBasisVectors(5, 8, { alpha: 0.01, rng: rng(2), lr: 0.002 });
    assert.ok(orth.converged && orth.maxAbsCosine <= 0.01, `N ≤ d: nearly orthogonal (max |cos| ${orth.maxAbsCosine})`);
    assert.ok(Math.abs(welchBound(500, 64) - Math.sqrt(436 / (64 * 499))) < 1e-15);
    assert.equal(welchBound(10, 64), 0);
    assert.throws(() => equiangularBasisVectors(100, 4, { alpha: 0.2, rng: rng(3) }), /below the Welch bound/);
    assert.deepEqual(Array.from(pairwiseAbsCosines(Matrix.from([[1, 0], [0, -2], [1, 1]])), (v) => +v.toFixed(12)), [0, +Math.SQRT1_2.toFixed(12), +Math.SQRT1_2.toFixed(12)]);
    const stats = pairwiseAbsCosineStats(Matrix.from([[1, 0], [0, 1], [1, 1]]));
    assert.ok(Math.abs(stats.max - Math.SQRT1_2) < 1e-12 && Math.abs(stats.mean - (2 * Math.SQRT1_2) / 3) < 1e-12);
  });
});

describe("embedAll / cosinesAll", () => {
  it("match the model applied to all rows at once, for batches that do not divide the rows, and leave no tensors", () => {
    const model = embeddingModel(mlp({ sizes: [6, 5, 4], seed: 1 }), cosineHead({ inputs: 4, classes: 3, seed: 2 }));
    const x = Float32Array.from({ length: 20 * 6 }, (_, i) => Math.sin(i * 0.7));
    const direct = tf.tidy(() => {
      const e = model.backbone.apply(tf.tensor2d(x, [20, 6]), { training: false });
      const unit = tf.div(e, tf.sqrt(tf.sum(tf.square(e), 1, true)));
      return [Array.from(unit.dataSync()), Array.from(model.head.apply(e).dataSync())];
    });
    const before = tf.memory().numTensors;
    for (const batchSize of [7, 20, 1000]) {
      const emb = embedAll(model, x, [6], { batchSize });
      const cos = cosinesAll(model, x, [6], { batchSize });
      assert.deepEqual([emb.rows, emb.cols, cos.rows, cos.cols], [20, 4, 20, 3]);
      emb.values.forEach((v, i) => assert.ok(Math.abs(v - direct[0][i]) < 1e-6, `embedding ${i}: ${v} vs ${direct[0][i]} (batch ${batchSize})`));
      cos.values.forEach((v, i) => assert.ok(Math.abs(v - direct[1][i]) < 1e-6, `cosine ${i}: ${v} vs ${direct[1][i]} (batch ${batchSize})`));
    }
    assert.equal(tf.memory().numTensors, before, "no tensor left behind");
    model.dispose();
  });
});

describe("trainEmbeddingModel", () => {
  it("lowers an ArcFace loss on digits without leaking tensors, and embeds held-out classes", () => {
    const split = splitByClasses(loadDigits(), [0, 1, 2, 3, 4]);
    const train = { x: split.train.x, y: split.train.y, shape: [64] };
    const model = embeddingModel(mlp({ sizes: [64, 32, 8], seed: 1 }), cosineHead({ inputs: 8, classes: 5, seed: 2 }));
    const { history } = trainEmbeddingModel(model, { train, loss: (b) => arcFaceLoss(b.cosines, b.labels, { scale: 8, margin: 0.2 }), optimizer: adam({ lr: 0.01 }), epochs: 4, batchSize: 64, seed: 3 });
    assert.equal(history.length, 4);
    assert.ok(history[3].loss < history[0].loss, `loss ${history[0].loss} → ${history[3].loss}`);
    assert.ok(history[3].trainAccuracy > 0.8, `train accuracy ${history[3].trainAccuracy}`);
    // the optimizer's state appears in the first epoch; afterwards the count must not grow
    assert.deepEqual(history.map((h) => h.numTensors), history.map(() => history[0].numTensors), "no leak from epoch to epoch");
    const emb = embedAll(model, split.heldOut.x, [64]);
    assert.equal(emb.rows, split.heldOut.n);
    assert.equal(emb.cols, 8);
    for (let i = 0; i < 5; i++) {
      let s = 0;
      for (let k = 0; k < 8; k++) s += emb.values[i * 8 + k] ** 2;
      assert.ok(Math.abs(s - 1) < 1e-5, "unit embeddings");
    }
    assert.equal(cosinesAll(model, split.train.x.subarray(0, 640), [64]).cols, 5);
    assert.throws(() => trainEmbeddingModel(model, { train: { ...train, y: train.y.map(() => 7) }, loss: (b) => arcFaceLoss(b.cosines, b.labels), optimizer: adam(), epochs: 1 }), /train.y\[0\] = 7 is not a class of the head/);
    model.dispose();
  });
});
