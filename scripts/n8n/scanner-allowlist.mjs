// The findings of n8n's community-package scanner (scan-package.mjs) that this package accepts, each
// with the reason, and the code that checks a scan against them. Used by scan-package.mjs (exit 0
// when only these remain) and by test/e2e/package-checks.test.ts (fails on any other finding and on
// an entry that no longer matches anything, so the list cannot silently outgrow the code).
//
// Most entries are n8n Cloud rules. The package declares it does not run on n8n Cloud: a Kafka client
// needs raw TCP/TLS sockets, timers and `process`, which Cloud's sandbox forbids by design. Node and
// credential descriptions are held to every other rule: fix the code rather than add an entry here.
//
// An entry: rule (full ESLint rule id), leg ('tarball' = compiled files + published package.json,
// 'source' = this checkout's package.json + nodes/credentials sources), files (globs relative to the
// leg's root; `*` stays inside one path segment, `**` crosses them), optional message (RegExp that
// the finding's message must match, for entries about one field or file), reason (one line).

const CLOUD = '@n8n/community-nodes/';
// The second bundle is @platformatic/kafka (issue 12): ajv-compiled option validators (new Function)
// and its debug logger, loaded only by connections that select it.
const VENDOR = ['dist/nodes/shared/vendor.js', 'dist/nodes/shared/kafka/kafkajs/vendor.js', 'dist/nodes/shared/kafka/platformatic/vendor.js'];
const CLI = ['dist/bin/**', 'dist/generators/**'];
// The adapter library minus the bundle: connection checks (net/tls/dns), HTTP clients for Schema
// Registry / Connect / OAuth (http/https), and the client pool's idle sweeper and exit hooks.
const ADAPTER_DIST = ['dist/nodes/shared/**'];
const ADAPTER_SRC = ['nodes/shared/**'];

