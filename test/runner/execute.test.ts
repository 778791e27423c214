import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { CLAIM_MIME, executeNotebook } from "../../runner/src/execute";
import { joinSource } from "../../runner/src/notebook";

const fixture = (name: string) => path.join(__dirname, "..", "fixtures", "runner", `${name}.ipynb`);
const options = { scale: "smoke", seed: 7, cellTimeout: 20 };

test("every kind of output reaches the executed notebook, and claims are collected", async () => {
  const r = await executeNotebook(fixture("outputs"), options);
  const code = r.notebook.cells.filter((c) => c.cell_type === "code");
  // Streams keep their order and names; consecutive writes to one stream are merged.
  assert.deepEqual(
    code[0].outputs!.map((o) => [o.name, joinSource(o.text!)]),
    [["stdout", "to stdout\n"], ["stderr", "to stderr\n"], ["stdout", "more stdout\n"]],
  );
  // One display_data carries the whole multi-MIME bundle.
  assert.equal(code[1].outputs!.length, 1);
  assert.deepEqual(Object.keys(code[1].outputs![0].data!).sort(), ["image/svg+xml", "text/html", "text/plain"]);
  // Scale and seed reach the kernel through the environment.
  assert.equal(joinSource(code[2].outputs![0].text!), "scale=smoke seed=7\n");
  // Claims: one passed, one failed, so the notebook's status is "failed".
  assert.deepEqual(r.claims.map((c) => [c.name, c.passed]), [["one is less than two", true], ["one is greater than two", false]]);
  assert.ok(code[3].outputs!.every((o) => o.data?.[CLAIM_MIME] && o.data["text/markdown"]));
  assert.equal(r.status, "failed");
  // An empty cell is skipped; the value of a last expression is printed.
  assert.deepEqual(code[4].outputs, []);
  assert.equal(joinSource(code[5].outputs![0].text!), "42\n");
  assert.ok(code.filter((c) => c.source.length).every((c) => typeof c.execution_count === "number"));
  assert.equal(r.notebook.metadata.reprobook.status, "failed");
  // Timing: each executed cell carries JupyterLab's execution timestamps; the result names the slowest cells.
  for (const c of code.filter((c) => c.source.length)) {
    const t = c.metadata.execution as Record<string, string>;
    assert.ok(Date.parse(t["shell.execute_reply"]) >= Date.parse(t["shell.execute_reply.started"]));
  }
  assert.ok(r.timing.kernelSeconds > 0);
  assert.ok(r.timing.slowestCells.length > 0 && r.timing.slowestCells.length <= 3);
  const cellNumbers = r.notebook.cells.map((c, i) => (c.cell_type === "code" ? i + 1 : 0)).filter(Boolean);
  for (const t of r.timing.slowestCells) assert.ok(cellNumbers.includes(t.cell), `cell ${t.cell} is a code cell, counted from 1`);
  assert.deepEqual(r.timing.slowestCells.map((t) => t.seconds), [...r.timing.slowestCells.map((t) => t.seconds)].sort((a, b) => b - a));
  assert.deepEqual(r.notebook.metadata.reprobook.timing, r.timing);
});

test("a failing cell stops the notebook and keeps the outputs so far with the traceback", async () => {
  const r = await executeNotebook(fixture("error"), options);
  assert.equal(r.status, "error");
  assert.equal(r.error?.ename, "RangeError");
  assert.equal(r.error?.evalue, "the value is out of range");
  assert.equal(r.error?.cell, 1);
  const [first, second, third] = r.notebook.cells;
  assert.equal(joinSource(first.outputs![0].text!), "before the error\n");
  const err = second.outputs!.find((o) => o.output_type === "error")!;
  assert.ok(err.traceback!.some((l) => l.includes("at explode")), "the traceback names the notebook's function");
  assert.ok(!err.traceback!.some((l) => l.includes("node_modules/tslab")), "tslab's own frames are dropped");
  assert.deepEqual(third.outputs, []);
  assert.equal(third.execution_count, null);
});

test("a type error is reported as an error with the compiler's message", async () => {
  const r = await executeNotebook(fixture("type-error"), options);
  assert.equal(r.status, "error");
  assert.match(r.error!.evalue, /Type 'string' is not assignable to type 'number'/);
});

test("a cell that awaits forever times out, and the run goes on", async () => {
  const r = await executeNotebook(fixture("hang-await"), { ...options, cellTimeout: 2 });
  assert.equal(r.status, "timeout");
  assert.match(r.error!.evalue, /cell 1 did not finish within 2 s/);
  assert.equal(joinSource(r.notebook.cells[0].outputs![0].text!), "waiting forever\n");
});

test("a busy loop that ignores the interrupt is killed", async () => {
  const t0 = Date.now();
  const r = await executeNotebook(fixture("hang-loop"), { ...options, cellTimeout: 2 });
  assert.equal(r.status, "timeout");
  assert.ok(Date.now() - t0 < 15000, "the kernel was killed promptly");
});

test("a kernel that exits is reported with its exit code", async () => {
  const r = await executeNotebook(fixture("kernel-exit"), options);
  assert.equal(r.status, "error");
  assert.equal(r.error!.ename, "KernelDied");
  assert.match(r.error!.evalue, /cell 2, the kernel died \(exit code 3\)/);
  assert.equal(joinSource(r.notebook.cells[0].outputs![0].text!), "about to exit\n");
});

test("a kernel command that does not exist is a clear start error", async () => {
  const r = await executeNotebook(fixture("claim-only"), { ...options, kernelArgv: ["/nonexistent/tslab", "kernel", "--config-path", "{connection_file}"] });
  assert.equal(r.status, "error");
  assert.equal(r.error!.ename, "KernelStartError");
  assert.match(r.error!.evalue, /\/nonexistent\/tslab does not exist/);
});

test("a paper notebook without a claim check is an error", async () => {
  const r = await executeNotebook(fixture("error").replace("error", "type-error"), options);
  assert.equal(r.status, "error");
  const noClaim = await executeNotebook(path.join(__dirname, "..", "fixtures", "runner", "outputs.ipynb"), options);
  assert.notEqual(noClaim.error?.ename, "NoClaim");
  const empty = await executeNotebook(fixture("kernel-exit").replace("kernel-exit", "claim-only"), { ...options, requireClaims: true });
  assert.equal(empty.status, "passed");
});

test("the source notebook is never modified", async () => {
  const fs = await import("node:fs");
  const before = fs.readFileSync(fixture("claim-only"), "utf8");
  await executeNotebook(fixture("claim-only"), options);
  assert.equal(fs.readFileSync(fixture("claim-only"), "utf8"), before);
});
