// Summarizes a V8 .cpuprofile of the server (`node --cpu-prof`) over a time window, so start-up
// (imports, migrations) and the idle tail do not drown the load: self and inclusive time per
// function (file:function), and self time per area (PGlite, SIP stack, PBX, Node internals…).
//
//   node bench/pbx/profile-summary.mjs FILE.cpuprofile [--from S] [--to S] [--top N]
//
// --from/--to are seconds since the profile started; without them, the window is the span of
// non-idle samples after the first 20 % of the profile (start-up).
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
if (!file) {
  console.error('usage: node bench/pbx/profile-summary.mjs FILE.cpuprofile [--from S] [--to S] [--top N]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Sample times, in seconds since the start of the profile.
const times = [];
let t = 0;
for (const delta of profile.timeDeltas) times.push((t += delta) / 1e6);
const from = flag('from', undefined);
const to = flag('to', undefined);
const top = flag('top', 40);
const isIdle = (id) => nodes.get(id).callFrame.functionName === '(idle)';
let start = from;
let end = to;
if (start === undefined || end === undefined) {
  const busy = profile.samples
    .map((id, i) => (isIdle(id) ? undefined : times[i]))
    .filter((x) => x !== undefined);
  const span = times[times.length - 1] ?? 0;
  start ??= span * 0.2;
  end ??= busy[busy.length - 1] ?? span;
}

const label = (n) => {
  const f = n.callFrame;
  const url = f.url.replace(/^file:\/\/.*?\/(node_modules|packages|apps|bench)\//, '$1/');
  return url ? `${url}:${f.functionName || '(anonymous)'}` : f.functionName || '(anonymous)';
};
const area = (n) => {
  const url = n.callFrame.url;
  const name = n.callFrame.functionName;
  if (name === '(idle)') return 'idle';
  if (name === '(garbage collector)') return 'garbage collector';
  if (name === '(program)') return 'V8 (program)';
  if (url.includes('@electric-sql/pglite') || url.startsWith('wasm://'))
    return 'PGlite (embedded PostgreSQL)';
  const pkg = /\/(packages|apps)\/([^/]+)\//.exec(url);
  if (pkg) return `${pkg[1]}/${pkg[2]}`;
  const mod = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (mod) return `node_modules/${mod[1]}`;
  if (url.startsWith('node:') || url === '')
    return `Node internals / native (${name || 'anonymous'})`.replace(/ \((?!dgram|udp|fs|crypto).*\)$/, '');
  return url;
};

let total = 0;
let idle = 0;
const self = new Map();
const areas = new Map();
const inclusive = new Map();
profile.samples.forEach((id, i) => {
  if (times[i] < start || times[i] > end) return;
  total++;
  const node = nodes.get(id);
  if (isIdle(id)) idle++;
  const key = label(node);
  self.set(key, (self.get(key) ?? 0) + 1);
  const a = area(node);
  areas.set(a, (areas.get(a) ?? 0) + 1);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = label(nodes.get(cur));
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + 1);
  }
});
const busy = total - idle;
const pct = (h) => `${((h / Math.max(1, busy)) * 100).toFixed(1).padStart(5)} %`;
console.log(
  `window ${start.toFixed(1)}–${end.toFixed(1)} s: ${total} samples, ${idle} idle; percentages of the ${busy} busy samples`,
);
const print = (title, map, n) => {
  console.log(`\n${title}`);
  for (const [k, h] of [...map]
    .filter(([k]) => k !== '(idle)' && k !== 'idle')
    .sort((a, b) => b[1] - a[1])
    .slice(0, n))
    console.log(`${pct(h)}  ${k}`);
};
print('self time by area:', areas, 20);
print('self time by function:', self, top);
print('inclusive time by function:', inclusive, top);
