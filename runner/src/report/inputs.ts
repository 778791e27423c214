/**
 * Reading and checking the report's inputs: out/results.json (written by the runner), the executed notebooks
 * and notebooks/catalog.json. Every error names the file, says what is wrong and what to do.
 */
import * as fs from "fs";
import * as path from "path";

export type RunStatus = "passed" | "failed" | "error" | "timeout" | "skipped";
export const RUN_STATUSES: readonly RunStatus[] = ["passed", "failed", "error", "timeout", "skipped"];

export type Measured = number | Record<string, number>;

export interface ClaimResult {
  name: string;
  passed: boolean;
  measured: Measured;
  expected: string;
  /** The notebook's stated reason for an honest failure. */
  knownFailure?: string;
}

export interface RunError {
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface NotebookResult {
  slug: string;
  family: string;
  /** Source notebook, relative to the repository root. */
  path: string;
  /** Executed notebook, relative to the output folder. */
  output: string;
  scale: string;
  seed: number | string | null;
  status: RunStatus;
  seconds: number | null;
  /** Kernel start-up and the slowest cells, when the runner recorded them. */
  timing?: NotebookTiming;
  claims: ClaimResult[];
  error?: RunError | string;
  /** True when the runner reused this result from an earlier run. */
  cached?: boolean;
}

export interface Environment {
  node?: string;
  tslab?: string;
  tfjsBackend?: string;
  cpu?: string;
  commit?: string;
  libHash?: string;
  cores?: string;
  platform?: string;
  packages: Record<string, string>;
  [key: string]: unknown;
}

export interface Results {
  generatedAt: string;
  environment: Environment;
  notebooks: NotebookResult[];
}

export interface CatalogEntry {
  n?: number;
  slug: string;
  title: string;
  family: string;
  arxiv: string;
  year?: number;
  tier?: string;
  key_figure?: string;
  claim?: string;
  [key: string]: unknown;
}

/** An input file that is missing, unreadable or does not follow its contract. */
export class ReportInputError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = "ReportInputError";
  }
}

