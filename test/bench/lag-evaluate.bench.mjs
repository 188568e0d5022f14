// Benchmark: CPU time of one lag evaluation over 50 groups x 200 partitions, outside broker calls.
// Run with `npm run bench:lag`. Feeds synthetic snapshots into the pure code in nodes/shared/lag/
// (Burrow rules, time-lag interpolation, catch-up, incidents, Prometheus text) with full windows
// and timelines, and reports process.cpuUsage() per evaluation. Budget: under 1 s of CPU.
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const GROUPS = Number(process.env.BENCH_GROUPS ?? 50);
const TOPICS_PER_GROUP = 10;
const PARTITIONS_PER_TOPIC = Number(process.env.BENCH_PARTITIONS ?? 200) / TOPICS_PER_GROUP;
const WINDOW = Number(process.env.BENCH_WINDOW ?? 10);
const TIMELINE_POINTS = 60;
const WARMUP_RUNS = TIMELINE_POINTS + 5; // fills every window and timeline to its bound
const MEASURED_RUNS = 20;
const BUDGET_MS = 1000;

// Only the pure modules: bundling index.ts would drag in the broker client.
const dir = mkdtempSync(join(tmpdir(), 'lag-bench-'));
const outfile = join(dir, 'lag.cjs');
await build({
  stdin: {
    contents: "export * from './evaluate'; export * from './incidents'; export * from './prometheus';",
    resolveDir: join(root, 'nodes', 'shared', 'lag'),
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile,
  logLevel: 'warning',
});
const lag = createRequire(import.meta.url)(outfile);
rmSync(dir, { recursive: true, force: true });

// Deterministic pseudo-random so runs are comparable.
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

const committed = [];
const logEnd = [];
for (let g = 0; g < GROUPS; g++) {
  committed.push(new Float64Array(TOPICS_PER_GROUP * PARTITIONS_PER_TOPIC));
  logEnd.push(new Float64Array(TOPICS_PER_GROUP * PARTITIONS_PER_TOPIC));
}

function snapshotAt(run) {
  const groups = [];
  for (let g = 0; g < GROUPS; g++) {
    const partitions = [];
    // A mix of behaviours so every rule runs: healthy, lagging, stopped, idle groups.
    const behaviour = g % 4;
    for (let t = 0; t < TOPICS_PER_GROUP; t++) {
      for (let p = 0; p < PARTITIONS_PER_TOPIC; p++) {
        const i = t * PARTITIONS_PER_TOPIC + p;
        const produced = behaviour === 3 ? 0 : Math.floor(random() * 100);
        logEnd[g][i] += produced;
        if (behaviour === 0) committed[g][i] = Math.max(committed[g][i], logEnd[g][i] - Math.floor(random() * 3));
        else if (behaviour === 1) committed[g][i] += Math.floor(produced * 0.8);
        else if (behaviour === 3) committed[g][i] = logEnd[g][i];
        partitions.push({ topic: `g${g}-topic-${t}`, partition: p, committed: Math.max(0, committed[g][i]), logEnd: logEnd[g][i] });
      }
    }
    groups.push({ group: `group-${g}`, found: true, state: behaviour === 2 ? 'Empty' : 'Stable', members: behaviour === 2 ? 0 : 3, partitions });
  }
  return { at: 1_700_000_000_000 + run * 30_000, groups };
}

const options = { windowSize: WINDOW, allowedLag: 0, maxTimelinePoints: TIMELINE_POINTS };
let state = lag.emptyLagState();
let incidents = {};
let id = 0;
const newId = () => `incident-${++id}`;

const parts = { json: 0, evaluate: 0, incidents: 0, prometheus: 0 };
const cpuMs = (before) => {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
};

function evaluationRun(run, snapshot, breakdown) {
  // n8n keeps static data as JSON between runs: parse + stringify is part of the real cost.
  let t = process.cpuUsage();
  state = JSON.parse(JSON.stringify(state));
  if (breakdown) parts.json += cpuMs(t);
  t = process.cpuUsage();
  const result = lag.evaluateSnapshot(state, snapshot, options);
  state = result.state;
  if (breakdown) parts.evaluate += cpuMs(t);
  t = process.cpuUsage();
  const step = lag.stepIncidents(incidents, result.groups, { debouncePolls: 2, now: snapshot.at, newId });
  incidents = step.state;
  if (breakdown) parts.incidents += cpuMs(t);
  t = process.cpuUsage();
  const text = lag.toPrometheus(result.groups);
  if (breakdown) parts.prometheus += cpuMs(t);
  return { result, events: step.events.length, bytes: text.length };
}

for (let run = 0; run < WARMUP_RUNS; run++) evaluationRun(run, snapshotAt(run));

const cpu = [];
let last;
for (let run = WARMUP_RUNS; run < WARMUP_RUNS + MEASURED_RUNS; run++) {
  const snapshot = snapshotAt(run); // synthetic broker data is not part of the measured work
  const before = process.cpuUsage();
  last = evaluationRun(run, snapshot, false);
  const used = process.cpuUsage(before);
  cpu.push((used.user + used.system) / 1000);
}
// A separate pass for the breakdown, so the per-part probes do not inflate the totals above.
for (let run = WARMUP_RUNS + MEASURED_RUNS; run < WARMUP_RUNS + 2 * MEASURED_RUNS; run++) evaluationRun(run, snapshotAt(run), true);
cpu.sort((a, b) => a - b);
const median = cpu[Math.floor(cpu.length / 2)];
const max = cpu[cpu.length - 1];
const statuses = {};
for (const group of last.result.groups) statuses[`${group.status}/${group.worstPartitionStatus}`] = (statuses[`${group.status}/${group.worstPartitionStatus}`] ?? 0) + 1;

console.log(`lag evaluation: ${GROUPS} groups x ${TOPICS_PER_GROUP * PARTITIONS_PER_TOPIC} partitions, window ${WINDOW}, timeline ${TIMELINE_POINTS} points`);
console.log(`  includes: static-data JSON round trip, Burrow rules, time-lag interpolation, catch-up, incidents, Prometheus text (${last.bytes} bytes)`);
console.log(`  statuses: ${JSON.stringify(statuses)}`);
console.log(`  CPU per evaluation (process.cpuUsage, user+system, ${MEASURED_RUNS} runs): min ${cpu[0].toFixed(1)} ms, median ${median.toFixed(1)} ms, max ${max.toFixed(1)} ms`);
console.log(`  mean breakdown: ${Object.entries(parts).map(([k, v]) => `${k} ${(v / MEASURED_RUNS).toFixed(1)} ms`).join(', ')}`);
console.log(`  budget ${BUDGET_MS} ms: ${max < BUDGET_MS ? 'PASS' : 'FAIL'}`);
process.exitCode = max < BUDGET_MS ? 0 : 1;
