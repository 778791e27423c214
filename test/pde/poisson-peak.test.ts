import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix, rng, poissonPeak, boxBoundaryPoints, boxGrid, relativeL2Error } from "@reprobook/lib";

test("poissonPeak: f = −Δu* (five-point finite differences), u* = 1 at the centre", () => {
  const prob = poissonPeak({ sharpness: 50, center: [0.1, -0.2] });
  assert.equal(prob.exact(Matrix.from([[0.1, -0.2]]))[0], 1);
  const h = 1e-4;
  for (const [x, y] of [[0.15, -0.1], [0, 0], [0.3, -0.35]]) {
    const pts = Matrix.from([[x, y], [x + h, y], [x - h, y], [x, y + h], [x, y - h]]);
    const u = prob.exact(pts);
    const lap = (u[1] + u[2] + u[3] + u[4] - 4 * u[0]) / (h * h);
    const f = prob.source(Matrix.from([[x, y]]))[0];
    assert.ok(Math.abs(f + lap) < 1e-4 * Math.max(1, Math.abs(f)), `${f} vs ${-lap}`);
  }
  // closed form at the centre: f(x₀) = 2dα
  assert.equal(prob.source(Matrix.from([[0.1, -0.2]]))[0], 200);
});

test("boxBoundaryPoints: every point is on a face of the box, faces roughly equally often", () => {
  const Y = boxBoundaryPoints(4000, 2, rng(1));
  const faces = [0, 0, 0, 0];
  for (let i = 0; i < Y.rows; i++) {
    const [x, y] = [Y.get(i, 0), Y.get(i, 1)];
    assert.ok(Math.abs(x) <= 1 && Math.abs(y) <= 1 && (Math.abs(x) === 1 || Math.abs(y) === 1));
    faces[x === -1 ? 0 : x === 1 ? 1 : y === -1 ? 2 : 3]++;
  }
  for (const c of faces) assert.ok(Math.abs(c - 1000) < 150, `${faces}`);
});

test("boxGrid and relativeL2Error: corners included; ‖2u* − u*‖/‖u*‖ = 1; 0 at the exact solution", () => {
  const G = boxGrid(3);
  assert.deepEqual(Array.from(G.data), [-1, -1, 0, -1, 1, -1, -1, 0, 0, 0, 1, 0, -1, 1, 0, 1, 1, 1]);
  const u = poissonPeak().exact(boxGrid(21));
  assert.equal(relativeL2Error(u, u), 0);
  assert.ok(Math.abs(relativeL2Error(u.map((v) => 2 * v), u) - 1) < 1e-15);
  assert.throws(() => relativeL2Error([1], [0]), /all zero/);
});
