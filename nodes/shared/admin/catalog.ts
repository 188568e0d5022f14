/**
 * The topic catalog as Markdown: one section per topic (layout, config overrides, schemas, the
 * groups reading it) and a Mermaid flowchart of producers → topics → consumer groups. Pure: the
 * Admin node gathers the data (cluster snapshot, registry, Connect) and hands it over.
 */

export interface CatalogSchema {
  subject: string;
  /** key / value (TopicNameStrategy), record (TopicRecordNameStrategy or seen in records) */
  role: 'key' | 'value' | 'record';
  version: number;
  id: number;
  schemaType: string;
  schema: string;
}

export interface CatalogTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  /** Overrides set on the topic (retention, cleanup policy, …). */
  overrides: Record<string, string>;
  retainedMessages: number;
  recentMessages: number;
  schemas: CatalogSchema[];
}

export interface CatalogGroup {
  groupId: string;
  state: string;
  members: number;
  topics: string[];
  lag: number;
}

export interface CatalogProducer {
  name: string;
  /** connector (a Kafka Connect source), declared (named by the user) */
  kind: string;
  topics: string[];
}

export interface CatalogInput {
  title: string;
  generatedAt: string;
  brokers: string[];
  windowMs: number;
  topics: CatalogTopic[];
  groups: CatalogGroup[];
  producers: CatalogProducer[];
  /** What could not be read (no registry credential, Connect unreachable, …), said in the document. */
  notes: string[];
}

const LANGUAGE: Record<string, string> = { AVRO: 'json', JSON: 'json', PROTOBUF: 'protobuf' };

/** Text for inside a Markdown table cell. */
const cell = (value: string) => value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
/** GitHub-style heading anchor. */
export const anchorOf = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
/** Mermaid label text: quotes and angle brackets as entities, so any topic name is a valid label. */
const label = (value: string) => value.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');

function prettySchema(schema: CatalogSchema): string {
  if (schema.schemaType === 'PROTOBUF') return schema.schema.trim();
  try {
    return JSON.stringify(JSON.parse(schema.schema), null, 2);
  } catch {
    // Not JSON (a registry may answer with the text as stored): show it as it is.
    return schema.schema.trim();
  }
}

