/** The HTML pages of the report: the index (every catalog paper) and one page per executed notebook. */
import { stripAnsi } from "./ansi";
import { escapeHtml, formatNumber, formatSeconds } from "./html";
import type { CatalogEntry, Environment, NotebookResult, Results, RunError } from "./inputs";
import { claimsTable, knownFailure, verdictBadge } from "./notebook";

/** A paper's status in the report. */
export type RowStatus = "passed" | "failed" | "error" | "timeout" | "notyet";

export const ROW_STATUSES: readonly RowStatus[] = ["passed", "failed", "error", "timeout", "notyet"];

/** Label and symbol of each status: the colour is never the only signal. */
export const STATUS_LABELS: Record<RowStatus, { label: string; symbol: string }> = {
  passed: { label: "passed", symbol: "✓" },
  failed: { label: "failed claim", symbol: "✗" },
  error: { label: "error", symbol: "!" },
  timeout: { label: "timeout", symbol: "◷" },
  notyet: { label: "not yet", symbol: "–" },
};

export function rowStatus(result: NotebookResult | null | undefined): RowStatus {
  if (!result || result.status === "skipped") return "notyet";
  return result.status;
}

export function statusBadge(status: RowStatus, note?: string): string {
  const { label, symbol } = STATUS_LABELS[status];
  const title = note ? ` title="${escapeHtml(note)}"` : "";
  return `<span class="badge status-${status}"${title}><span aria-hidden="true">${symbol}</span> ${escapeHtml(label)}</span>`;
}

/** One row of the index: a catalog paper (or a result whose slug is not in the catalog) and its result. */
export interface PaperRow {
  slug: string;
  entry: CatalogEntry | null;
  result: NotebookResult | null;
  status: RowStatus;
  family: string;
  /** The paper's page, relative to the report folder ("papers/<slug>.html"), if it has one. */
  page: string | null;
  /** The gallery thumbnail, relative to the report folder, if any. */
  figure: string | null;
}

interface LayoutOptions {
  title: string;
  /** "" for the index, "../" for pages one folder down. */
  root: string;
  body: string;
  styles?: string[];
  scripts?: string[];
  bodyClass?: string;
}

