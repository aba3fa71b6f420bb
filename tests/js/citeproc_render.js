// Render a bibliography of CSL-JSON items with citeproc-js, for tests/_consumers.py:
//   NODE_PATH=benchmarks/js/node_modules node citeproc_render.js STYLE LOCALES ITEMS LANG [TRANSLIT]
// Every item is cited; entries are printed one per line as plain text. With TRANSLIT (a tag
// such as ru-Latn) citeproc-js runs in multilingual mode and prefers that form of names and
// titles (Item.multi._keys / name multi._key), as Zotero-based tools configure it.
"use strict";
const fs = require("fs");
const path = require("path");
const CSL = require("citeproc");

const [stylePath, localesDir, itemsPath, lang, translit] = process.argv.slice(2);
const items = JSON.parse(fs.readFileSync(itemsPath, "utf8"));
const byId = new Map(items.map((it) => [String(it.id), it]));

const sys = {
  retrieveLocale(l) {
    const file = path.join(localesDir, `locales-${l}.xml`);
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : false;
  },
  retrieveItem(id) {
    return byId.get(id);
  },
};

const engine = new CSL.Engine(sys, fs.readFileSync(stylePath, "utf8"), lang || "en-US");
if (translit) {
  engine.setLangTagsForCslTransliteration([translit]);
  engine.setLangPrefsForCites({ persons: ["translit"], titles: ["translit"],
                                journals: ["translit"], publishers: ["translit"],
                                places: ["translit"] });
}
engine.setOutputFormat("text");
engine.updateItems([...byId.keys()]);
const [, entries] = engine.makeBibliography();
process.stdout.write(entries.map((e) => e.trim()).join("\n") + "\n");
