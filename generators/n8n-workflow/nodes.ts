import { createHash } from 'node:crypto';

/**
 * Our node types and their parameters, in one place: the node parameter sets are still being
 * written, so every workflow builds them only through these functions.
 */
export const PACKAGE = 'n8n-nodes-kafka-suite';
export const NODE_TYPES = {
  trigger: `${PACKAGE}.kafkaSuiteTrigger`,
  producer: `${PACKAGE}.kafkaSuiteProducer`,
  schemaRegistry: `${PACKAGE}.kafkaSuiteSchemaRegistry`,
  admin: `${PACKAGE}.kafkaSuiteAdmin`,
  lagCheck: `${PACKAGE}.kafkaSuiteLagCheck`,
  lagTrigger: `${PACKAGE}.kafkaSuiteLagTrigger`,
} as const;
export const CREDENTIAL_TYPES = { cluster: 'kafkaSuiteClusterApi', schemaRegistry: 'kafkaSuiteSchemaRegistryApi', connect: 'kafkaSuiteConnectApi' } as const;

export interface N8nNode {
  id: string;
  name: string;
  type: string;
  typeVersion: number;
  position: [number, number];
  parameters: Record<string, unknown>;
  credentials?: Record<string, { id: string; name: string }>;
  webhookId?: string;
}

/** Deterministic UUID-shaped ids, so regenerating a workflow gives byte-identical JSON. */
export function stableId(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Credentials are referenced by name only; the id is derived from the name, so n8n links the
 * credential when one with that id exists and otherwise asks for it when the workflow is opened.
 */
export function credential(type: string, name: string): Record<string, { id: string; name: string }> {
  return { [type]: { id: stableId('credential', type, name).replace(/-/g, '').slice(0, 16), name } };
}

export function node(
  workflow: string,
  name: string,
  type: string,
  typeVersion: number,
  position: [number, number],
  parameters: Record<string, unknown>,
  credentials?: Record<string, { id: string; name: string }>,
): N8nNode {
  return { id: stableId(workflow, name), name, type, typeVersion, position, parameters, ...(credentials ? { credentials } : {}) };
}

export interface TriggerParams {
  topics: string;
  groupId: string;
  startFrom: 'latest' | 'earliest';
}

export const ourNodes = {
  trigger: (p: TriggerParams, extra: Record<string, unknown> = {}) => ({
    type: NODE_TYPES.trigger,
    typeVersion: 1,
    parameters: { topics: p.topics, groupId: p.groupId, startFrom: p.startFrom, deliveryMode: 'afterSuccess', ...extra },
  }),
  producer: (p: { topic: string; valueSource: 'json' | 'field' | 'string' | 'binary'; key: string }, extra: Record<string, unknown> = {}) => ({
    type: NODE_TYPES.producer,
    typeVersion: 1,
    parameters: { topic: p.topic, valueSource: p.valueSource, key: p.key, ...extra },
  }),
  lagTrigger: (p: { groups: string }) => ({ type: NODE_TYPES.lagTrigger, typeVersion: 1, parameters: { groups: p.groups } }),
  /** Admin node, Connector > Create From Template (nodes/shared/connect/catalog.ts names the fields). */
  connectorFromTemplate: (template: string, connectorName: string, fields: Record<string, string>) => ({
    type: NODE_TYPES.admin,
    typeVersion: 1,
    parameters: { resource: 'connector', operation: 'createFromTemplate', template, connectorName, ...fields },
  }),
};
