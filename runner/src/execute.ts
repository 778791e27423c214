/**
 * Executes one notebook in a fresh tslab kernel and returns the executed copy with its claims and status.
 * The source notebook is never modified.
 */
import * as path from "node:path";
import { Kernel, KernelDiedError, KernelTimeoutError } from "./kernel";
import { Cell, Notebook, OutputCollector, errorFromStderr, joinSource, readNotebook } from "./notebook";
import type { CellTiming, ClaimResult, NotebookError, NotebookTiming, Status } from "./results";

export const CLAIM_MIME = "application/vnd.reprobook.claim+json";

export interface ExecuteOptions {
  scale: string;
  seed: number;
  /** Seconds each cell may run before it is interrupted (then the kernel is killed). */
  cellTimeout: number;
  /** Kernel working directory; default the notebook's folder, as Jupyter does. */
  cwd?: string;
  /** Command that starts the kernel (tests use fake kernels); default this repo's tslab. */
  kernelArgv?: string[];
  /** A notebook with no claim check is an error (true for the paper notebooks). */
  requireClaims?: boolean;
  /** Called after each cell: (index of the cell, number of cells). */
  onCell?: (index: number, total: number) => void;
  /** Lets the caller kill the kernel (Ctrl-C). */
  onKernel?: (kernel: Kernel | null) => void;
  /** Extra environment for the kernel. */
  env?: Record<string, string>;
}

export interface ExecuteResult {
  status: Exclude<Status, "skipped">;
  seconds: number;
  /** Where the time went: kernel start-up and the slowest code cells. */
  timing: NotebookTiming;
  claims: ClaimResult[];
  error?: NotebookError;
  notebook: Notebook;
}

/** The claim records among a cell's outputs. */
export function claimsOf(cells: Cell[]): ClaimResult[] {
  const claims: ClaimResult[] = [];
  for (const cell of cells) {
    for (const out of cell.outputs ?? []) {
      const record = out.data?.[CLAIM_MIME] as ClaimResult | undefined;
      if (record && typeof record.name === "string" && typeof record.passed === "boolean") {
        claims.push({
          name: record.name,
          passed: record.passed,
          measured: record.measured,
          expected: record.expected,
          ...(record.knownFailure ? { knownFailure: record.knownFailure } : {}),
        });
      }
    }
  }
  return claims;
}

/** How many of the slowest cells a result keeps. */
const SLOWEST_CELLS = 3;

/** The slowest cells, slowest first. */
function slowest(cells: CellTiming[]): CellTiming[] {
  return [...cells].sort((a, b) => b.seconds - a.seconds).slice(0, SLOWEST_CELLS);
}

/** Executes `file` and returns the executed notebook; never throws for notebook faults (they become the status). */
export async function executeNotebook(file: string, options: ExecuteOptions): Promise<ExecuteResult> {
  const started = Date.now();
  const source = readNotebook(file);
  const notebook: Notebook = JSON.parse(JSON.stringify(source));
  const seconds = () => (Date.now() - started) / 1000;
  const codeCells = notebook.cells.filter((c) => c.cell_type === "code");
  for (const cell of codeCells) {
    cell.outputs = [];
    cell.execution_count = null;
    delete cell.metadata.execution;
  }
  const cellTimes: CellTiming[] = [];
  let kernelSeconds = 0;
  const timing = (): NotebookTiming => ({ kernelSeconds, slowestCells: slowest(cellTimes) });

  let kernel: Kernel;
  try {
    const kernelStarted = Date.now();
    kernel = await Kernel.start({
      cwd: options.cwd ?? path.dirname(path.resolve(file)),
      argv: options.kernelArgv,
      env: { REPROBOOK_SCALE: options.scale, REPROBOOK_SEED: String(options.seed), ...options.env },
    });
    kernelSeconds = (Date.now() - kernelStarted) / 1000;
  } catch (err) {
    return { status: "error", seconds: seconds(), timing: timing(), claims: [], error: { ename: "KernelStartError", evalue: (err as Error).message, traceback: [] }, notebook };
  }
  options.onKernel?.(kernel);

  let status: ExecuteResult["status"] = "passed";
  let error: NotebookError | undefined;
  let count = 0;
  try {
    for (const [index, cell] of codeCells.entries()) {
      const code = joinSource(cell.source);
      if (!code.trim()) continue;
      const collector = new OutputCollector();
      const cellStarted = new Date();
      try {
        const reply = await kernel.execute(code, (msg) => collector.add(msg), options.cellTimeout * 1000);
        cell.execution_count = reply.execution_count ?? ++count;
        count = cell.execution_count ?? count;
        cell.outputs = collector.finish();
        if (reply.status !== "ok") {
          const errorOutput = cell.outputs.find((o) => o.output_type === "error") ??
            errorFromStderr(collector.stderr(), `cell ${index + 1} failed (status ${reply.status})`);
          if (!cell.outputs.includes(errorOutput)) cell.outputs.push(errorOutput);
          status = "error";
          error = { ename: errorOutput.ename ?? "Error", evalue: errorOutput.evalue ?? "", traceback: errorOutput.traceback ?? [], cell: index };
          break;
        }
      } catch (err) {
        cell.outputs = collector.finish();
        if (err instanceof KernelTimeoutError) {
          status = "timeout";
          error = { ename: "Timeout", evalue: `cell ${index + 1} ${err.message.replace(/^the cell /, "")}; it was interrupted`, traceback: [], cell: index };
          // The notebook stops here either way: interrupt (tslab can abort a pending await), give it a moment
          // to wind down, then kill, since a busy loop cannot be interrupted.
          kernel.interrupt();
          if (!(await kernel.waitForExit(1000))) kernel.kill();
        } else if (err instanceof KernelDiedError) {
          status = "error";
          error = { ename: "KernelDied", evalue: `while running cell ${index + 1}, ${err.message}`, traceback: [], cell: index };
        } else throw err;
        cell.outputs.push({ output_type: "error", ename: error.ename, evalue: error.evalue, traceback: [error.evalue] });
        break;
      } finally {
        // The keys JupyterLab writes when it records timing, so its "executed in …" display works on our copies.
        const cellFinished = new Date();
        cell.metadata.execution = { "shell.execute_reply.started": cellStarted.toISOString(), "shell.execute_reply": cellFinished.toISOString() };
        cellTimes.push({ cell: notebook.cells.indexOf(cell) + 1, seconds: (cellFinished.getTime() - cellStarted.getTime()) / 1000 });
        options.onCell?.(index, codeCells.length);
      }
    }
  } finally {
    options.onKernel?.(null);
    await kernel.shutdown();
  }

  const claims = claimsOf(notebook.cells);
  if (status === "passed") {
    if (claims.some((c) => !c.passed)) status = "failed";
    else if (options.requireClaims && claims.length === 0) {
      status = "error";
      error = { ename: "NoClaim", evalue: "the notebook recorded no claim check: every notebook ends with claim(...) calls", traceback: [] };
    }
  }
  const finalTiming = timing();
  notebook.metadata.reprobook = { scale: options.scale, seed: options.seed, status, seconds: seconds(), timing: finalTiming, claims, executedAt: new Date(started).toISOString() };
  return { status, seconds: seconds(), timing: finalTiming, claims, error, notebook };
}
