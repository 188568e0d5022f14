import type { SchemaFormat, SchemaReference, SchemaRegistryClient } from '../../../shared';
import { explainAvroChange } from './avroCompatibility';
import { levelOf } from './registry';

/**
 * Local explanation of why `schema` is incompatible with a subject: reads the subject's level
 * and the version(s) it is judged against (all earlier versions for *_TRANSITIVE levels).
 */
export async function explainAgainst(
  client: SchemaRegistryClient,
  subject: string,
  version: 'latest' | number,
  schemaType: SchemaFormat,
  schema: string,
  _references: SchemaReference[],
): Promise<{ level: string; messages: string[] }> {
  const level = levelOf(await client.getCompatibility(subject)) ?? 'BACKWARD';
  if (schemaType !== 'AVRO') return { level, messages: [] };
  const targets: Array<'latest' | number> = level.endsWith('_TRANSITIVE') && version === 'latest' ? await client.listVersions(subject) : [version];
  const messages: string[] = [];
  for (const target of targets) {
    const previous = await client.getSchemaByVersion(subject, target);
    if (previous.schemaType !== 'AVRO') continue;
    const prefix = targets.length > 1 ? `version ${previous.version}: ` : '';
    for (const message of explainAvroChange(previous.schema, schema, level)) messages.push(`${prefix}${message}`);
  }
  return { level, messages: [...new Set(messages)] };
}