/** Reads and parses a JSON file; the error names the file and says what to do. */
export function readJsonFile(file: string, what: string, remedy: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "does not exist" : `cannot be read (${(e as Error).message})`;
    throw new ReportInputError(file, `${file}: the ${what} ${reason}; ${remedy}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    const detail = text.trim() === "" ? "the file is empty" : (e as Error).message;
    throw new ReportInputError(file, `${file}: the ${what} is not valid JSON (${detail}); ${remedy}`);
  }
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Slugs become file names: letters, digits, "-", "_" and "." only, not starting with a dot. */
export const SLUG_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const RESULTS_REMEDY = "run `npm run reproduce` to write it again (or fix the runner that wrote it)";

function checkClaim(file: string, where: string, c: unknown): ClaimResult {
  const bad = (what: string) => new ReportInputError(file, `${file}: ${where} ${what}; ${RESULTS_REMEDY}`);
  if (!isRecord(c)) throw bad("is not an object {name, passed, measured, expected}");
  if (typeof c.name !== "string") throw bad("has no string `name`");
  if (typeof c.passed !== "boolean") throw bad("has no boolean `passed`");
  const m = c.measured;
  const measuredOk =
    typeof m === "number" || (isRecord(m) && Object.values(m).every((v) => typeof v === "number" || v === null));
  if (!measuredOk) throw bad("has a `measured` that is neither a number nor an object of numbers");
  const claim: ClaimResult = { name: c.name, passed: c.passed, measured: m as Measured, expected: typeof c.expected === "string" ? c.expected : String(c.expected ?? "") };
  if (typeof c.knownFailure === "string" && c.knownFailure.trim()) claim.knownFailure = c.knownFailure;
  return claim;
}

function checkError(value: unknown): RunError | string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (isRecord(value)) {
    return {
      ename: String(value.ename ?? "Error"),
      evalue: String(value.evalue ?? ""),
      traceback: Array.isArray(value.traceback) ? value.traceback.map((l) => String(l)) : [],
    };
  }
  return String(value);
}

/** Checks the shape of results.json (the runner's contract) and returns it typed. */
export function checkResults(file: string, data: unknown): Results {
  const bad = (what: string) => new ReportInputError(file, `${file}: ${what}; ${RESULTS_REMEDY}`);
  if (!isRecord(data)) throw bad("expected an object {generatedAt, environment, notebooks}");
  if (!Array.isArray(data.notebooks)) throw bad("`notebooks` must be an array of notebook results");
  const env = isRecord(data.environment) ? data.environment : {};
  const packages: Record<string, string> = {};
  if (isRecord(env.packages)) for (const [k, v] of Object.entries(env.packages)) packages[k] = String(v);
  const environment: Environment = { ...env, packages };
  for (const key of ["node", "tslab", "tfjsBackend", "cpu", "cores", "platform", "commit", "libHash"] as const) {
    if (env[key] !== undefined && env[key] !== null) environment[key] = String(env[key]);
  }
  const seen = new Set<string>();
  const notebooks = data.notebooks.map((nb, i): NotebookResult => {
    const where = `notebooks[${i}]`;
    if (!isRecord(nb)) throw bad(`${where} is not an object`);
    if (typeof nb.slug !== "string" || !SLUG_RE.test(nb.slug)) {
      throw bad(`${where}.slug ${JSON.stringify(nb.slug)} is not a valid slug (letters, digits, ".", "_", "-")`);
    }
    const label = `${where} (${nb.slug})`;
    if (seen.has(nb.slug)) throw bad(`${label}: slug "${nb.slug}" appears twice`);
    seen.add(nb.slug);
    if (typeof nb.status !== "string" || !RUN_STATUSES.includes(nb.status as RunStatus)) {
      throw bad(`${label}.status is ${JSON.stringify(nb.status)}, expected one of ${RUN_STATUSES.join(", ")}`);
    }
    if (nb.claims !== undefined && !Array.isArray(nb.claims)) throw bad(`${label}.claims must be an array`);
    const claims = ((nb.claims as unknown[] | undefined) ?? []).map((c, j) => checkClaim(file, `${label}.claims[${j}]`, c));
    const status = nb.status as RunStatus;
    if (status !== "skipped" && (typeof nb.output !== "string" || nb.output === "")) {
      throw bad(`${label}.output must name the executed notebook (a path relative to the output folder)`);
    }
    return {
      slug: nb.slug,
      family: typeof nb.family === "string" ? nb.family : "",
      path: typeof nb.path === "string" ? nb.path : "",
      output: typeof nb.output === "string" ? nb.output : "",
      scale: nb.scale === undefined || nb.scale === null ? "" : String(nb.scale),
      seed: typeof nb.seed === "number" || typeof nb.seed === "string" ? nb.seed : null,
      status,
      seconds: typeof nb.seconds === "number" && Number.isFinite(nb.seconds) ? nb.seconds : null,
      timing: checkTiming(nb.timing),
      claims,
      error: checkError(nb.error),
      cached: nb.cached === true,
    };
  });
  return {
    generatedAt: typeof data.generatedAt === "string" ? data.generatedAt : "",
    environment,
    notebooks,
  };
}

export interface NotebookTiming {
  kernelSeconds: number;
  slowestCells: Array<{ cell: number; seconds: number }>;
}

/** The timing record if it is well formed; a malformed one is dropped (it is informative, never essential). */
function checkTiming(t: unknown): NotebookTiming | undefined {
  const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
  if (!t || typeof t !== "object") return undefined;
  const { kernelSeconds, slowestCells } = t as Record<string, unknown>;
  if (!finite(kernelSeconds) || !Array.isArray(slowestCells)) return undefined;
  const cells = slowestCells.filter((c): c is { cell: number; seconds: number } => !!c && finite(c.cell) && finite(c.seconds));
  return { kernelSeconds, slowestCells: cells.map((c) => ({ cell: c.cell, seconds: c.seconds })) };
}

/** Reads out/results.json. */
export function loadResults(file: string): Results {
  return checkResults(file, readJsonFile(file, "results file", RESULTS_REMEDY));
}

const CATALOG_REMEDY = "restore it from git (`git checkout -- notebooks/catalog.json`) or pass the right catalogPath";

/** Checks the catalog: an array of papers, each with at least slug, title and family. */
export function checkCatalog(file: string, data: unknown): CatalogEntry[] {
  const bad = (what: string) => new ReportInputError(file, `${file}: ${what}; ${CATALOG_REMEDY}`);
  if (!Array.isArray(data)) throw bad("expected an array of papers");
  const seen = new Set<string>();
  return data.map((p, i): CatalogEntry => {
    if (!isRecord(p)) throw bad(`entry ${i} is not an object`);
    if (typeof p.slug !== "string" || !SLUG_RE.test(p.slug)) throw bad(`entry ${i} has no valid \`slug\``);
    if (seen.has(p.slug)) throw bad(`slug "${p.slug}" appears twice`);
    seen.add(p.slug);
    if (typeof p.title !== "string") throw bad(`entry ${i} (${p.slug}) has no string \`title\``);
    if (typeof p.family !== "string") throw bad(`entry ${i} (${p.slug}) has no string \`family\``);
    return { ...p, slug: p.slug, title: p.title, family: p.family, arxiv: typeof p.arxiv === "string" ? p.arxiv.trim() : "" };
  });
}

