import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { polygonVarifold, polygonVarifoldPullback, circlePolygon, starContour, Matrix, rng } from "@reprobook/lib";

describe("polygonVarifold", () => {
  it("on a counter-clockwise circle the normals are the outward radial unit vectors, scaled by λ", () => {
    const V = polygonVarifold(circlePolygon({ n: 16, radius: 2 }), { normalWeight: 0.5 });
    for (let i = 0; i < 16; i++) {
      const phi = (2 * Math.PI * i) / 16;
      assert.ok(Math.abs(V.get(i, 0) - 2 * Math.cos(phi)) < 1e-12);
      assert.ok(Math.abs(V.get(i, 2) - 0.5 * Math.cos(phi)) < 1e-12);
      assert.ok(Math.abs(V.get(i, 3) - 0.5 * Math.sin(phi)) < 1e-12);
    }
  });
  it("hand case, unit square: the normal at a corner is the diagonal", () => {
    const V = polygonVarifold([[0, 0], [1, 0], [1, 1], [0, 1]], { normalWeight: 1 });
    // vertex 1 = (1, 0): t = x₂ − x₀ = (1, 1), u = (1, −1)/√2
    assert.ok(Math.abs(V.get(1, 2) - Math.SQRT1_2) < 1e-12 && Math.abs(V.get(1, 3) + Math.SQRT1_2) < 1e-12);
    assert.throws(() => polygonVarifold([[0, 0], [1, 0], [0, 0], [1, 0]]), /normal is undefined/);
  });
});

describe("polygonVarifoldPullback", () => {
  it("matches central finite differences of ⟨G, polygonVarifold(P)⟩", () => {
    const P = starContour({ n: 9, seed: 3 }).vertices;
    const G = new Matrix(9, 4, rng(5).normals(36));
    const opts = { normalWeight: 0.7 };
    const f = () => polygonVarifold(P, opts).data.reduce((s, v, k) => s + v * G.data[k], 0);
    const grad = polygonVarifoldPullback(P, G, opts);
    const h = 1e-6;
    for (let k = 0; k < P.data.length; k++) {
      const keep = P.data[k];
      P.data[k] = keep + h;
      const up = f();
      P.data[k] = keep - h;
      const down = f();
      P.data[k] = keep;
      assert.ok(Math.abs((up - down) / (2 * h) - grad.data[k]) < 1e-7, `k=${k}: ${(up - down) / (2 * h)} vs ${grad.data[k]}`);
    }
    assert.throws(() => polygonVarifoldPullback(P, new Matrix(9, 2)), /9×4/);
  });
  it("with λ = 0 it passes the position gradient through unchanged", () => {
    const P = circlePolygon({ n: 5 });
    const G = new Matrix(5, 4, rng(1).normals(20));
    const grad = polygonVarifoldPullback(P, G, { normalWeight: 0 });
    for (let i = 0; i < 5; i++) for (let k = 0; k < 2; k++) assert.equal(grad.get(i, k), G.get(i, k));
  });
});
