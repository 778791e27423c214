import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { circlePolygon, starContour, polygonSelfIntersections, polygonSignedArea } from "@reprobook/lib";

describe("circlePolygon", () => {
  it("vertices on the circle at angles 2πi/n, counter-clockwise", () => {
    const P = circlePolygon({ n: 4, radius: 2, center: [1, -1] });
    const expected = [[3, -1], [1, 1], [-1, -1], [1, -3]];
    P.toArray().forEach((row, i) => row.forEach((v, k) => assert.ok(Math.abs(v - expected[i][k]) < 1e-12)));
    assert.throws(() => circlePolygon({ n: 2 }), /n ≥ 3/);
  });
});

describe("starContour", () => {
  it("is seeded, star-shaped (simple, counter-clockwise) and follows its radius function", () => {
    const a = starContour({ n: 300, seed: 4 });
    const b = starContour({ n: 300, seed: 4 });
    assert.deepEqual(a.vertices.data, b.vertices.data);
    assert.notDeepEqual(starContour({ n: 300, seed: 5 }).vertices.data, a.vertices.data);
    assert.equal(polygonSelfIntersections(a.vertices), 0);
    assert.ok(polygonSignedArea(a.vertices) > 0);
    for (let i = 0; i < 300; i += 37) {
      const phi = (2 * Math.PI * i) / 300;
      assert.ok(Math.abs(Math.hypot(a.vertices.get(i, 0), a.vertices.get(i, 1)) - a.radius(phi)) < 1e-12);
      assert.ok(a.radius(phi) >= 0.3);
    }
  });
  it("amplitude 0 gives the circle; harmonics below 2 are zero", () => {
    const c = starContour({ n: 16, amplitude: 0, seed: 1 });
    for (let i = 0; i < 16; i++) assert.ok(Math.abs(Math.hypot(c.vertices.get(i, 0), c.vertices.get(i, 1)) - 1) < 1e-12);
    const s = starContour({ n: 16, seed: 2 });
    assert.equal(s.cosine[1], 0);
    assert.equal(s.sine[0], 0);
  });
});