export const ALLOWLIST = [
  // Bundled third-party code (kafkajs, its codecs, @kafkajs/confluent-schema-registry + mappersmith, avsc,
  // protobufjs, ajv, the zstd wasm glue), built into one file by scripts/build.mjs.
  { rule: `${CLOUD}no-restricted-imports`, leg: 'tarball', files: VENDOR, reason: 'bundled kafkajs, codecs and registry client: Kafka needs net/tls sockets, zlib, crypto (SASL SCRAM), http(s) for Schema Registry' },
  { rule: `${CLOUD}no-restricted-globals`, leg: 'tarball', files: VENDOR, reason: 'bundled kafkajs, codecs and registry client: timers for retries/heartbeats/request timeouts, process for env/versions, Buffer/global in codecs' },
  { rule: `${CLOUD}no-dangerous-functions`, leg: 'tarball', files: VENDOR, reason: 'bundled libraries generate code: avsc/protobufjs/ajv compile schemas with new Function, emscripten zstd glue, mappersmith probes the environment with eval of a constant string' },
  { rule: 'no-console', leg: 'tarball', files: VENDOR, reason: "bundled libraries' own default loggers (kafkajs logCreator, mappersmith, protobufjs CLI helpers); our clients pass n8n's logger instead" },

  // The adapter library (nodes/shared), compiled and source.
  { rule: `${CLOUD}no-restricted-imports`, leg: 'tarball', files: ADAPTER_DIST, reason: 'adapter transport: node:net/tls/dns for connection diagnostics, node:http(s) agents for Schema Registry/Connect/OAuth (custom CA, mTLS)' },
  { rule: `${CLOUD}no-restricted-globals`, leg: 'tarball', files: ADAPTER_DIST, reason: 'adapter transport: deadlines on connection checks and offset operations, the pool idle sweeper, process exit hooks closing pooled clients' },
  { rule: `${CLOUD}no-restricted-imports`, leg: 'source', files: ADAPTER_SRC, reason: 'adapter transport: node:net/tls/dns for connection diagnostics, node:http(s) agents for Schema Registry/Connect/OAuth (custom CA, mTLS)' },
  { rule: `${CLOUD}no-restricted-globals`, leg: 'source', files: ADAPTER_SRC, reason: 'adapter transport: deadlines on connection checks and offset operations, the pool idle sweeper, process exit hooks closing pooled clients' },
  {
    rule: 'no-console',
    leg: 'tarball',
    files: ['dist/nodes/shared/terraform/render.js'],
    reason: "the Admin node's Terraform export bundles handlebars, whose logger writes to the console (our templates never call it)",
  },
  { rule: `${CLOUD}require-node-api-error`, leg: 'source', files: ADAPTER_SRC, reason: 'the adapter throws KafkaSuiteError, turned into NodeApiError/NodeOperationError in one place (toNodeError); see eslint.config.mjs' },

  // Kafka work inside two nodes that is not in the adapter.
  { rule: `${CLOUD}no-restricted-globals`, leg: 'tarball', files: ['dist/nodes/KafkaSuiteTrigger/v1/timers.js'], reason: "the trigger's timers, all in one file: retry pauses, crash backoff, close grace period, heartbeats, execution deadlines (long-running, not an execution, so sleep() does not fit)" },
  { rule: `${CLOUD}no-restricted-globals`, leg: 'source', files: ['nodes/KafkaSuiteTrigger/v1/timers.ts'], reason: "the trigger's timers, all in one file: retry pauses, crash backoff, close grace period, heartbeats, execution deadlines (long-running, not an execution, so sleep() does not fit)" },
  {
    rule: `${CLOUD}no-restricted-imports`,
    leg: 'tarball',
    files: ['dist/nodes/KafkaSuiteTrigger/v1/runner.js', 'dist/nodes/KafkaSuiteProducer/v1/actions/send.operation.js'],
    message: /'node:os'/,
    reason: 'os.hostname() in transactional IDs, so two n8n hosts never fence each other (Kafka transactions)',
  },
  {
    rule: `${CLOUD}no-restricted-imports`,
    leg: 'source',
    files: ['nodes/KafkaSuiteTrigger/v1/runner.ts', 'nodes/KafkaSuiteProducer/v1/actions/send.operation.ts'],
    message: /'node:os'/,
    reason: 'os.hostname() in transactional IDs, so two n8n hosts never fence each other (Kafka transactions)',
  },

  // The terminal CLI (bin/ + generators/), shipped in the same package but never loaded by n8n.
  { rule: `${CLOUD}no-restricted-imports`, leg: 'tarball', files: CLI, reason: 'the kafka-suite CLI (never loaded by n8n): fs, child_process, tty, os for generating projects' },
  { rule: `${CLOUD}no-restricted-globals`, leg: 'tarball', files: CLI, reason: 'the kafka-suite CLI (never loaded by n8n): process.argv/exit/stdout, timers in its prompt library' },
  { rule: `${CLOUD}no-dangerous-functions`, leg: 'tarball', files: CLI, reason: 'the kafka-suite CLI (never loaded by n8n): bundled plop/handlebars compile templates, spawns npm/git' },
  { rule: 'no-console', leg: 'tarball', files: CLI, reason: 'the kafka-suite CLI (never loaded by n8n) prints to the terminal' },

  // Static-analysis limits of the rules on versioned nodes (VersionedNodeType + v1/ folder, the layout
  // n8n's own built-in nodes use).
  { rule: `${CLOUD}icon-validation`, leg: 'source', files: ['nodes/*/v1/*V1.node.ts'], reason: 'versioned node: the icon is in the base description (nodes/<Node>/<Node>.node.ts), which n8n resolves relative to that file' },
  {
    rule: `${CLOUD}node-registration-complete`,
    leg: 'source',
    files: ['package.json'],
    message: /"nodes\/\w+\/v1\/\w+V1\.node\.ts" is not registered/,
    reason: 'V1 classes are versions inside a VersionedNodeType; package.json lists the versioned node, registering a version would add a duplicate node type',
  },
  {
    rule: `${CLOUD}credential-test-required`,
    leg: 'source',
    files: ['credentials/KafkaSuiteClusterApi.credentials.ts', 'credentials/KafkaSuiteSchemaRegistryApi.credentials.ts'],
    reason: 'every node using it declares testedBy (kafkaSuite*ConnectionTest in methods.credentialTest); the rule only reads descriptions written inline in *.node.ts, ours are in v1/',
  },

  // Credential fields.
  {
    rule: `${CLOUD}credential-unnecessary-password`,
    leg: 'source',
    files: ['credentials/KafkaSuiteClusterApi.credentials.ts'],
    message: /^Field 'connectionString' /,
    reason: 'the Event Hubs connection string contains the SharedAccessKey: a secret',
  },
];

