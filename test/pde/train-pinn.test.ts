import { test } from "node:test";
import assert from "node:assert/strict";
import { rng, boxGrid, poissonPeak, initTanhNetwork, trainPoissonPinn, type PinnSampling } from "@reprobook/lib";

const problem = poissonPeak({ sharpness: 10 });
const grid = boxGrid(21);

for (const sampling of [{ kind: "uniform" }, { kind: "rad", every: 20 }, { kind: "aas", beta: 1e-3 }] as PinnSampling[]) {
  test(`trainPoissonPinn (${sampling.kind}): a mild peak's error falls, the initial network is untouched, same seed ⇒ same run`, () => {
    const init = initTanhNetwork({ width: 20, weightStd: 3, outputStd: 0.001, rng: rng(1) });
    const before = init.params.slice();
    const run = () => trainPoissonPinn({ problem, init, sampling, iterations: 300, points: 100, boundaryPoints: 40, lr: 1e-2, evalPoints: grid, evalEvery: 100, rng: rng(2) });
    const a = run();
    assert.deepEqual(init.params, before);
    assert.deepEqual(a.history.map((h) => h.iteration), [0, 100, 200, 300]);
    const first = a.history[0].relativeL2, last = a.history[a.history.length - 1].relativeL2;
    assert.ok(last < 0.7 * first, `relative L2 ${first} → ${last}`);
    assert.equal(a.lastPoints.rows, 100);
    assert.ok(a.lastPoints.data.every((v) => Math.abs(v) <= 1));
    assert.equal(a.sampler !== undefined, sampling.kind === "aas");
    assert.deepEqual(run().net.params, a.net.params);
  });
}

test("trainPoissonPinn: errors say what is wrong", () => {
  const init = initTanhNetwork({ width: 3, inputDim: 3, rng: rng(0) });
  assert.throws(() => trainPoissonPinn({ problem, init, sampling: { kind: "uniform" }, iterations: 1, evalPoints: grid, rng: rng(0) }), /takes 3 coordinates, the problem has 2/);
});
