/** buildReport on the fixtures: every catalog paper listed, statuses, pages, math, offline, escaping, bad inputs. */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { buildReport, ReportInputError, type BuildReportResult } from "../../runner/src/report";
import {
  copyFixtureOut,
  FIXTURE_CATALOG,
  FIXTURE_OUT,
  isRemote,
  readCatalogSlugs,
  REPO_ROOT,
  resourceRefs,
  tableRows,
  tempDir,
} from "./helpers";

const cleanups: string[] = [];
after(() => {
  for (const dir of cleanups) fs.rmSync(dir, { recursive: true, force: true });
});
function tmp(prefix: string): string {
  const dir = tempDir(prefix);
  cleanups.push(dir);
  return dir;
}

describe("buildReport on the fixtures", () => {
  let reportDir = "";
  let result: BuildReportResult;
  let index = "";
  const page = (slug: string) => fs.readFileSync(path.join(reportDir, "papers", `${slug}.html`), "utf8");

  before(async () => {
    reportDir = path.join(tmp("report"), "report");
    result = await buildReport({ repoRoot: REPO_ROOT, outDir: FIXTURE_OUT, catalogPath: FIXTURE_CATALOG, reportDir });
    index = fs.readFileSync(result.indexPath, "utf8");
  });

  it("returns the index, one page per executed notebook and no problems", () => {
    assert.equal(result.indexPath, path.join(reportDir, "index.html"));
    assert.deepEqual(
      result.pages.map((p) => path.relative(reportDir, p)).sort(),
      ["papers/grokking-lazy-rich.html", "papers/ldr-losses.html", "papers/sinkhorn-newton-sparse.html"],
    );
    for (const p of result.pages) assert.ok(fs.existsSync(p), `${p} was not written`);
    assert.deepEqual(result.problems, []);
  });

  it("says on the paper page where the time went: kernel start and the slowest cells", () => {
    assert.match(page("ldr-losses"), /where the time went[\s\S]*?kernel start 2\.50 s, cell 6 1 min 01 s, cell 4 8\.40 s/);
  });

  it("labels the catalog's claim as a suggestion and points to the notebook's own recorded claims", () => {
    assert.match(page("ldr-losses"), /<strong>Claim suggested by the catalog\.<\/strong>[^<]*<span class="muted">The notebook states its own claims/);
    assert.doesNotMatch(page("grokking-lazy-rich"), /The notebook states its own claims/, "no pointer when no claim was recorded");
  });

  it("lists every catalog paper once, with its status", () => {
    const rows = tableRows(index);
    assert.deepEqual([...rows.keys()].sort(), readCatalogSlugs(FIXTURE_CATALOG).sort());
    assert.equal(rows.get("sinkhorn-newton-sparse")?.status, "passed");
    assert.equal(rows.get("ldr-losses")?.status, "failed");
    assert.equal(rows.get("grokking-lazy-rich")?.status, "error");
    assert.equal(rows.get("wasserstein-dependency-measure")?.status, "notyet", "a skipped notebook is 'not yet'");
    assert.equal(rows.get("apnet-vocoder")?.status, "notyet", "a paper without a result is 'not yet'");
    assert.equal(rows.get("personalized-denoising-recsys")?.status, "notyet");
    assert.equal(rows.get("ldr-losses")?.family, "losses");
  });

  it("shows status labels in words, claims with measured and expected values, scale, seed and runtime", () => {
    const row = (slug: string) => {
      const start = index.indexOf(`data-slug="${slug}"`);
      return index.slice(start, index.indexOf("</tr>", start));
    };
    assert.match(row("sinkhorn-newton-sparse"), /✓<\/span> passed/);
    assert.match(row("ldr-losses"), /✗<\/span> failed claim/);
    assert.match(row("grokking-lazy-rich"), /!<\/span> error/);
    assert.match(row("grokking-lazy-rich"), /RangeError: matrix shapes do not match/);
    assert.match(row("apnet-vocoder"), /not yet/);
    const ldr = row("ldr-losses");
    assert.match(ldr, /LDR-KL beats CE by &gt;= 3 points/);
    assert.match(ldr, /LDR-KL accuracy = 0\.81, CE accuracy = 0\.8/);
    assert.match(ldr, /expected <span class="num">&gt; 0\.83 \(CE accuracy \+ 0\.03\)/);
    assert.match(ldr, /✗<\/span> fail/);
    assert.match(ldr, /✓<\/span> pass/);
    assert.match(ldr, /known failure:<\/strong> smoke scale trains 5 epochs/, "an explained failure shows its reason");
    assert.match(ldr, /<td>smoke<\/td><td class="num">7<\/td><td class="num runtime">1 min 16 s<\/td>/);
    assert.match(row("sinkhorn-newton-sparse"), /3\.21 s/);
  });

  it("links titles to arXiv, and not when the catalog has no arXiv id", () => {
    assert.match(index, /<a href="https:\/\/arxiv\.org\/abs\/2401\.12253" rel="noopener">Accelerating Sinkhorn/);
    assert.match(index, /<td class="paper">Personalized Denoising Implicit Feedback/);
    assert.match(index, /<a class="page-link" href="papers\/ldr-losses\.html">/);
  });

  it("totals each family and offers family and status filters", () => {
    const totals = index.slice(index.indexOf('<table class="totals">'), index.indexOf("</table>", index.indexOf('<table class="totals">')));
    const line = (fam: string) => {
      const start = totals.indexOf(`data-filter-family="${fam}"`);
      return [...totals.slice(start, totals.indexOf("</tr>", start)).matchAll(/<td class="num[^"]*">(\d+)<\/td>/g)].map((m) => Number(m[1]));
    };
    // passed, failed, error, timeout, not yet, total
    assert.deepEqual(line("transport"), [1, 0, 0, 0, 1, 2]);
    assert.deepEqual(line("theory"), [0, 0, 1, 0, 0, 1]);
    assert.match(totals, /all families<\/th><td class="num">1<\/td><td class="num">1<\/td><td class="num">1<\/td><td class="num zero">0<\/td><td class="num">3<\/td><td class="num">6<\/td>/);
    for (const fam of ["applied", "generative", "losses", "theory", "transport"]) assert.ok(index.includes(`<option value="${fam}">`), fam);
    for (const s of ["passed", "failed", "error", "timeout", "notyet"]) assert.ok(index.includes(`<option value="${s}">`), s);
  });

  it("has a gallery with the key figure of each executed notebook, preferring the flagged one", () => {
    assert.match(index, /<a href="papers\/sinkhorn-newton-sparse\.html"><img src="figures\/sinkhorn-newton-sparse\.svg"/);
    const ldr = fs.readFileSync(path.join(reportDir, "figures", "ldr-losses.svg"), "utf8");
    assert.match(ldr, /CE vs LDR-KL/, "the output with metadata reprobook.keyFigure is chosen over the first chart");
    assert.doesNotMatch(ldr, /<script|onclick/i);
    assert.ok(!fs.existsSync(path.join(reportDir, "figures", "grokking-lazy-rich.svg")), "no chart, no thumbnail");
  });

  it("shows the environment and provenance", () => {
    for (const text of ["b00e300786320c8e16905010acb616cab7fbafea", "sha256:0123456789abcdef", "cpu", "v20.20.2", "1.0.22", "@tensorflow/tfjs-core"]) {
      assert.ok(index.includes(text), `index lacks ${text}`);
    }
    const p = page("sinkhorn-newton-sparse");
    for (const text of ["b00e300786320c8e16905010acb616cab7fbafea", "sha256:0123456789abcdef", "2026-11-23T12:00:00.000Z", "3.21 s", "smoke", "<dt>seed</dt><dd><code>7</code>", "notebooks/transport/sinkhorn-newton-sparse.ipynb", "4.22.0", "(2 cores)", "linux x64", "reused from an earlier run"]) {
      assert.ok(p.includes(text), `page lacks ${text}`);
    }
    assert.ok(fs.existsSync(path.join(reportDir, "notebooks", "sinkhorn-newton-sparse.ipynb")), "the executed notebook is offered for download");
  });

  it("renders markdown with KaTeX math whose underscores are not emphasis", () => {
    const p = page("sinkhorn-newton-sparse");
    assert.match(p, /<h1>Sinkhorn-Newton-Sparse<\/h1>/);
    assert.ok((p.match(/class="katex"/g) ?? []).length >= 4, "inline math is typeset by KaTeX");
    assert.match(p, /class="katex-display"/, "$$ … $$ is display math");
    assert.match(p, /<annotation encoding="application\/x-tex">P\^\\star_\{ij\}/, "the TeX source (with underscores) reached KaTeX intact");
    assert.doesNotMatch(p.slice(p.indexOf('id="notebook"')), /<em>/, "no underscore in math became emphasis");
  });

  it("highlights code and shows every kind of output", () => {
    const p = page("sinkhorn-newton-sparse");
    assert.match(p, /<span class="hljs-keyword">const<\/span> n = <span class="hljs-number">64<\/span>/);
    assert.match(p, /<pre class="output stream stdout">n = 64\niteration 3\/3\n&lt;b&gt;not bold&lt;\/b&gt;\n<\/pre>/, "streams merged, carriage return applied, text escaped");
    assert.match(p, /<figure class="output chart vl-chart"><div class="vl-static"><svg [^>]*class="marks"/, "static SVG inside the vega-lite figure");
    assert.match(p, /<script type="application\/json" class="vl-spec">\{"\$schema":"https:\/\/vega\.github\.io\/schema\/vega-lite\/v5\.json"/);
    assert.match(p, /<table class="summary-table">/, "text/html outputs are trusted");
    assert.match(p, /<strong>Summary:<\/strong> SNS needs <span class="katex">/, "text/markdown outputs are rendered");
    assert.match(p, /Out \[5\]:<\/div><pre class="output text-output">128<\/pre>/);
    assert.match(p, /<script src="\.\.\/assets\/vega\/vega-embed\.min\.js"><\/script>/);
    assert.equal((p.match(/<table class="claims">/g) ?? []).length, 2, "the claim table of the run and the claim output in the cell");
  });

  it("escapes notebook text: markdown cannot inject HTML and SVG loses its scripts", () => {
    const p = page("sinkhorn-newton-sparse");
    assert.ok(p.includes("&lt;script&gt;alert('md')&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;"), "raw HTML in markdown is shown as text");
    assert.ok(!p.includes("<script>alert"), "no script from notebook text");
    assert.ok(!/<img[^>]*onerror/i.test(p));
    const ldr = page("ldr-losses");
    assert.ok(!/<script>alert\("svg"\)/.test(ldr));
    assert.ok(!/onclick=/i.test(ldr));
  });

  it("shows errors with their traceback, ANSI codes turned into classes", () => {
    const p = page("grokking-lazy-rich");
    assert.ok(!p.includes("\u001b"), "no raw escape character");
    assert.ok(!/\[0;3\dm/.test(p), "no leftover ANSI code");
    assert.match(p, /The run stopped with an error/);
    assert.match(p, /<span class="ansi-red">RangeError<\/span>: matrix shapes do not match: \[64, 32\] x \[16, 8\]/);
    assert.match(p, /id="first-error"/);
    assert.match(p, /training started\nepoch 1 loss 2\.30/, "the outputs before the error are shown");
    assert.match(p, /No claim was recorded before the run stopped/);
    const ldr = page("ldr-losses");
    assert.match(ldr, /<pre class="output stream stderr"><span class="ansi-yellow">warning:<\/span> learning rate <span class="ansi-bold">decayed<\/span>/);
  });

  it("is offline: every script, style and image is a local file that exists", () => {
    const pages = [result.indexPath, ...result.pages];
    for (const file of pages) {
      const html = fs.readFileSync(file, "utf8");
      const refs = resourceRefs(html);
      assert.ok(refs.some((r) => r.tag === "script"), `${file} loads its script`);
      for (const { tag, url } of refs) {
        assert.ok(!isRemote(url), `${path.basename(file)}: <${tag}> refers to ${url}`);
        if (url.startsWith("data:")) continue;
        const target = path.resolve(path.dirname(file), decodeURI(url.split("#")[0]));
        assert.ok(fs.existsSync(target), `${path.basename(file)}: <${tag}> refers to ${url}, which is not in the report`);
      }
      assert.doesNotMatch(html, /<(script|link)\b[^>]*(src|href)="(https?:)?\/\//i);
    }
    const assets = path.join(reportDir, "assets");
    for (const css of ["katex/katex.min.css", "highlight/github.min.css", "report.css"]) {
      const text = fs.readFileSync(path.join(assets, css), "utf8");
      for (const m of text.matchAll(/url\(\s*['"]?([^'")]+)['"]?\s*\)/g)) {
        if (m[1].startsWith("data:")) continue;
        assert.ok(!isRemote(m[1]), `${css} refers to ${m[1]}`);
        assert.ok(fs.existsSync(path.resolve(path.dirname(path.join(assets, css)), m[1])), `${css}: ${m[1]} is missing`);
      }
    }
    for (const js of ["vega/vega.min.js", "vega/vega-lite.min.js", "vega/vega-embed.min.js", "report.js"]) {
      assert.doesNotMatch(fs.readFileSync(path.join(assets, js), "utf8"), /sourceMappingURL/, `${js} would request a missing source map`);
    }
    assert.doesNotMatch(fs.readFileSync(path.join(assets, "report.js"), "utf8"), /fetch\(|XMLHttpRequest/, "data is embedded, never fetched");
  });

  it("rebuilds into its own folder, removing stale pages", async () => {
    const stale = path.join(reportDir, "papers", "stale.html");
    fs.writeFileSync(stale, "old");
    const again = await buildReport({ repoRoot: REPO_ROOT, outDir: FIXTURE_OUT, catalogPath: FIXTURE_CATALOG, reportDir });
    assert.equal(again.pages.length, 3);
    assert.ok(!fs.existsSync(stale));
  });
});

describe("buildReport with the real catalog", () => {
  it("lists all catalog papers; those without a result are 'not yet'", async () => {
    const catalogPath = path.join(REPO_ROOT, "notebooks", "catalog.json");
    const reportDir = path.join(tmp("report-real"), "report");
    const result = await buildReport({ repoRoot: REPO_ROOT, outDir: FIXTURE_OUT, catalogPath, reportDir });
    const rows = tableRows(fs.readFileSync(result.indexPath, "utf8"));
    const slugs = readCatalogSlugs(catalogPath);
    assert.equal(rows.size, slugs.length);
    for (const slug of slugs) assert.ok(rows.has(slug), `${slug} missing from the index`);
    const notYet = [...rows.values()].filter((r) => r.status === "notyet").length;
    assert.equal(notYet, slugs.length - 3);
  });
});

describe("buildReport on bad inputs", () => {
  const build = (outDir: string, extra: { catalogPath?: string; reportDir?: string } = {}) =>
    buildReport({ repoRoot: REPO_ROOT, outDir, catalogPath: extra.catalogPath ?? FIXTURE_CATALOG, reportDir: extra.reportDir ?? path.join(outDir, "report") });
  const input = () => {
    const copy = copyFixtureOut();
    cleanups.push(copy.dir);
    return copy;
  };

  it("a missing results.json is an error naming the file and what to do", async () => {
    const { outDir } = input();
    const file = path.join(outDir, "results.json");
    fs.rmSync(file);
    await assert.rejects(build(outDir), (e: Error) => {
      assert.ok(e instanceof ReportInputError);
      assert.ok(e.message.includes(file), e.message);
      assert.match(e.message, /does not exist/);
      assert.match(e.message, /npm run reproduce/);
      return true;
    });
  });

  it("a corrupt results.json is an error naming the file", async () => {
    const { outDir } = input();
    const file = path.join(outDir, "results.json");
    fs.writeFileSync(file, '{"generatedAt": "2026-11-23", "notebooks": [');
    await assert.rejects(build(outDir), (e: Error) => e.message.includes(file) && /not valid JSON/.test(e.message));
    fs.writeFileSync(file, "");
    await assert.rejects(build(outDir), (e: Error) => e.message.includes(file) && /empty/.test(e.message));
  });

  it("a results.json that breaks the contract says which entry and field", async () => {
    const { outDir } = input();
    const file = path.join(outDir, "results.json");
    const data = JSON.parse(fs.readFileSync(file, "utf8")) as { notebooks: Array<Record<string, unknown>> };
    data.notebooks[1].status = "ok";
    fs.writeFileSync(file, JSON.stringify(data));
    await assert.rejects(build(outDir), (e: Error) => {
      assert.ok(e.message.includes(file), e.message);
      assert.match(e.message, /notebooks\[1\] \(ldr-losses\)\.status is "ok", expected one of passed, failed, error, timeout, skipped/);
      return true;
    });
    fs.writeFileSync(file, JSON.stringify({ notebooks: {} }));
    await assert.rejects(build(outDir), /`notebooks` must be an array/);
  });

  it("a missing or corrupt catalog is an error naming the file", async () => {
    const { dir, outDir } = input();
    const catalogPath = path.join(dir, "catalog.json");
    await assert.rejects(build(outDir, { catalogPath }), (e: Error) => e.message.includes(catalogPath) && /does not exist/.test(e.message));
    fs.writeFileSync(catalogPath, JSON.stringify({ papers: [] }));
    await assert.rejects(build(outDir, { catalogPath }), (e: Error) => e.message.includes(catalogPath) && /expected an array of papers/.test(e.message));
  });

  it("a corrupt or missing notebook gets an error page; the rest is built and the problem returned", async () => {
    const { outDir } = input();
    const corrupt = path.join(outDir, "notebooks", "losses", "ldr-losses.ipynb");
    fs.writeFileSync(corrupt, '{"cells": [ {"cell_type": "code", "source": "x", "outp');
    const missing = path.join(outDir, "notebooks", "theory", "grokking-lazy-rich.ipynb");
    fs.rmSync(missing);
    const result = await build(outDir);
    assert.equal(result.problems.length, 2, result.problems.join("\n"));
    assert.ok(result.problems.some((p) => p.includes(corrupt) && /not valid JSON/.test(p)), result.problems.join("\n"));
    assert.ok(result.problems.some((p) => p.includes(missing) && /does not exist/.test(p)), result.problems.join("\n"));
    assert.equal(result.pages.length, 3, "error pages are pages too");
    const ldr = fs.readFileSync(path.join(outDir, "report", "papers", "ldr-losses.html"), "utf8");
    assert.match(ldr, /The executed notebook cannot be shown/);
    assert.ok(ldr.includes(corrupt));
    assert.match(ldr, /LDR-KL beats CE/, "the claims from results.json are still shown");
    const good = fs.readFileSync(path.join(outDir, "report", "papers", "sinkhorn-newton-sparse.html"), "utf8");
    assert.match(good, /class="katex"/);
    const index = fs.readFileSync(result.indexPath, "utf8");
    assert.match(index, /Problems while building this report/);
    assert.equal(tableRows(index).size, 6);
  });

  it("a notebook that is JSON but not a notebook, or an output path outside outDir, is a problem, not a crash", async () => {
    const { outDir } = input();
    const notNotebook = path.join(outDir, "notebooks", "losses", "ldr-losses.ipynb");
    fs.writeFileSync(notNotebook, JSON.stringify({ nbformat: 4, worksheets: [] }));
    const file = path.join(outDir, "results.json");
    const data = JSON.parse(fs.readFileSync(file, "utf8")) as { notebooks: Array<Record<string, unknown>> };
    data.notebooks[2].output = "../../../etc/passwd";
    fs.writeFileSync(file, JSON.stringify(data));
    const result = await build(outDir);
    assert.ok(result.problems.some((p) => p.includes(notNotebook) && /no `cells` array/.test(p)), result.problems.join("\n"));
    assert.ok(result.problems.some((p) => /outside the output folder/.test(p)), result.problems.join("\n"));
  });

  it("a result that is not in the catalog (an example notebook) gets its own table, not a problem", async () => {
    const { outDir } = input();
    const file = path.join(outDir, "results.json");
    const data = JSON.parse(fs.readFileSync(file, "utf8")) as { notebooks: Array<Record<string, unknown>> };
    data.notebooks.push({ ...data.notebooks[0], slug: "quickstart", family: "examples", status: "passed" });
    fs.writeFileSync(file, JSON.stringify(data));
    const result = await build(outDir);
    assert.deepEqual(result.problems, []);
    assert.ok(result.pages.some((p) => p.endsWith(path.join("papers", "quickstart.html"))));
    const index = fs.readFileSync(result.indexPath, "utf8");
    const main = index.slice(index.indexOf('id="papers-table"'), index.indexOf("</table>", index.indexOf('id="papers-table"')));
    const other = index.slice(index.indexOf('id="other-table"'));
    assert.equal(tableRows(main).size, 6, "the papers table holds the catalog papers only");
    assert.deepEqual([...tableRows(other).keys()], ["quickstart"]);
  });

  it("refuses to clear a non-empty folder it did not write", async () => {
    const { dir, outDir } = input();
    const reportDir = path.join(dir, "mine");
    fs.mkdirSync(reportDir);
    fs.writeFileSync(path.join(reportDir, "thesis.tex"), "precious");
    await assert.rejects(build(outDir, { reportDir }), (e: Error) => e.message.includes(reportDir) && /not written by buildReport/.test(e.message));
    assert.equal(fs.readFileSync(path.join(reportDir, "thesis.tex"), "utf8"), "precious");
    await assert.rejects(build(outDir, { reportDir: outDir }), /must not be \(or contain\)/);
  });
});
