import { test } from "node:test";
import assert from "node:assert/strict";
import { tf, tidyData } from "@reprobook/lib";

test("tidyData returns the values of the computed tensor and leaves no tensor behind", () => {
  const a = tf.tensor1d([1, 2, 3]);
  const before = tf.memory().numTensors;
  const values = tidyData(() => tf.mul(tf.add(a, 1), 2));
  assert.deepEqual(Array.from(values), [4, 6, 8]);
  assert.equal(tf.memory().numTensors, before, "intermediate and result tensors are disposed");
  assert.ok(!a.isDisposed, "tensors made outside are kept");
  a.dispose();
});

test("tidyData keeps the integer type of the result and disposes even when the computation throws", () => {
  const before = tf.memory().numTensors;
  const idx = tidyData(() => tf.argMax(tf.tensor2d([[0, 5], [7, 1]]), 1));
  assert.ok(idx instanceof Int32Array);
  assert.deepEqual(Array.from(idx), [1, 0]);
  assert.throws(() => tidyData(() => { tf.ones([3]); throw new Error("boom"); }), /boom/);
  assert.equal(tf.memory().numTensors, before);
});
