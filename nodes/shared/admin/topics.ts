import { KafkaSuiteError } from '../errors';
import { ConfigResourceTypes, type Admin } from '../vendor';

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

export async function assertTopicsExist(admin: Admin, topics: string[]): Promise<void> {
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

const SOURCES: Record<number, string> = {
  0: 'UNKNOWN',
  1: 'TOPIC',
  2: 'DYNAMIC_BROKER',
  3: 'DYNAMIC_DEFAULT_BROKER',
  4: 'STATIC_BROKER',
  5: 'DEFAULT',
  6: 'DYNAMIC_BROKER_LOGGER',
};

export async function describeResourceConfigs(admin: Admin, type: 'topic' | 'broker', name: string): Promise<TopicConfigEntry[]> {
  const response = await admin.describeConfigs({
    resources: [{ type: type === 'topic' ? ConfigResourceTypes.TOPIC : ConfigResourceTypes.BROKER, name }],
    includeSynonyms: false,
  });
  const resource = response.resources[0];
  if (resource?.errorCode) {
    throw new KafkaSuiteError(`Cannot describe the configs of ${type} "${name}": ${resource.errorMessage || `error code ${resource.errorCode}`}`, { kind: 'protocol', code: String(resource.errorCode) });
  }
  return (resource?.configEntries ?? [])
    .map((e) => ({
      name: e.configName,
      value: e.configValue ?? null,
      isDefault: e.isDefault,
      source: SOURCES[e.configSource] ?? String(e.configSource),
      readOnly: e.readOnly,
      sensitive: e.isSensitive,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Overrides set on the topic itself (what `kafka-configs --describe` lists and Terraform manages). */
export const topicOverrides = (entries: TopicConfigEntry[]): Record<string, string> =>
  Object.fromEntries(entries.filter((e) => e.source === 'TOPIC' && e.value !== null).map((e) => [e.name, e.value as string]));

/**
 * Sets and removes topic config overrides while keeping all others. kafkajs only has the legacy
 * AlterConfigs request, which replaces the topic's whole override set, hence read-modify-write.
 */
export async function updateTopicConfigs(
  admin: Admin,
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
  await admin.alterConfigs({
    validateOnly: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: Object.entries(after).map(([name, value]) => ({ name, value })) }],
  });
  return { before, after };
}
