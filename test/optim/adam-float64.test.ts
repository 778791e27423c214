import { test } from "node:test";
import assert from "node:assert/strict";
import { adamFloat64 } from "@reprobook/lib";

test("adamFloat64: first step moves every parameter by lr against the gradient's sign (m̂/√v̂ = g/|g|)", () => {
  const p = Float64Array.from([1, -2, 0.5]);
  adamFloat64({ lr: 0.1, eps: 1e-12 }).step(p, [0.5, -3, 1e-3]);
  assert.deepEqual(Array.from(p).map((x) => +x.toFixed(8)), [0.9, -1.9, 0.4]);
});

test("adamFloat64: two steps by hand (β₁ = 0.9, β₂ = 0.999)", () => {
  const p = Float64Array.from([1]);
  const opt = adamFloat64({ lr: 0.01 });
  opt.step(p, [1]);
  opt.step(p, [2]);
  // t = 2: m = 0.09·1 + 0.1·2... m₁ = 0.1, m₂ = 0.09 + 0.2 = 0.29; v₁ = 0.001, v₂ = 0.000999 + 0.004 = 0.004999
  const m2 = 0.29 / (1 - 0.81);
  const v2 = 0.004999 / (1 - 0.998001);
  const expected = 1 - 0.01 / (1 + 1e-8) - (0.01 * m2) / (Math.sqrt(v2) + 1e-8);
  assert.ok(Math.abs(p[0] - expected) < 1e-12, `${p[0]} vs ${expected}`);
  assert.equal(opt.iterations, 2);
});

test("adamFloat64: ascend maximises, and minimising a quadratic converges", () => {
  const up = Float64Array.from([0]);
  adamFloat64({ lr: 0.1, ascend: true }).step(up, [1]);
  assert.ok(Math.abs(up[0] - 0.1) < 1e-6);
  const p = Float64Array.from([3, -4]);
  const opt = adamFloat64({ lr: 0.05 });
  for (let k = 0; k < 2000; k++) opt.step(p, [2 * (p[0] - 1), 2 * (p[1] + 1)]);
  assert.ok(Math.abs(p[0] - 1) < 1e-3 && Math.abs(p[1] + 1) < 1e-3, `${p[0]}, ${p[1]}`);
});

test("adamFloat64: errors say what is wrong", () => {
  assert.throws(() => adamFloat64({ lr: -1 }), /lr must be/);
  assert.throws(() => adamFloat64().step(new Float64Array(2), [1]), /gradient has 1 entries but there are 2/);
});
