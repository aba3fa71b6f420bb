// Render a full bibliography with citeproc-js (Zotero's engine), for benchmarks/bench.py.
//   node citeproc-js.js STYLE.csl LOCALES_DIR ITEMS.json > out.txt
// Items are CSL-JSON; every item is cited. Entries are printed one per line as plain text.
"use strict";
const fs = require("fs");
const path = require("path");
const CSL = require("citeproc");

const [stylePath, localesDir, itemsPath] = process.argv.slice(2);
const items = JSON.parse(fs.readFileSync(itemsPath, "utf8"));
const byId = new Map(items.map((it, n) => [String(it.id ?? n), { ...it, id: String(it.id ?? n) }]));

const sys = {
  retrieveLocale(lang) {
    const file = path.join(localesDir, `locales-${lang}.xml`);
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : false;
  },
  retrieveItem(id) {
    return byId.get(id);
  },
};

const engine = new CSL.Engine(sys, fs.readFileSync(stylePath, "utf8"));
engine.setOutputFormat("text");
engine.updateItems([...byId.keys()]);
const [, entries] = engine.makeBibliography();
process.stdout.write(entries.map((e) => e.trim()).join("\n") + "\n");
