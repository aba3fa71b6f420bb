// Render CSL jobs with citeproc-js (Zotero's engine), for transcite's differential harness
// (benchmarks/citeproc_js_diff.py) and the csl-extra fixture check (tests/test_csl_extra.py).
//   node render.js LOCALES_DIR [LOCALES_DIR...] < jobs.json > results.json
// jobs.json is a list of jobs: {"style": CSL XML, "lang": "en-US" or null, "items": [CSL-JSON],
// "clusters": [[cite, ...] or {"citationItems": [...], "properties": {"noteIndex": n}}] or null,
// "format": "html" | "text", "bibliography": true | false}.
// Each result is {"citations": [text per cluster], "bibliography": [[id, text], ...]} or
// {"error": message}. Clusters are processed in document order, one after another, and every
// citation's last text is kept (later cites may change earlier ones through disambiguation).
"use strict";
const fs = require("fs");
const path = require("path");
const CSL = require("citeproc");

const localeDirs = process.argv.slice(2);
const jobs = JSON.parse(fs.readFileSync(0, "utf8"));

function retrieveLocale(lang) {
  for (const dir of localeDirs) {
    const file = path.join(dir, `locales-${lang}.xml`);
    if (fs.existsSync(file)) return fs.readFileSync(file, "utf8");
  }
  return false;
}

function run(job) {
  const byId = new Map();
  job.items.forEach((it, n) => {
    const id = String(it.id ?? `ITEM-${n + 1}`);
    if (!byId.has(id)) byId.set(id, { ...it, id });
  });
  const sys = { retrieveLocale, retrieveItem: (id) => byId.get(String(id)) };
  const engine = new CSL.Engine(sys, job.style, job.lang || undefined, !!job.lang);
  engine.setOutputFormat(job.format || "html");
  const out = { citations: [], bibliography: [] };
  const clusters = job.clusters || null;
  if (clusters) {
    const done = []; // [citationID, noteIndex]
    const texts = new Map();
    clusters.forEach((cl, n) => {
      const cites = Array.isArray(cl) ? cl : cl.citationItems;
      const note = Array.isArray(cl) ? 0 : (cl.properties || {}).noteIndex || 0;
      const citation = {
        citationID: `C${n}`,
        citationItems: cites.map((c) => ({ ...c, id: String(c.id) })),
        properties: { noteIndex: note },
      };
      const [, updates] = engine.processCitationCluster(citation, done, []);
      for (const [, text, cid] of updates) texts.set(cid, text);
      done.push([citation.citationID, note]);
    });
    out.citations = clusters.map((_, n) => texts.get(`C${n}`) ?? "");
  } else {
    engine.updateItems([...byId.keys()]);
  }
  if (job.bibliography !== false && engine.bibliography && engine.bibliography.tokens) {
    const made = engine.makeBibliography();
    if (made) {
      const [params, entries] = made;
      out.bibliography = entries.map((e, n) => [String(params.entry_ids[n][0] ?? params.entry_ids[n]), e]);
    }
  }
  return out;
}

const results = jobs.map((job) => {
  try {
    return run(job);
  } catch (e) {
    return { error: String((e && e.message) || e).split("\n")[0] };
  }
});
process.stdout.write(JSON.stringify(results));
