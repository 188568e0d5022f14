// Summarises a .cpuprofile written with BENCH_PROFILE=<dir> (or node --cpu-prof): self time per
// source file of the esbuild bundle (its "// path" markers), per library and per Node internal, then
// the functions with the most self time.
//   node test/bench/lib/profileSummary.mjs <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node test/bench/lib/profileSummary.mjs <file.cpuprofile> [top]\n');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));

// Bundled files: line number -> the source file esbuild marked above it.
const markers = new Map();
function sourceOf(url, line) {
  if (!url.startsWith('file://') || !/\.(cjs|js)$/.test(url)) return undefined;
  if (!markers.has(url)) {
    const list = [];
    try {
      readFileSync(fileURLToPath(url), 'utf8').split('\n').forEach((text, i) => {
        const m = /^\/\/ (\S+\.(?:ts|js|mjs|cjs))$/.exec(text);
        if (m) list.push([i, m[1]]);
      });
    } catch {
      // not readable any more: report the URL itself
    }
    markers.set(url, list);
  }
  let found;
  for (const [at, name] of markers.get(url)) {
    if (at > line) break;
    found = name;
  }
  return found;
}

const byFile = new Map();
const byFunction = new Map();
let total = 0;
profile.samples.forEach((id, i) => {
  const { callFrame: f } = nodes.get(id);
  const dt = profile.timeDeltas[i] ?? 0;
  total += dt;
  const source = sourceOf(f.url, f.lineNumber);
  const where = source ?? (f.url ? f.url.replace(/^.*node_modules\//, '').split('/').slice(0, 2).join('/') : f.functionName || '(native)');
  byFile.set(where, (byFile.get(where) ?? 0) + dt);
  const fn = `${f.functionName || '(anonymous)'} ${source ?? where}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + dt);
});
const print = (title, map) => {
  process.stdout.write(`${title}\n`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${(v / 1000).toFixed(0).padStart(7)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}\n`);
  }
};
process.stdout.write(`${file}: ${(total / 1000).toFixed(0)} ms sampled\n`);
print('self time by file', byFile);
print('self time by function', byFunction);