/** Reads notebooks/catalog.json. */
export function loadCatalog(file: string): CatalogEntry[] {
  return checkCatalog(file, readJsonFile(file, "paper catalog", CATALOG_REMEDY));
}

/** An nbformat-4 notebook, as far as the report reads it. */
export interface Notebook {
  nbformat?: number;
  metadata: Record<string, unknown>;
  cells: Cell[];
}

export interface Cell {
  cell_type: string;
  source: string | string[];
  metadata?: Record<string, unknown>;
  execution_count?: number | null;
  outputs?: Output[];
  attachments?: Record<string, Record<string, unknown>>;
}

export interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  execution_count?: number | null;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

/** Reads an executed notebook and checks its structure (nbformat 4: cells with sources and outputs). */
export function loadNotebook(file: string): Notebook {
  const remedy = "run the notebook again (`npm run reproduce`) to write a fresh copy";
  const data = readJsonFile(file, "executed notebook", remedy);
  const bad = (what: string) => new ReportInputError(file, `${file}: ${what}; ${remedy}`);
  if (!isRecord(data)) throw bad("is not a notebook (expected a JSON object with `cells`)");
  if (typeof data.nbformat === "number" && data.nbformat !== 4) throw bad(`has nbformat ${data.nbformat}, the report reads nbformat 4`);
  if (!Array.isArray(data.cells)) throw bad("has no `cells` array");
  data.cells.forEach((cell, i) => {
    if (!isRecord(cell) || typeof cell.cell_type !== "string") throw bad(`cell ${i} has no \`cell_type\``);
    if (typeof cell.source !== "string" && !Array.isArray(cell.source)) throw bad(`cell ${i} has no \`source\``);
    if (cell.outputs !== undefined && !Array.isArray(cell.outputs)) throw bad(`cell ${i}: \`outputs\` is not an array`);
    ((cell.outputs as unknown[] | undefined) ?? []).forEach((o, j) => {
      if (!isRecord(o) || typeof o.output_type !== "string") throw bad(`cell ${i}, output ${j} has no \`output_type\``);
    });
  });
  return { nbformat: data.nbformat as number | undefined, metadata: isRecord(data.metadata) ? data.metadata : {}, cells: data.cells as Cell[] };
}

/** Resolves `relative` inside `root`; null if it would leave `root` (e.g. "../../etc/passwd"). */
export function resolveInside(root: string, relative: string): string | null {
  const full = path.resolve(root, relative);
  const rel = path.relative(root, full);
  if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) return null;
  return full;
}