/** The common page frame: local styles and scripts only (the report works offline, from file://). */
export function layout(o: LayoutOptions): string {
  const styles = [...(o.styles ?? []), "assets/report.css"].map((s) => `<link rel="stylesheet" href="${o.root}${s}">`).join("\n");
  const scripts = [...(o.scripts ?? []), "assets/report.js"].map((s) => `<script src="${o.root}${s}"></script>`).join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="reprobook report">
<title>${escapeHtml(o.title)}</title>
<link rel="icon" href="data:,">
${styles}
</head>
<body${o.bodyClass ? ` class="${o.bodyClass}"` : ""}>
${o.body}
${scripts}
</body>
</html>
`;
}

export function arxivLink(arxiv: string, text: string): string {
  const id = arxiv.trim();
  if (!id) return escapeHtml(text);
  return `<a href="https://arxiv.org/abs/${encodeURIComponent(id).replace(/%2F/gi, "/")}" rel="noopener">${escapeHtml(text)}</a>`;
}

export function errorSummary(error: RunError | string | undefined): string {
  if (!error) return "";
  if (typeof error === "string") return stripAnsi(error).split("\n")[0];
  return stripAnsi(`${error.ename}: ${error.evalue}`).split("\n")[0];
}

function runtime(result: NotebookResult | null): string {
  return result ? formatSeconds(result.seconds) : "";
}

function claimsCell(row: PaperRow): string {
  const r = row.result;
  if (!r || r.status === "skipped") return "";
  const items = r.claims.map((c) => {
    const measured =
      typeof c.measured === "number"
        ? formatNumber(c.measured)
        : Object.entries(c.measured)
            .map(([k, v]) => `${k} = ${typeof v === "number" ? formatNumber(v) : String(v)}`)
            .join(", ");
    return (
      `<li class="${c.passed ? "claim-passed" : "claim-failed"}">${verdictBadge(c.passed)} ${escapeHtml(c.name)}` +
      `<div class="claim-values">measured <span class="num">${escapeHtml(measured)}</span>; expected <span class="num">${escapeHtml(c.expected)}</span></div>${knownFailure(c)}</li>`
    );
  });
  const error = errorSummary(r.error);
  const errorHtml = error ? `<div class="row-error">${escapeHtml(error)}</div>` : "";
  if (!items.length && !errorHtml) return `<span class="muted">no claim recorded</span>`;
  return (items.length ? `<ul class="claim-list">${items.join("")}</ul>` : "") + errorHtml;
}

function paperRow(row: PaperRow): string {
  const e = row.entry;
  const title = e?.title ?? row.slug;
  const year = e?.year ? ` <span class="muted">(${escapeHtml(e.year)})</span>` : "";
  const page = row.page ? ` <a class="page-link" href="${escapeHtml(row.page)}">report&nbsp;→</a>` : "";
  const skipped = row.result?.status === "skipped" ? "skipped in this run" : undefined;
  const r = row.result;
  return (
    `<tr id="paper-${escapeHtml(row.slug)}" data-slug="${escapeHtml(row.slug)}" data-family="${escapeHtml(row.family)}" data-status="${row.status}">` +
    `<td class="num">${e?.n ?? ""}</td>` +
    `<td class="paper">${arxivLink(e?.arxiv ?? "", title)}${year}${page}</td>` +
    `<td>${escapeHtml(row.family)}</td>` +
    `<td>${escapeHtml(e?.tier ?? "")}</td>` +
    `<td>${statusBadge(row.status, skipped)}</td>` +
    `<td class="claims-cell">${claimsCell(row)}</td>` +
    `<td>${escapeHtml(r && r.status !== "skipped" ? r.scale : "")}</td>` +
    `<td class="num">${escapeHtml(r && r.status !== "skipped" && r.seed !== null ? r.seed : "")}</td>` +
    `<td class="num runtime">${escapeHtml(r && r.status !== "skipped" ? runtime(r) : "")}</td>` +
    `</tr>`
  );
}

function totalsTable(rows: readonly PaperRow[], families: readonly string[]): string {
  const count = (fam: string | null) => {
    const c: Record<RowStatus, number> = { passed: 0, failed: 0, error: 0, timeout: 0, notyet: 0 };
    for (const r of rows) if (fam === null || r.family === fam) c[r.status]++;
    return c;
  };
  const head = ROW_STATUSES.map((s) => `<th scope="col">${statusBadge(s)}</th>`).join("");
  const line = (fam: string | null) => {
    const c = count(fam);
    const total = ROW_STATUSES.reduce((a, s) => a + c[s], 0);
    const name =
      fam === null
        ? "all families"
        : `<a href="#papers" data-filter-family="${escapeHtml(fam)}">${escapeHtml(fam)}</a>`;
    const cells = ROW_STATUSES.map((s) => `<td class="num${c[s] ? "" : " zero"}">${c[s]}</td>`).join("");
    return `<tr${fam === null ? ' class="total"' : ""}><th scope="row">${name}</th>${cells}<td class="num">${total}</td></tr>`;
  };
  return (
    `<table class="totals"><thead><tr><th scope="col">family</th>${head}<th scope="col">total</th></tr></thead><tbody>` +
    families.map((f) => line(f)).join("") +
    line(null) +
    `</tbody></table>`
  );
}

function gallery(rows: readonly PaperRow[]): string {
  const items = rows
    .filter((r) => r.figure && r.page)
    .map((r) => {
      const title = r.entry?.title ?? r.slug;
      return (
        `<li><a href="${escapeHtml(r.page ?? "")}"><img src="${escapeHtml(r.figure ?? "")}" alt="${escapeHtml(`Key figure: ${title}`)}" loading="lazy">` +
        `<span class="caption">${statusBadge(r.status)} ${escapeHtml(title)}</span></a></li>`
      );
    });
  if (!items.length) return `<p class="muted">No executed notebook has a chart yet.</p>`;
  return `<ul class="gallery">${items.join("\n")}</ul>`;
}

/** The environment and provenance summary (a definition list). */
export function environmentList(env: Environment, extra: Array<[string, string]> = []): string {
  const items: Array<[string, string]> = [
    ...extra,
    ["git commit", env.commit ?? ""],
    ["library hash", env.libHash ?? ""],
    ["tfjs backend", env.tfjsBackend ?? ""],
    ["Node", env.node ?? ""],
    ["tslab", env.tslab ?? ""],
    ["CPU", env.cpu ? `${env.cpu}${env.cores ? ` (${env.cores} cores)` : ""}` : ""],
    ["platform", env.platform ?? ""],
  ];
  const dl = items
    .filter(([, v]) => v !== "")
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd><code>${escapeHtml(v)}</code></dd>`)
    .join("");
  const pkgs = Object.entries(env.packages ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const packages = pkgs.length
    ? `<details class="packages"><summary>${pkgs.length} package versions</summary><table><thead><tr><th scope="col">package</th><th scope="col">version</th></tr></thead><tbody>` +
      pkgs.map(([n, v]) => `<tr><td><code>${escapeHtml(n)}</code></td><td><code>${escapeHtml(v)}</code></td></tr>`).join("") +
      `</tbody></table></details>`
    : "";
  return `<dl class="provenance">${dl}</dl>${packages}`;
}

