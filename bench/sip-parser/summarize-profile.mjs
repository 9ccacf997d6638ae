// Summarizes a V8 .cpuprofile: self time per function (top N), and total (inclusive) time for
// the same functions. Usage: node bench/sip-parser/summarize-profile.mjs <file.cpuprofile> [N]
import { readFileSync } from 'node:fs';

const [file, topArg = '30'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const selfHits = new Map();
for (const id of profile.samples) selfHits.set(id, (selfHits.get(id) ?? 0) + 1);
const total = profile.samples.length;

const label = (n) => {
  const f = n.callFrame;
  const where = f.url
    ? `${f.url.replace(/^file:\/\/.*?\/(node_modules|packages|bench)\//, '$1/')}:${f.lineNumber + 1}`
    : '';
  return `${f.functionName || '(anonymous)'} ${where}`.trim();
};

const self = new Map();
for (const [id, hits] of selfHits) {
  const key = label(nodes.get(id));
  self.set(key, (self.get(key) ?? 0) + hits);
}
// Inclusive time: a node's hits plus its descendants', counted once per function per stack.
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inclusive = new Map();
for (const [id, hits] of selfHits) {
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const key = label(nodes.get(cur));
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + hits);
  }
}
const pct = (h) => ((h / total) * 100).toFixed(1).padStart(5) + ' %';
console.log(`${total} samples\n\nself time:`);
for (const [k, h] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg)))
  console.log(`${pct(h)}  ${k}`);
console.log('\ninclusive time:');
for (const [k, h] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg)))
  console.log(`${pct(h)}  ${k}`);
