'use strict';
// Prints the accessibility findings of a run (e2e/out/a11y.jsonl), one line
// per rule and page, most severe first.
const fs = require('node:fs');

const file = process.argv[2] || `${__dirname}/out/a11y.jsonl`;
const rows = fs.existsSync(file)
  ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
  : [];
const order = ['critical', 'serious', 'moderate', 'minor', 'custom', 'needs-review'];
const seen = new Map();
for (const r of rows) {
  const page = r.page.replace(/^.*\(([^)]*)\)$/, '$1').replace(/:\d+\//, '/');
  const key = `${r.impact}|${r.id}|${page}`;
  if (!seen.has(key)) seen.set(key, { ...r, page, targets: new Set() });
  for (const n of r.nodes || []) seen.get(key).targets.add(n.target);
}
const list = [...seen.values()].sort(
  (a, b) => order.indexOf(a.impact) - order.indexOf(b.impact) || a.id.localeCompare(b.id) || a.page.localeCompare(b.page),
);
console.log(`\naccessibility summary (${file}): ${list.length ? '' : 'no findings'}`);
for (const f of list) {
  const t = [...f.targets].slice(0, 5).join(', ');
  console.log(`  [${f.impact}] ${f.id} on ${f.page}${t ? ` — ${t}` : ''}${f.impact === 'custom' ? ` — ${f.help.replace(/^.*?(id ")/, '$1')}` : ''}`);
}