const TABLE_HEAD =
  `<thead><tr><th scope="col">#</th><th scope="col">paper</th><th scope="col">family</th><th scope="col">tier</th><th scope="col">status</th>` +
  `<th scope="col">claims</th><th scope="col">scale</th><th scope="col">seed</th><th scope="col">runtime</th></tr></thead>`;

/** The index page: totals per family, gallery of key figures, the table of every paper with filters, environment. */
export function indexPage(results: Results, rows: readonly PaperRow[], extras: readonly PaperRow[], problems: readonly string[]): string {
  const families = [...new Set(rows.map((r) => r.family))].filter(Boolean).sort();
  const executed = rows.filter((r) => r.status !== "notyet").length;
  const passed = rows.filter((r) => r.status === "passed").length;
  const familyOptions = families.map((f) => `<option value="${escapeHtml(f)}">${escapeHtml(f)}</option>`).join("");
  const statusOptions = ROW_STATUSES.map((s) => `<option value="${s}">${escapeHtml(STATUS_LABELS[s].label)}</option>`).join("");
  const otherNotebooks = extras.length
    ? `<section id="other-notebooks"><h2>Other notebooks</h2><p class="muted">Notebooks that ran but are not papers of the catalog (examples, drafts).</p>` +
      `<div class="table-wrap"><table id="other-table" class="papers">${TABLE_HEAD}<tbody>\n${extras.map(paperRow).join("\n")}\n</tbody></table></div></section>`
    : "";
  const problemBox = problems.length
    ? `<section class="problems" role="alert"><h2>Problems while building this report</h2><ul>${problems.map((p) => `<li>${escapeHtml(p)}</li>`).join("")}</ul></section>`
    : "";
  const body = `<header class="site-header">
<h1>reprobook — reproductions</h1>
<p class="lead">${rows.length} papers, ${executed} executed, ${passed} with every claim reproduced.
Results from <time datetime="${escapeHtml(results.generatedAt)}">${escapeHtml(results.generatedAt || "an unknown date")}</time>.</p>
</header>
<main>
${problemBox}
<section id="totals"><h2>Totals by family</h2>${totalsTable(rows, families)}</section>
<section id="gallery"><h2>Key figures</h2>${gallery([...rows, ...extras])}</section>
<section id="papers"><h2>Papers</h2>
<form id="filters" class="filters" hidden>
<label>Family <select id="filter-family"><option value="">all families</option>${familyOptions}</select></label>
<label>Status <select id="filter-status"><option value="">all statuses</option>${statusOptions}</select></label>
<label>Search <input id="filter-text" type="search" placeholder="title or slug"></label>
<output id="shown-count" aria-live="polite"></output>
</form>
<div class="table-wrap">
<table id="papers-table" class="papers">
${TABLE_HEAD}
<tbody>
${rows.map(paperRow).join("\n")}
</tbody>
</table>
</div>
</section>
${otherNotebooks}
<section id="environment"><h2>Environment</h2>${environmentList(results.environment, [["results generated", results.generatedAt]])}</section>
</main>
<footer class="site-footer"><p>Built by <code>buildReport</code> from <code>results.json</code> and the executed notebooks. Fully offline: every script, style and font is in <code>assets/</code>.</p></footer>`;
  return layout({ title: "reprobook — reproductions", root: "", body, bodyClass: "index" });
}

export interface PaperPageOptions {
  row: PaperRow;
  results: Results;
  /** The rendered notebook cells, or null when the notebook could not be read. */
  notebookHtml: string | null;
  /** Why the notebook is not shown (a missing or corrupt file). */
  problem?: string;
  vegaLite: boolean;
  /** The executed notebook copied next to the page, relative to the page. */
  download?: string;
}

function runErrorBox(error: RunError | string, failingCellShown: boolean): string {
  const text = typeof error === "string" ? error : `${error.ename}: ${error.evalue}`;
  const traceback = typeof error === "string" ? "" : error.traceback.join("\n");
  return (
    `<section class="run-error" role="alert"><h2>${statusBadge("error")} The run stopped with an error</h2>` +
    `<p><strong>${escapeHtml(stripAnsi(text))}</strong></p>` +
    (traceback ? `<pre class="traceback">${escapeHtml(stripAnsi(traceback))}</pre>` : "") +
    (failingCellShown ? `<p class="muted">The notebook below shows the outputs up to the <a href="#first-error">failing cell</a>.</p>` : "") +
    `</section>`
  );
}

