// Shared helpers for the end-to-end tests: a client for the suite's n8n (started once by
// globalSetup.ts), credentials pointing at the local services, and small workflow builders.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { E2eState } from './globalSetup';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const clientModule = require('../../scripts/n8n/client.cjs');

export const { waitFor, nodeOutput, executionError } = clientModule as {
  waitFor: <T>(check: () => T | Promise<T>, o?: { timeout?: number; interval?: number; what?: string }) => Promise<T>;
  nodeOutput: (execution: any, nodeName: string, o?: { output?: number; run?: number }) => any[];
  executionError: (execution: any) => string | undefined;
};

export const ROOT = path.resolve(__dirname, '..', '..');
export const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');
export const PKG = 'n8n-nodes-kafka-suite';

export const NODE_TYPES = {
  producer: `${PKG}.kafkaSuiteProducer`,
  trigger: `${PKG}.kafkaSuiteTrigger`,
  schemaRegistry: `${PKG}.kafkaSuiteSchemaRegistry`,
  admin: `${PKG}.kafkaSuiteAdmin`,
  lagCheck: `${PKG}.kafkaSuiteLagCheck`,
  lagTrigger: `${PKG}.kafkaSuiteLagTrigger`,
} as const;

export function state(): E2eState {
  const file = process.env.KAFKA_SUITE_E2E_STATE;
  if (!file) throw new Error('KAFKA_SUITE_E2E_STATE is not set: run these tests with `npm run test:e2e`');
  return JSON.parse(readFileSync(file, 'utf8'));
}

export interface N8nClient {
  baseUrl: string;
  apiKey: string;
  owner: { email: string; password: string };
  rest(method: string, p: string, body?: unknown): Promise<any>;
  api(method: string, p: string, body?: unknown): Promise<any>;
  createCredential(c: { name: string; type: string; data: Record<string, unknown> }): Promise<{ id: string; name: string }>;
  createWorkflow(wf: any): Promise<any>;
  getWorkflow(id: string): Promise<any>;
  deleteWorkflow(id: string): Promise<any>;
  publish(id: string): Promise<any>;
  unpublish(id: string): Promise<any>;
  executions(o?: { workflowId?: string; status?: string; limit?: number }): Promise<any[]>;
  execution(id: string, o?: { wait?: boolean; timeout?: number }): Promise<any>;
  runManual(id: string, o?: { timeout?: number; trigger?: string }): Promise<any>;
  login(): Promise<unknown>;
}

let cached: N8nClient | undefined;
export function n8n(): N8nClient {
  if (!cached) cached = clientModule.createClient(state()) as N8nClient;
  return cached;
}

export const brokers = (): string => {
  const b = process.env.KAFKA_BOOTSTRAP_SERVERS;
  if (!b) throw new Error('KAFKA_BOOTSTRAP_SERVERS is not set (test/setup/globalSetup.ts exports it)');
  return b;
};
export const registryUrl = (): string => {
  const u = process.env.SCHEMA_REGISTRY_URL;
  if (!u) throw new Error('SCHEMA_REGISTRY_URL is not set (test/setup/globalSetup.ts exports it)');
  return u;
};

const credentialCache: Record<string, { id: string; name: string }> = {};
/** The kafkaSuiteClusterApi credential for the local plaintext listener (created once per test file). */
export async function clusterCredential(): Promise<{ id: string; name: string }> {
  credentialCache.cluster ??= await n8n().createCredential({
    name: `e2e cluster ${randomUUID().slice(0, 8)}`,
    type: 'kafkaSuiteClusterApi',
    data: { platform: 'apache', brokers: brokers(), securityProtocol: 'plaintext' },
  });
  return credentialCache.cluster;
}
/** The kafkaSuiteSchemaRegistryApi credential for the local registry's ccompat v7 API. */
export async function registryCredential(): Promise<{ id: string; name: string }> {
  credentialCache.registry ??= await n8n().createCredential({
    name: `e2e registry ${randomUUID().slice(0, 8)}`,
    type: 'kafkaSuiteSchemaRegistryApi',
    data: { url: registryUrl() },
  });
  return credentialCache.registry;
}

export interface NodeSpec {
  name: string;
  type: string;
  typeVersion?: number;
  parameters?: Record<string, unknown>;
  credentials?: Record<string, { id: string; name: string }>;
}

/** A linear workflow: the given nodes chained left to right. */
export function chain(name: string, nodes: NodeSpec[]): any {
  const full = nodes.map((n, i) => ({
    id: randomUUID(),
    name: n.name,
    type: n.type,
    typeVersion: n.typeVersion ?? 1,
    position: [i * 240, 0],
    parameters: n.parameters ?? {},
    ...(n.credentials ? { credentials: n.credentials } : {}),
  }));
  const connections: Record<string, any> = {};
  for (let i = 0; i < full.length - 1; i++) {
    connections[full[i].name] = { main: [[{ node: full[i + 1].name, type: 'main', index: 0 }]] };
  }
  return { name, nodes: full, connections, settings: { executionOrder: 'v1' } };
}

export const manualTrigger: NodeSpec = { name: 'Manual', type: 'n8n-nodes-base.manualTrigger', parameters: {} };

/** A Code node that emits the given items (runs in n8n's task runner). */
export function itemsNode(name: string, items: Record<string, unknown>[]): NodeSpec {
  return {
    name,
    type: 'n8n-nodes-base.code',
    typeVersion: 2,
    parameters: { jsCode: `return ${JSON.stringify(items.map((json) => ({ json })))};` },
  };
}

/** Creates a workflow, runs it from its Manual Trigger and returns the execution; fails on error. */
export async function runWorkflow(wf: any, { timeout = 120000 } = {}): Promise<any> {
  const created = await n8n().createWorkflow(wf);
  const execution = await n8n().runManual(created.id, { timeout });
  const err = executionError(execution);
  if (err || execution.status !== 'success') {
    throw new Error(`workflow "${wf.name}" ended with status ${execution.status}: ${err ?? 'no error recorded'}`);
  }
  return execution;
}

/** Warning/error lines of n8n's log (JSON format in the suite) that mention our package or node types. */
export function logProblemsAboutOurPackage(): string[] {
  return clientModule.logProblems(readFileSync(state().logFile, 'utf8'));
}
