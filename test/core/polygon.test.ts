import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { polygonPerimeter, polygonSignedArea, polygonSelfIntersections, resampleClosedPolygon, segmentsIntersect, circlePolygon, Matrix } from "@reprobook/lib";

const square = [[0, 0], [1, 0], [1, 1], [0, 1]];

describe("polygonPerimeter and polygonSignedArea", () => {
  it("unit square: perimeter 4, area +1 counter-clockwise and −1 clockwise", () => {
    assert.equal(polygonPerimeter(square), 4);
    assert.equal(polygonSignedArea(square), 1);
    assert.equal(polygonSignedArea([...square].reverse()), -1);
  });
  it("regular n-gon: perimeter 2n sin(π/n), area (n/2) sin(2π/n)", () => {
    const n = 64;
    const P = circlePolygon({ n });
    assert.ok(Math.abs(polygonPerimeter(P) - 2 * n * Math.sin(Math.PI / n)) < 1e-12);
    assert.ok(Math.abs(polygonSignedArea(P) - (n / 2) * Math.sin((2 * Math.PI) / n)) < 1e-12);
  });
});

describe("resampleClosedPolygon", () => {
  it("samples the unit square at equal arc length, with an offset", () => {
    assert.deepEqual(resampleClosedPolygon(square, 8).toArray(), [[0, 0], [0.5, 0], [1, 0], [1, 0.5], [1, 1], [0.5, 1], [0, 1], [0, 0.5]]);
    assert.deepEqual(resampleClosedPolygon(square, 4, { offset: 0.5 }).toArray(), [[0.5, 0], [1, 0.5], [0.5, 1], [0, 0.5]]);
    assert.throws(() => resampleClosedPolygon(square, 4, { offset: 1 }), /offset/);
  });
  it("keeps the polygon's perimeter approximately and its samples are equally spaced on a circle", () => {
    const P = circlePolygon({ n: 500 });
    const S = resampleClosedPolygon(P, 50, { offset: 0.3 });
    assert.ok(Math.abs(polygonPerimeter(S) - 2 * Math.PI) < 0.01);
    for (let i = 0; i < 50; i++) assert.ok(Math.abs(Math.hypot(S.get(i, 0), S.get(i, 1)) - 1) < 1e-4);
  });
});

describe("polygonSelfIntersections", () => {
  it("0 for simple polygons, 1 for a bow tie, and counts every crossing of a pentagram", () => {
    assert.equal(polygonSelfIntersections(square), 0);
    assert.equal(polygonSelfIntersections(circlePolygon({ n: 200 })), 0);
    assert.equal(polygonSelfIntersections([[0, 0], [1, 1], [1, 0], [0, 1]]), 1);
    // pentagram: vertices of a regular pentagon visited 0, 2, 4, 1, 3 — 5 crossings
    const pent = circlePolygon({ n: 5 });
    const star = Matrix.from([0, 2, 4, 1, 3].map((i) => pent.row(i)));
    assert.equal(polygonSelfIntersections(star), 5);
  });
  it("a fold: one vertex pushed across the opposite side", () => {
    const P = circlePolygon({ n: 12 }).clone();
    P.set(0, 0, -1.5); // vertex 0 (at angle 0) moved to the far side: its two edges cross the left part
    assert.ok(polygonSelfIntersections(P) >= 2);
  });
  it("segmentsIntersect: crossing, touching, collinear overlap, disjoint", () => {
    assert.ok(segmentsIntersect(0, 0, 2, 2, 0, 2, 2, 0));
    assert.ok(segmentsIntersect(0, 0, 2, 0, 1, 0, 1, 1));
    assert.ok(segmentsIntersect(0, 0, 2, 0, 1, 0, 3, 0));
    assert.ok(!segmentsIntersect(0, 0, 1, 0, 2, 0, 3, 0));
    assert.ok(!segmentsIntersect(0, 0, 1, 1, 0, 1, 0.4, 0.6));
  });
});
