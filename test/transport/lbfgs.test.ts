import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { lbfgs } from "@reprobook/lib";

describe("lbfgs", () => {
  it("minimises a convex quadratic to its closed-form minimiser", () => {
    // f(x) = ½ xᵀAx − bᵀx with A = diag(1, 10, 100): x* = b / diag(A)
    const A = [1, 10, 100];
    const b = [1, -2, 3];
    const r = lbfgs((x, g) => {
      let f = 0;
      for (let i = 0; i < 3; i++) { g[i] = A[i] * x[i] - b[i]; f += 0.5 * A[i] * x[i] * x[i] - b[i] * x[i]; }
      return f;
    }, [0, 0, 0], { gradTol: 1e-12 });
    assert.ok(r.converged);
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(r.x[i] - b[i] / A[i]) < 1e-11);
  });
  it("finds the minimum of the Rosenbrock function at (1, 1)", () => {
    const r = lbfgs((x, g) => {
      const [u, v] = [x[0], x[1]];
      g[0] = -2 * (1 - u) - 400 * u * (v - u * u);
      g[1] = 200 * (v - u * u);
      return (1 - u) ** 2 + 100 * (v - u * u) ** 2;
    }, [-1.2, 1], { gradTol: 1e-10, maxIter: 500 });
    assert.ok(r.converged, r.reason);
    assert.ok(Math.abs(r.x[0] - 1) < 1e-8 && Math.abs(r.x[1] - 1) < 1e-8);
  });
  it("passes the callback the iterate and its gradient, equal to a fresh evaluation", () => {
    const fg = (x: Float64Array, g: Float64Array) => {
      const [u, v] = [x[0], x[1]];
      g[0] = -2 * (1 - u) - 400 * u * (v - u * u);
      g[1] = 200 * (v - u * u);
      return (1 - u) ** 2 + 100 * (v - u * u) ** 2;
    };
    let calls = 0;
    const r = lbfgs(fg, [-1.2, 1], {
      maxIter: 30,
      callback: (iteration, value, gradInf, x, grad) => {
        calls++;
        const fresh = new Float64Array(2);
        assert.equal(fg(x, fresh), value);
        assert.deepEqual(Array.from(grad), Array.from(fresh));
        assert.equal(gradInf, Math.max(Math.abs(fresh[0]), Math.abs(fresh[1])));
        assert.equal(iteration, calls);
      },
    });
    assert.equal(calls, r.iterations);
  });
  it("reports a non-finite start and bad options", () => {
    assert.throws(() => lbfgs(() => NaN, [0]), /starting point/);
    assert.throws(() => lbfgs((x, g) => 0, [0], { memory: 0 }), /memory/);
  });
});
