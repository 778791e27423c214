/**
 * out/results.json: what a run measured, one entry per notebook, plus the environment it ran in.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot } from "./kernel";

/** passed: ran and every claim held; failed: a claim failed; error/timeout: did not finish; skipped: not run. */
export type Status = "passed" | "failed" | "error" | "timeout" | "skipped";

export interface ClaimResult {
  name: string;
  passed: boolean;
  measured: number | Record<string, number>;
  expected: string;
  /** The notebook's stated reason for an honest failure (see lib's ClaimOptions.knownFailure). */
  knownFailure?: string;
}

export interface NotebookError {
  ename: string;
  evalue: string;
  traceback: string[];
  /** Index of the failing code cell, when one failed. */
  cell?: number;
}

/** One cell's wall-clock time; `cell` counts every cell of the notebook from 1, markdown included. */
export interface CellTiming {
  cell: number;
  seconds: number;
}

/** Where a notebook's time went. */
export interface NotebookTiming {
  /** Starting the tslab kernel, before the first cell. */
  kernelSeconds: number;
  /** The slowest code cells, slowest first (at most 3). */
  slowestCells: CellTiming[];
}

/** Time budgets of a whole notebook per scale (docs/writing-a-notebook.md); `full` has none. */
export const SCALE_BUDGET_SECONDS: Record<string, number> = { smoke: 10, default: 60 };

export interface NotebookResult {
  slug: string;
  family: string;
  /** Source notebook, relative to the repository root. */
  path: string;
  /** Executed notebook, relative to the output dir. */
  output: string;
  scale: string;
  seed: number;
  status: Status;
  seconds: number;
  /** Kernel start-up and the slowest cells (absent in results written before it was recorded). */
  timing?: NotebookTiming;
  claims: ClaimResult[];
  error?: NotebookError;
  /** Content hash of everything the result depends on (see cache.ts). */
  hash?: string;
  /** True when this result was reused from an earlier run instead of executing again. */
  cached?: boolean;
}

export interface Environment {
  node: string;
  tslab: string;
  tfjsBackend: string;
  cpu: string;
  cores: number;
  platform: string;
  commit: string;
  libHash: string;
  packages: Record<string, string>;
}

export interface Results {
  generatedAt: string;
  environment: Environment;
  notebooks: NotebookResult[];
}

function packageVersion(name: string): string {
  try {
    return JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`, { paths: [repoRoot, path.join(repoRoot, "lib")] }), "utf8")).version;
  } catch {
    return "not installed";
  }
}

/** The git commit of the repository (with "+dirty" when there are uncommitted changes), or "unknown". */
export function gitCommit(): string {
  try {
    const sha = execFileSync("git", ["rev-parse", "HEAD"], { cwd: repoRoot, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "lib", "notebooks", "runner"], { cwd: repoRoot, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
    return dirty ? `${sha}+dirty` : sha;
  } catch {
    return "unknown";
  }
}

/** Which tfjs backend the library picks on this machine (asked in a child process, as a kernel would). */
export function detectTfjsBackend(): string {
  const script =
    "const lib = require('@reprobook/lib');" +
    "Promise.resolve(typeof lib.ready === 'function' ? lib.ready() : null)" +
    ".then(() => { const info = typeof lib.backendInfo === 'function' ? lib.backendInfo() : null;" +
    " process.stdout.write(info ? String(info.name) + (info.reason ? ' (' + info.reason + ')' : '') : 'not configured'); })" +
    ".catch((e) => process.stdout.write('unavailable: ' + e.message));";
  try {
    return execFileSync(process.execPath, ["-e", script], { cwd: repoRoot, timeout: 60000, stdio: ["ignore", "pipe", "ignore"] }).toString().trim() || "unknown";
  } catch {
    return "unknown";
  }
}

export function environment(libHash: string, tfjsBackend: string): Environment {
  const names = ["tslab", "zeromq", "@tensorflow/tfjs-core", "@tensorflow/tfjs-backend-wasm", "vega", "vega-lite", "typescript"];
  return {
    node: process.version,
    tslab: packageVersion("tslab"),
    tfjsBackend,
    cpu: `${os.cpus()[0]?.model ?? "unknown"} × ${os.cpus().length}`,
    cores: os.cpus().length,
    platform: `${process.platform}-${process.arch}`,
    commit: gitCommit(),
    libHash,
    packages: Object.fromEntries(names.map((n) => [n, packageVersion(n)])),
  };
}

/** Reads a results file, with an error naming the file when it is missing or corrupt. */
export function readResults(file: string): Results {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`cannot read results file ${file}: ${(err as Error).message}. Run \`npm run reproduce\` first.`);
  }
  let results: Results;
  try {
    results = JSON.parse(text);
  } catch (err) {
    throw new Error(`results file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (!results || !Array.isArray(results.notebooks)) throw new Error(`results file ${file} has no "notebooks" list`);
  return results;
}

/** Writes results atomically (a crash mid-write never leaves a half file). */
export function writeResults(file: string, results: Results): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(results, null, 2) + "\n");
  fs.renameSync(tmp, file);
}

/** A failed notebook whose every failing claim states why (knownFailure): reported as failed, but expected. */
export function isExplainedFailure(n: NotebookResult): boolean {
  return n.status === "failed" && n.claims.every((c) => c.passed || !!c.knownFailure);
}

/**
 * A run fails when any notebook errors, times out, or has a failing claim that does not say why.
 * Skipped notebooks and explained failures do not fail it (the report still shows them as failed).
 */
export function exitCodeFor(results: Results): number {
  return results.notebooks.every((n) => n.status === "passed" || n.status === "skipped" || isExplainedFailure(n)) ? 0 : 1;
}
