// Drives the Schema Registry node like n8n would, and talks to the registry directly (fetch) to
// check effects and to pin down where Apicurio's ccompat API differs from Confluent's.
import { randomUUID } from 'node:crypto';
import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { KafkaSuiteSchemaRegistry } from '../../../nodes/KafkaSuiteSchemaRegistry/KafkaSuiteSchemaRegistry.node';
import { createExecuteContext } from '../../helpers/n8nContext';
import { facts } from '../../setup/facts';

export const registryCredential = () => ({ url: facts.schemaRegistryUrl, authType: 'none' });
export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
export const json = (items: INodeExecutionData[]) => items.map((i) => i.json as Record<string, any>);

export async function runNode(
  parameters: Record<string, unknown>,
  options: { continueOnFail?: boolean; items?: INodeExecutionData[] } = {},
): Promise<INodeExecutionData[]> {
  const node = new KafkaSuiteSchemaRegistry().nodeVersions[1] as INodeType;
  const context = createExecuteContext({
    parameters,
    credentials: { kafkaSuiteSchemaRegistryApi: registryCredential() },
    continueOnFail: options.continueOnFail,
    items: options.items,
    node: { type: 'n8n-nodes-kafka-suite.kafkaSuiteSchemaRegistry', name: 'Kafka Schema Registry' },
  });
  return ((await node.execute!.call(context as unknown as IExecuteFunctions)) as INodeExecutionData[][])[0];
}

export const run1 = async (parameters: Record<string, unknown>) => json(await runNode(parameters))[0];

/** A raw call to the registry, for checking effects and documenting its behaviour. */
export async function raw(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; text: string }> {
  const response = await fetch(`${facts.schemaRegistryUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: any = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed, text };
}

export const avroRecord = (name: string, fields: Array<Record<string, unknown>>, namespace = 'com.example') =>
  JSON.stringify({ type: 'record', name, namespace, fields });