/** A longest-run of backticks safe fence for a code block whose body may itself contain backticks. */
function fence(body: string): string {
  const longest = Math.max(2, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(longest + 1);
}

export function renderMermaid(input: Pick<CatalogInput, 'topics' | 'groups' | 'producers'>): string {
  const lines = ['flowchart LR'];
  const topicId = new Map(input.topics.map((t, i) => [t.name, `t${i}`]));
  const used = new Set<string>();
  const edges: string[] = [];
  input.producers.forEach((p, i) => {
    const targets = p.topics.filter((t) => topicId.has(t));
    if (!targets.length) return;
    lines.push(`  p${i}(["${label(p.name)}"])`);
    for (const t of targets) {
      edges.push(`  p${i} --> ${topicId.get(t)}`);
      used.add(t);
    }
  });
  input.groups.forEach((g, i) => {
    const sources = g.topics.filter((t) => topicId.has(t));
    if (!sources.length) return;
    lines.push(`  g${i}{{"${label(g.groupId)}"}}`);
    for (const t of sources) {
      edges.push(`  ${topicId.get(t)} --> g${i}`);
      used.add(t);
    }
  });
  for (const t of input.topics) lines.push(`  ${topicId.get(t.name)}[("${label(t.name)}")]`);
  lines.push(...edges);
  lines.push('  classDef producer fill:#e8f4ea,stroke:#2e7d32;', '  classDef topic fill:#e3f2fd,stroke:#1565c0;', '  classDef group fill:#fff3e0,stroke:#ef6c00;');
  const ofKind = (prefix: string) => lines.filter((l) => new RegExp(`^  ${prefix}\\d+[(\\[{]`).test(l)).map((l) => l.trim().split(/[(\[{]/)[0]);
  for (const [kind, prefix] of [
    ['producer', 'p'],
    ['topic', 't'],
    ['group', 'g'],
  ] as const) {
    const ids = ofKind(prefix);
    if (ids.length) lines.push(`  class ${ids.join(',')} ${kind};`);
  }
  return lines.join('\n');
}

export function renderCatalog(input: CatalogInput): { markdown: string; mermaid: string } {
  const mermaid = renderMermaid(input);
  const readers = new Map<string, CatalogGroup[]>();
  for (const g of input.groups) for (const t of g.topics) readers.set(t, [...(readers.get(t) ?? []), g]);
  const writers = new Map<string, CatalogProducer[]>();
  for (const p of input.producers) for (const t of p.topics) writers.set(t, [...(writers.get(t) ?? []), p]);
  const md: string[] = [];
  md.push(`# ${input.title}`, '');
  md.push(`Generated ${input.generatedAt} from the brokers ${input.brokers.map((b) => `\`${b}\``).join(', ')}: ${input.topics.length} topic(s), ${input.groups.length} consumer group(s), ${input.topics.reduce((n, t) => n + t.schemas.length, 0)} schema(s).`, '');
  for (const note of input.notes) md.push(`> ${note}`, '');
  md.push('## Data flow', '', '```mermaid', mermaid, '```', '');
  md.push('## Topics', '');
  md.push('| Topic | Partitions | Replication | Messages retained | Schemas | Read by |', '| --- | ---: | ---: | ---: | --- | --- |');
  for (const t of input.topics) {
    md.push(
      `| [${cell(t.name)}](#${anchorOf(`topic ${t.name}`)}) | ${t.partitions} | ${t.replicationFactor} | ${t.retainedMessages} | ${cell(t.schemas.map((s) => s.subject).join(', ') || '—')} | ${cell((readers.get(t.name) ?? []).map((g) => g.groupId).join(', ') || '—')} |`,
    );
  }
  md.push('');
  for (const t of input.topics) {
    md.push(`### Topic ${t.name}`, '');
    md.push(`- Partitions: ${t.partitions}, replication factor ${t.replicationFactor}`);
    md.push(`- Messages retained: ${t.retainedMessages}; appended in the last ${Math.round(input.windowMs / 1000)} s: ${t.recentMessages}`);
    const overrides = Object.entries(t.overrides).sort(([a], [b]) => a.localeCompare(b));
    md.push(`- Config overrides: ${overrides.length ? overrides.map(([k, v]) => `\`${k}=${v}\``).join(', ') : 'none (broker defaults)'}`);
    md.push(`- Written by: ${(writers.get(t.name) ?? []).map((p) => `${p.name} (${p.kind})`).join(', ') || 'not known to the cluster'}`);
    const groups = readers.get(t.name) ?? [];
    md.push(`- Read by: ${groups.length ? groups.map((g) => `\`${g.groupId}\` (${g.state}, ${g.members} member(s), lag ${g.lag})`).join(', ') : 'no consumer group'}`);
    md.push('');
    for (const s of t.schemas) {
      const body = prettySchema(s);
      const f = fence(body);
      md.push(`#### ${s.role === 'record' ? 'Record' : s.role === 'key' ? 'Key' : 'Value'} schema \`${s.subject}\` (version ${s.version}, id ${s.id}, ${s.schemaType})`, '');
      md.push(`${f}${LANGUAGE[s.schemaType] ?? ''}`, body, f, '');
    }
  }
  md.push('## Consumer groups', '');
  if (!input.groups.length) md.push('No consumer group reads these topics.', '');
  else {
    md.push('| Group | State | Members | Topics | Lag |', '| --- | --- | ---: | --- | ---: |');
    for (const g of input.groups) md.push(`| ${cell(g.groupId)} | ${g.state} | ${g.members} | ${cell(g.topics.join(', '))} | ${g.lag} |`);
    md.push('');
  }
  return { markdown: md.join('\n'), mermaid };
}

/**
 * Topics a Kafka Connect source connector writes, among `topics`: a fixed topic (`topic`,
 * `kafka.topic`, `topics`), a Debezium/JDBC prefix (`topic.prefix`), or MirrorMaker's
 * `<source alias>.<topic>` naming.
 */
export function sourceConnectorTopics(config: Record<string, string>, topics: string[]): string[] {
  const exact = new Set(
    ['topic', 'kafka.topic', 'topics']
      .flatMap((key) => String(config[key] ?? '').split(','))
      .map((t) => t.trim())
      .filter(Boolean),
  );
  const prefixes: string[] = [];
  if (config['topic.prefix']) prefixes.push(config['topic.prefix']);
  if (String(config['connector.class'] ?? '').endsWith('MirrorSourceConnector') && config['source.cluster.alias']) prefixes.push(`${config['source.cluster.alias']}.`);
  return topics.filter((t) => exact.has(t) || prefixes.some((p) => t.startsWith(p))).sort();
}