const globToRegExp = (glob) =>
  new RegExp(
    `^${glob
      .split(/(\*\*\/?|\*)/)
      .map((part) => ({ '**/': '(?:.*/)?', '**': '.*', '*': '[^/]*' })[part] ?? part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('')}$`,
  );

export const entryMatches = (entry, f) =>
  entry.rule === f.rule && entry.leg === f.leg && entry.files.some((g) => globToRegExp(g).test(f.file)) && (!entry.message || entry.message.test(f.message));

/**
 * Parses the scanner's report (ESLint's "stylish" format, the only form analyzePackage() returns) into
 * findings { leg, file (relative to root, '/'-separated), line, column, severity, message, rule }.
 * Lines that look like neither a file header nor a finding are ignored, except that a finding
 * without a rule id (a parse error) gets rule '(none)', so it can never be allowlisted.
 */
export function parseStylish(details, leg, root) {
  const findings = [];
  const prefix = root.endsWith('/') ? root : `${root}/`;
  let file = null;
  for (const raw of (details || '').split('\n')) {
    const line = raw.replace(/\u001b\[[0-9;]*m/g, '');
    if (line.startsWith('/')) {
      file = line.startsWith(prefix) ? line.slice(prefix.length) : line;
      continue;
    }
    const m = /^\s+(\d+):(\d+)\s+(error|warning)\s+(.*)$/.exec(line);
    if (!m || !file) continue;
    const rest = m[4].trimEnd();
    const r = /^(.*?)\s{2,}(\S+)$/.exec(rest);
    const [message, rule] = r && /^[@\w][\w@/-]*$/.test(r[2]) ? [r[1], r[2]] : [rest, '(none)'];
    findings.push({ leg, file, line: Number(m[1]), column: Number(m[2]), severity: m[3], message, rule });
  }
  return findings;
}

/**
 * Sorts findings into accepted (matching an entry) and unexpected, and lists stale entries (matching
 * no finding). counts: { '<leg> <rule>': { accepted, unexpected } }.
 */
export function classify(findings, allowlist = ALLOWLIST) {
  const used = new Set();
  const accepted = [];
  const unexpected = [];
  const counts = {};
  for (const f of findings) {
    const i = allowlist.findIndex((e) => entryMatches(e, f));
    const key = `${f.leg} ${f.rule}`;
    counts[key] ??= { accepted: 0, unexpected: 0 };
    if (i >= 0) {
      used.add(i);
      accepted.push({ finding: f, entry: allowlist[i] });
      counts[key].accepted++;
    } else {
      unexpected.push(f);
      counts[key].unexpected++;
    }
  }
  const stale = allowlist.filter((_, i) => !used.has(i));
  return { accepted, unexpected, stale, counts };
}

export const formatFinding = (f) => `${f.leg} ${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule}: ${f.message}`;

export function formatSummary({ accepted, unexpected, stale, counts }) {
  const lines = ['Per rule (leg rule: accepted / unexpected):'];
  for (const key of Object.keys(counts).sort()) lines.push(`  ${key}: ${counts[key].accepted} / ${counts[key].unexpected}`);
  lines.push(`Total: ${accepted.length} accepted, ${unexpected.length} unexpected, ${stale.length} stale allowlist entries`);
  for (const f of unexpected) lines.push(`UNEXPECTED ${formatFinding(f)}`);
  for (const e of stale) lines.push(`STALE allowlist entry ${e.leg} ${e.rule} ${e.files.join(', ')}${e.message ? ` ${e.message}` : ''}`);
  return lines.join('\n');
}