/** The page of one executed notebook: header, claims, provenance, then every cell. */
export function paperPage(o: PaperPageOptions): string {
  const { row, results } = o;
  const e = row.entry;
  const r = row.result;
  const title = e?.title ?? row.slug;
  const meta = [
    e?.arxiv ? `arXiv ${arxivLink(e.arxiv, e.arxiv)}` : "",
    e?.year ? escapeHtml(e.year) : "",
    `family ${escapeHtml(row.family)}`,
    e?.tier ? `tier ${escapeHtml(e.tier)}` : "",
  ]
    .filter(Boolean)
    .join(" · ");
  const about =
    e?.claim || e?.key_figure
      ? `<section class="about">${e.key_figure ? `<p><strong>Key figure of the paper.</strong> ${escapeHtml(e.key_figure)}</p>` : ""}` +
        `${e.claim ? `<p><strong>Claim suggested by the catalog.</strong> ${escapeHtml(e.claim)}${r?.claims.length ? ` <span class="muted">The notebook states its own claims, from its reading of the paper; their verdicts are below.</span>` : ""}</p>` : ""}</section>`
      : "";
  const timeoutNote = r?.status === "timeout" ? `<p class="run-timeout" role="alert">${statusBadge("timeout")} The run was stopped after ${escapeHtml(formatSeconds(r.seconds) || "its time limit")}; the outputs below are those produced before.</p>` : "";
  const errorBox = r?.error ? runErrorBox(r.error, o.notebookHtml?.includes('id="first-error"') ?? false) : "";
  const problem = o.problem
    ? `<section class="problems" role="alert"><h2>The executed notebook cannot be shown</h2><p>${escapeHtml(o.problem)}</p></section>`
    : "";
  const claims = r?.claims.length
    ? claimsTable(r.claims)
    : `<p class="muted">No claim was recorded${r?.status === "error" || r?.status === "timeout" ? " before the run stopped" : ""}.</p>`;
  const provenance = environmentList(results.environment, [
    ["status", STATUS_LABELS[row.status].label],
    ["scale", r?.scale ?? ""],
    ["seed", r && r.seed !== null ? String(r.seed) : ""],
    ["runtime", formatSeconds(r?.seconds)],
    ["where the time went", r?.timing ? [`kernel start ${formatSeconds(r.timing.kernelSeconds)}`, ...r.timing.slowestCells.map((c) => `cell ${c.cell} ${formatSeconds(c.seconds)}`)].join(", ") : ""],
    ["date", results.generatedAt],
    ["source notebook", r?.path ?? ""],
    ["cached", r?.cached ? "yes: reused from an earlier run with the same inputs" : ""],
  ]);
  const download = o.download ? `<p><a href="${escapeHtml(o.download)}" download>Download the executed notebook (.ipynb)</a></p>` : "";
  const notebook = o.notebookHtml !== null ? `<section id="notebook" class="notebook"><h2>Notebook</h2>${o.notebookHtml}</section>` : "";
  const body = `<nav class="crumbs"><a href="../index.html">← all papers</a></nav>
<header class="paper-header">
<h1>${escapeHtml(title)}</h1>
<p class="meta">${meta}</p>
<p class="status-line">${statusBadge(row.status)}${r ? ` <span class="muted">in ${escapeHtml(formatSeconds(r.seconds))} at scale ${escapeHtml(r.scale)}, seed ${escapeHtml(r.seed ?? "")}</span>` : ""}</p>
</header>
<main>
${about}
${problem}
${timeoutNote}
${errorBox}
<section id="claims"><h2>Claims</h2>${claims}</section>
<section id="provenance"><h2>Provenance</h2>${provenance}${download}</section>
${notebook}
</main>
<footer class="site-footer"><p><a href="../index.html">← all papers</a></p></footer>`;
  const scripts = o.vegaLite ? ["assets/vega/vega.min.js", "assets/vega/vega-lite.min.js", "assets/vega/vega-embed.min.js"] : [];
  return layout({
    title: `${title} — reprobook`,
    root: "../",
    body,
    styles: ["assets/katex/katex.min.css", "assets/highlight/github.min.css"],
    scripts,
    bodyClass: "paper",
  });
}
