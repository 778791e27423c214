import { test } from "node:test";
import assert from "node:assert/strict";
import { overBudget, summaryTable } from "../../runner/src/progress";
import type { NotebookResult } from "../../runner/src/results";

const result = (over: Partial<NotebookResult>): NotebookResult => ({
  slug: "z-loss", family: "losses", path: "notebooks/losses/z-loss.ipynb", output: "notebooks/losses/z-loss.ipynb",
  scale: "smoke", seed: 0, status: "passed", seconds: 4, claims: [], ...over,
});

test("overBudget names the kernel start and the slowest cells of a notebook over its scale's budget", () => {
  const timing = { kernelSeconds: 2.34, slowestCells: [{ cell: 7, seconds: 8.05 }, { cell: 3, seconds: 1.2 }] };
  assert.equal(overBudget(result({ seconds: 12.5, timing })), "over the 10 s smoke budget: kernel start 2.3 s, cell 7 8.1 s, cell 3 1.2 s");
  assert.equal(overBudget(result({ seconds: 61, scale: "default" })), "over the 60 s default budget", "older results without timing");
  assert.equal(overBudget(result({ seconds: 9.9, timing })), null, "within budget");
  assert.equal(overBudget(result({ seconds: 500, scale: "full" })), null, "full scale has no budget");
  assert.equal(overBudget(result({ seconds: 30, cached: true })), null, "a cached result did not run now");
});

test("the summary lists notebooks over budget after the claims, and says it is not a failure", () => {
  const text = summaryTable([result({ seconds: 3 }), result({ slug: "ensloss", seconds: 14, timing: { kernelSeconds: 2, slowestCells: [{ cell: 5, seconds: 9 }] } })]);
  assert.match(text, /1 notebook over the time budget \(not a failure/);
  assert.match(text, /⏲ ensloss: over the 10 s smoke budget: kernel start 2\.0 s, cell 5 9\.0 s/);
  assert.doesNotMatch(text, /⏲ z-loss/);
  assert.doesNotMatch(text, /in parallel/);
  const parallel = summaryTable([result({ seconds: 14 })], 2);
  assert.match(parallel, /the budgets are for one notebook at a time, and this run had 2 in parallel/);
});
