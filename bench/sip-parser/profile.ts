// Runs one contestant's operation in a tight loop, for profiling (not a benchmark module):
//
//   node --cpu-prof --cpu-prof-dir=tmp/prof --import tsx bench/sip-parser/profile.ts \
//     [switchboard|sipjs|jssip|sip] [parse|parseAndSerialize|forward] [invite|register] [seconds]
//
// Open the .cpuprofile in Chrome DevTools (Performance tab) or summarize it with
// `node bench/sip-parser/summarize-profile.mjs <file>`.
import type { Contestant } from './contestant.ts';
import { jssip } from './contestants/jssip.ts';
import { sipNpm } from './contestants/sip-npm.ts';
import { sipjs } from './contestants/sipjs.ts';
import { switchboard } from './contestants/switchboard.ts';
import { sampleMessages } from './sample-messages.ts';

const byName: Record<string, Contestant> = { switchboard, sipjs, jssip, sip: sipNpm };
const [who = 'switchboard', operation = 'parse', which = 'invite', seconds = '5'] = process.argv.slice(2);
const contestant = byName[who];
const message = sampleMessages.find((m) => m.label.toLowerCase().startsWith(which));
if (!contestant || !message) throw new Error(`unknown contestant ${who} or message ${which}`);
const bound = contestant.bind(message.text);
const op =
  operation === 'parse' ? bound.parse : operation === 'forward' ? bound.forward : bound.parseAndSerialize;
if (!op) throw new Error(`${who} has no ${operation}`);

let sink: unknown;
let count = 0;
const deadline = Date.now() + Number(seconds) * 1000;
const started = process.hrtime.bigint();
while (Date.now() < deadline) {
  for (let i = 0; i < 1000; i++) sink = op();
  count += 1000;
}
const ns = Number(process.hrtime.bigint() - started);
console.log(
  `${contestant.name} ${operation} ${message.label}: ${count} ops, ${(ns / count).toFixed(0)} ns/op`,
  typeof sink,
);
