/**
 * A run: executes the selected notebooks with a pool of kernels, writes each executed notebook and the results
 * file as soon as a notebook finishes (so an interrupted run keeps everything that finished), and reuses cached
 * results of unchanged notebooks.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { cachedResult, libraryHash, notebookHash } from "./cache";
import type { NotebookEntry } from "./discover";
import { executeNotebook } from "./execute";
import type { Kernel } from "./kernel";
import type { ProgressReporter } from "./progress";
import { NotebookResult, Results, detectTfjsBackend, environment, readResults, writeResults } from "./results";

export interface RunOptions {
  scale: string;
  seed: number;
  jobs: number;
  outDir: string;
  cache: boolean;
  cellTimeout: number;
  progress: ProgressReporter;
  /** Command that starts the kernel (tests); default this repo's tslab. */
  kernelArgv?: string[];
  /** Aborting stops new notebooks and kills running kernels; finished results are kept. */
  signal?: AbortSignal;
}

/** Where the executed copy of a notebook goes, relative to the output dir. */
export function outputPathFor(entry: NotebookEntry): string {
  return path.join("notebooks", entry.family, `${entry.slug}.ipynb`);
}

function previousResults(file: string): NotebookResult[] {
  if (!fs.existsSync(file)) return [];
  try {
    return readResults(file).notebooks;
  } catch {
    return []; // a corrupt old file only disables the cache
  }
}

export async function runNotebooks(entries: NotebookEntry[], options: RunOptions): Promise<Results> {
  const outDir = path.resolve(options.outDir);
  const resultsFile = path.join(outDir, "results.json");
  const previous = previousResults(resultsFile);
  const libHash = libraryHash();
  const results: Results = {
    generatedAt: new Date().toISOString(),
    environment: environment(libHash, detectTfjsBackend()),
    notebooks: [],
  };
  const selected = new Set(entries.map((e) => e.slug));
  const finished = new Map<string, NotebookResult>();
  const save = () => {
    // Results of notebooks outside this selection stay in the file (the report shows the latest of each). The file
    // is read again at every save, so runs of other notebooks into the same folder at the same time are kept too.
    const kept = previousResults(resultsFile).filter((r) => !selected.has(r.slug));
    results.notebooks = [...kept, ...entries.flatMap((e) => (finished.has(e.slug) ? [finished.get(e.slug)!] : []))];
    writeResults(resultsFile, results);
  };

  const kernels = new Set<Kernel>();
  const onAbort = () => {
    for (const k of kernels) k.kill();
  };
  options.signal?.addEventListener("abort", onAbort);

  options.progress.start(entries.length, Math.min(options.jobs, Math.max(entries.length, 1)));
  const queue = [...entries];
  const worker = async () => {
    for (let entry = queue.shift(); entry; entry = queue.shift()) {
      const name = `${entry.family}/${entry.slug}`;
      const base = { slug: entry.slug, family: entry.family, path: entry.path, output: outputPathFor(entry), scale: options.scale, seed: options.seed };
      if (options.signal?.aborted) {
        finished.set(entry.slug, { ...base, status: "skipped", seconds: 0, claims: [], error: { ename: "Interrupted", evalue: "the run was interrupted before this notebook started", traceback: [] } });
        continue;
      }
      const hash = notebookHash(entry.file, libHash, options.scale, options.seed);
      const hit = options.cache ? cachedResult(previous, entry.slug, hash, outDir) : undefined;
      let result: NotebookResult;
      if (hit) {
        result = { ...hit, path: entry.path };
      } else {
        options.progress.begin(name);
        let current: Kernel | null = null;
        const executed = await executeNotebook(entry.file, {
          scale: options.scale,
          seed: options.seed,
          cellTimeout: options.cellTimeout,
          kernelArgv: options.kernelArgv,
          requireClaims: entry.paper !== undefined,
          onCell: (i, n) => options.progress.cell(name, i, n),
          onKernel: (k) => {
            if (current) kernels.delete(current);
            current = k;
            if (k) kernels.add(k);
          },
        });
        const outFile = path.join(outDir, base.output);
        fs.mkdirSync(path.dirname(outFile), { recursive: true });
        fs.writeFileSync(outFile, JSON.stringify(executed.notebook, null, 1) + "\n");
        const interrupted = options.signal?.aborted && executed.status !== "passed" && executed.status !== "failed";
        result = {
          ...base,
          status: interrupted ? "skipped" : executed.status,
          seconds: executed.seconds,
          timing: executed.timing,
          claims: executed.claims,
          ...(interrupted
            ? { error: { ename: "Interrupted", evalue: "the run was interrupted while this notebook ran", traceback: [] } }
            : executed.error
              ? { error: executed.error }
              : {}),
          hash,
        };
      }
      finished.set(entry.slug, result);
      save();
      options.progress.end(result);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, entries.length)) }, worker));
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
  }
  save();
  options.progress.finish(entries.map((e) => finished.get(e.slug)!).filter(Boolean));
  return { ...results, notebooks: entries.map((e) => finished.get(e.slug)!) };
}
