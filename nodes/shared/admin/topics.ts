import { KafkaSuiteError } from '../errors';
import type { KafkaAdmin } from '../kafka/api';

/** Glob with `*` and `?`, or a regular expression written as /…/flags. Empty matches everything. */
export function nameMatcher(filter: string | undefined): (name: string) => boolean {
  const trimmed = (filter ?? '').trim();
  if (!trimmed) return () => true;
  const regex = /^\/(.+)\/([a-z]*)$/.exec(trimmed);
  if (regex) {
    let compiled: RegExp | undefined;
    let problem = '';
    try {
      compiled = new RegExp(regex[1], regex[2]);
    } catch (error) {
      problem = (error as Error).message;
    }
    if (!compiled) throw new KafkaSuiteError(`Invalid regular expression ${trimmed}: ${problem}`, { kind: 'config', context: { field: 'filter' } });
    const matcher = compiled;
    return (name) => matcher.test(name);
  }
  if (!/[*?]/.test(trimmed)) return (name) => name.includes(trimmed);
  const pattern = new RegExp(`^${trimmed.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return (name) => pattern.test(name);
}

export async function assertTopicsExist(admin: KafkaAdmin, topics: string[]): Promise<void> {
  const empty = topics.filter((t) => !t.trim());
  if (empty.length || topics.length === 0) throw new KafkaSuiteError('A topic name is required', { kind: 'config', context: { field: 'topic' } });
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t));
  if (missing.length) {
    throw new KafkaSuiteError(`Topic${missing.length > 1 ? 's' : ''} ${missing.map((t) => `"${t}"`).join(', ')} ${missing.length > 1 ? 'do' : 'does'} not exist`, {
      kind: 'config',
      context: { field: 'topic' },
    });
  }
}

export interface TopicConfigEntry {
  name: string;
  value: string | null;
  isDefault: boolean;
  source: string;
  readOnly: boolean;
  sensitive: boolean;
}

/**
 * The suite's short name of a config source (what the node outputs): Kafka's DYNAMIC_TOPIC_CONFIG is
 * "TOPIC", STATIC_BROKER_CONFIG is "STATIC_BROKER", and so on.
 */
export function configSourceLabel(source: string): string {
  return source === 'DYNAMIC_TOPIC_CONFIG' ? 'TOPIC' : source.replace(/_CONFIG$/, '');
}

export async function describeResourceConfigs(admin: KafkaAdmin, type: 'topic' | 'broker', name: string): Promise<TopicConfigEntry[]> {
  const [resource] = await admin.describeConfigs([{ kind: type, name }]);
  return (resource?.entries ?? [])
    .map((e) => ({
      name: e.name,
      value: e.value,
      isDefault: e.isDefault,
      source: configSourceLabel(e.source),
      readOnly: e.readOnly,
      sensitive: e.isSensitive,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Overrides set on the topic itself (what `kafka-configs --describe` lists and Terraform manages). */
export const topicOverrides = (entries: TopicConfigEntry[]): Record<string, string> =>
  Object.fromEntries(entries.filter((e) => e.source === 'TOPIC' && e.value !== null).map((e) => [e.name, e.value as string]));

/**
 * Sets and removes topic config overrides while keeping all others. The API's alterConfigs is the
 * legacy AlterConfigs request, which replaces the topic's whole override set, hence read-modify-write.
 */
export async function updateTopicConfigs(
  admin: KafkaAdmin,
  topic: string,
  set: Record<string, string>,
  remove: string[],
): Promise<{ before: Record<string, string>; after: Record<string, string> }> {
  await assertTopicsExist(admin, [topic]);
  const entries = await describeResourceConfigs(admin, 'topic', topic);
  const known = new Map(entries.map((e) => [e.name, e]));
  const unknown = [...Object.keys(set), ...remove].filter((name) => !known.has(name));
  if (unknown.length) {
    throw new KafkaSuiteError(`Unknown topic config name${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, { kind: 'config', context: { field: 'configs', topic } });
  }
  const readOnly = Object.keys(set).filter((name) => known.get(name)?.readOnly);
  if (readOnly.length) throw new KafkaSuiteError(`Read-only topic config: ${readOnly.join(', ')}`, { kind: 'config', context: { field: 'configs', topic } });
  const hiddenOverrides = entries.filter((e) => e.source === 'TOPIC' && e.value === null && !(e.name in set) && !remove.includes(e.name));
  if (hiddenOverrides.length) {
    // The broker does not return sensitive values; rewriting the set without them would drop them.
    throw new KafkaSuiteError(
      `Topic "${topic}" has sensitive overrides (${hiddenOverrides.map((e) => e.name).join(', ')}) whose values the broker does not reveal; set them in the same call so they are not lost`,
      { kind: 'config', context: { field: 'configs', topic } },
    );
  }
  const before = topicOverrides(entries);
  const after: Record<string, string> = { ...before, ...set };
  for (const name of remove) delete after[name];
  await admin.alterConfigs([{ kind: 'topic', name: topic, entries: Object.entries(after).map(([name, value]) => ({ name, value })) }]);
  return { before, after };
}
