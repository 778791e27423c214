/**
 * Progress of a run: on a terminal, a live view (overall bar, each running notebook with its elapsed time and
 * cell); elsewhere (CI, logs), one plain line per event. Ends with a summary table either way.
 */
import { isExplainedFailure, SCALE_BUDGET_SECONDS, type NotebookResult } from "./results";

export interface ProgressReporter {
  start(total: number, jobs: number): void;
  begin(name: string): void;
  cell(name: string, index: number, total: number): void;
  end(result: NotebookResult): void;
  message(text: string): void;
  finish(results: NotebookResult[]): void;
}

const MARK: Record<string, string> = { passed: "✔", failed: "✘", error: "✘", timeout: "⏱", skipped: "–" };

/**
 * "over the 10 s smoke budget: kernel start 2.3 s, cell 7 5.1 s, …" for an executed notebook that ran longer than
 * its scale's budget, else null. Names where the time went, so the author knows which cell to shrink.
 */
export function overBudget(r: NotebookResult): string | null {
  const budget = SCALE_BUDGET_SECONDS[r.scale];
  if (r.cached || budget === undefined || r.seconds <= budget) return null;
  const parts = r.timing
    ? [`kernel start ${r.timing.kernelSeconds.toFixed(1)} s`, ...r.timing.slowestCells.map((c) => `cell ${c.cell} ${c.seconds.toFixed(1)} s`)]
    : [];
  return `over the ${budget} s ${r.scale} budget${parts.length ? `: ${parts.join(", ")}` : ""}`;
}

function describe(r: NotebookResult): string {
  const claims = r.claims.length ? `, ${r.claims.filter((c) => c.passed).length}/${r.claims.length} claims` : "";
  const why = r.error ? `: ${r.error.ename}: ${r.error.evalue.split("\n")[0]}` : "";
  const slow = overBudget(r);
  return `${MARK[r.status] ?? "?"} ${r.status.padEnd(7)} ${r.family}/${r.slug} (${r.cached ? "cached" : `${r.seconds.toFixed(1)} s`}${claims})${why}${slow ? ` — ${slow}` : ""}`;
}

/** The final table: one row per notebook, then totals. */
export function summaryTable(results: NotebookResult[], jobs = 1): string {
  const rows = results.map((r) => [r.family + "/" + r.slug, r.status, r.cached ? "cached" : r.seconds.toFixed(1), `${r.claims.filter((c) => c.passed).length}/${r.claims.length}`]);
  const header = ["notebook", "status", "seconds", "claims"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const explained = results.filter(isExplainedFailure).length;
  const totals = [...counts].map(([s, n]) => (s === "failed" && explained ? `${n} failed (${explained} with every failing claim explained)` : `${n} ${s}`)).join(", ");
  const failedClaims = results.flatMap((r) =>
    r.claims
      .filter((c) => !c.passed)
      .map((c) => `  ✘ ${r.slug}: ${c.name} (expected ${c.expected})${c.knownFailure ? ` — known failure: ${c.knownFailure}` : ""}`),
  );
  const slow = results.flatMap((r) => {
    const note = overBudget(r);
    return note ? [`  ⏲ ${r.slug}: ${note}`] : [];
  });
  const parallel = jobs > 1 ? `; the budgets are for one notebook at a time, and this run had ${jobs} in parallel` : "";
  const slowLines = slow.length ? [`${slow.length} notebook${slow.length === 1 ? "" : "s"} over the time budget (not a failure${parallel}; see docs/writing-a-notebook.md):`, ...slow] : [];
  return [line(header), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line), "", `${results.length} notebooks: ${totals || "none"}`, ...failedClaims, ...slowLines].join("\n");
}

export class PlainProgress implements ProgressReporter {
  private done = 0;
  private total = 0;
  private jobs = 1;
  constructor(private readonly write: (line: string) => void = (l) => process.stdout.write(l + "\n")) {}
  start(total: number, jobs: number): void {
    this.total = total;
    this.jobs = jobs;
    this.write(`reproduce: ${total} notebook${total === 1 ? "" : "s"}, ${jobs} in parallel`);
  }
  begin(name: string): void {
    this.write(`[${this.done}/${this.total}] start   ${name}`);
  }
  cell(): void {}
  end(result: NotebookResult): void {
    this.done++;
    this.write(`[${this.done}/${this.total}] ${describe(result)}`);
  }
  message(text: string): void {
    this.write(text);
  }
  finish(results: NotebookResult[]): void {
    this.write("\n" + summaryTable(results, this.jobs));
  }
}

export class TtyProgress implements ProgressReporter {
  private done = 0;
  private total = 0;
  private jobs = 1;
  private readonly running = new Map<string, { since: number; cell: string }>();
  private drawnLines = 0;
  private timer?: NodeJS.Timeout;
  constructor(private readonly stream: NodeJS.WriteStream = process.stdout) {}

  start(total: number, jobs: number): void {
    this.total = total;
    this.jobs = jobs;
    this.stream.write(`reproduce: ${total} notebook${total === 1 ? "" : "s"}, ${jobs} in parallel\n`);
    this.timer = setInterval(() => this.draw(), 250);
    this.timer.unref();
  }
  begin(name: string): void {
    this.running.set(name, { since: Date.now(), cell: "" });
    this.draw();
  }
  cell(name: string, index: number, total: number): void {
    const r = this.running.get(name);
    if (r) r.cell = `cell ${index + 1}/${total}`;
  }
  end(result: NotebookResult): void {
    this.done++;
    this.running.delete(`${result.family}/${result.slug}`);
    this.print(describe(result));
  }
  message(text: string): void {
    this.print(text);
  }
  finish(results: NotebookResult[]): void {
    clearInterval(this.timer);
    this.clear();
    this.stream.write("\n" + summaryTable(results, this.jobs) + "\n");
  }
  private clear(): void {
    if (this.drawnLines) this.stream.write(`\x1b[${this.drawnLines}A\x1b[J`);
    this.drawnLines = 0;
  }
  private print(line: string): void {
    this.clear();
    this.stream.write(line + "\n");
    this.draw();
  }
  private draw(): void {
    this.clear();
    const width = 30;
    const filled = this.total ? Math.round((width * this.done) / this.total) : width;
    const lines = [`[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${this.done}/${this.total}`];
    for (const [name, r] of this.running) lines.push(`  ▸ ${name}  ${((Date.now() - r.since) / 1000).toFixed(0)} s  ${r.cell}`);
    this.stream.write(lines.join("\n") + "\n");
    this.drawnLines = lines.length;
  }
}

export function progressFor(stream: NodeJS.WriteStream = process.stdout): ProgressReporter {
  return stream.isTTY && !process.env.CI ? new TtyProgress(stream) : new PlainProgress();
}
