import type { ConnectionOptions } from 'node:tls';
import { KafkaSuiteError } from '../errors';
import { httpRequest } from '../http';
import { buildTlsOptions } from '../platforms';
import { registerSecret } from '../secrets';

/** The data n8n hands us for the `kafkaSuiteConnectApi` credential. */
export interface ConnectCredential {
  url: string;
  authType?: 'none' | 'basic';
  username?: string;
  password?: string;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsKeyPassphrase?: string;
  ignoreCertificateErrors?: boolean;
  timeoutMs?: number;
}

export interface ConnectorStatus {
  name: string;
  type?: string;
  connector: { state: string; worker_id?: string; trace?: string };
  tasks: Array<{ id: number; state: string; worker_id?: string; trace?: string }>;
}

export interface ConnectorInfo {
  name: string;
  config: Record<string, string>;
  tasks: Array<{ connector: string; task: number }>;
  type?: string;
}

/** Kafka Connect worker REST API (https://kafka.apache.org/documentation/#connect_rest). */
export class ConnectClient {
  readonly baseUrl: string;
  private readonly headers: Record<string, string> = {};
  private readonly tls?: ConnectionOptions;
  private readonly timeoutMs: number;

  constructor(cred: ConnectCredential) {
    const url = URL.canParse(cred.url ?? '') ? new URL(cred.url) : undefined;
    if (!url) throw new KafkaSuiteError(`Kafka Connect URL "${cred.url}" is not a URL`, { kind: 'config', context: { field: 'url' } });
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new KafkaSuiteError('Kafka Connect URL must start with http:// or https://', { kind: 'config', context: { field: 'url' } });
    }
    this.baseUrl = cred.url.replace(/\/+$/, '');
    this.timeoutMs = cred.timeoutMs ?? 30_000;
    if ((cred.authType ?? 'none') === 'basic') {
      if (!cred.username) throw new KafkaSuiteError('Kafka Connect basic auth needs a username', { kind: 'config', context: { field: 'username' } });
      registerSecret(cred.password);
      const basic = Buffer.from(`${cred.username}:${cred.password ?? ''}`).toString('base64');
      registerSecret(basic);
      this.headers.authorization = `Basic ${basic}`;
    }
    if (url.protocol === 'https:') this.tls = buildTlsOptions(cred);
  }

  /** One REST call; non-2xx answers become KafkaSuiteError carrying the worker's own message. */
  async request<T>(method: string, path: string, body?: unknown, context: Record<string, string | number | undefined> = {}): Promise<T> {
    const response = await httpRequest({
      url: `${this.baseUrl}${path}`,
      method,
      headers: { ...this.headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      tls: this.tls,
      timeoutMs: this.timeoutMs,
    });
    let parsed: any = undefined;
    if (response.text) {
      try {
        parsed = JSON.parse(response.text);
      } catch {
        parsed = response.text;
      }
    }
    if (response.status >= 200 && response.status < 300) return parsed as T;
    const message = typeof parsed === 'object' && parsed ? (parsed.message ?? JSON.stringify(parsed)) : String(parsed ?? '').slice(0, 500);
    const kind = response.status === 401 || response.status === 403 ? 'auth' : response.status === 400 || response.status === 404 || response.status === 409 ? 'config' : 'unknown';
    throw new KafkaSuiteError(`Kafka Connect ${method} ${path} answered HTTP ${response.status}: ${message}`, {
      kind,
      // 409 = the worker is rebalancing; retrying later succeeds.
      retriable: response.status >= 500 || response.status === 409,
      code: String(response.status),
      context: { ...context, status: response.status },
    });
  }

  serverInfo(): Promise<{ version: string; commit: string; kafka_cluster_id: string }> {
    return this.request('GET', '/');
  }

  /** All connectors with their status and config (one request, `expand=status&expand=info`). */
  async list(): Promise<Array<{ name: string; status: ConnectorStatus; info: ConnectorInfo }>> {
    const found = await this.request<Record<string, { status: ConnectorStatus; info: ConnectorInfo }>>('GET', '/connectors?expand=status&expand=info');
    return Object.entries(found ?? {})
      .map(([name, value]) => ({ name, status: value.status, info: value.info }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  status(name: string): Promise<ConnectorStatus> {
    return this.request('GET', `/connectors/${encodeURIComponent(name)}/status`, undefined, { connector: name });
  }

  info(name: string): Promise<ConnectorInfo> {
    return this.request('GET', `/connectors/${encodeURIComponent(name)}`, undefined, { connector: name });
  }

  async exists(name: string): Promise<boolean> {
    const names = await this.request<string[]>('GET', '/connectors');
    return names.includes(name);
  }

  /** PUT /connectors/{name}/config creates the connector or replaces its config. */
  async upsert(name: string, config: Record<string, string>): Promise<{ created: boolean; info: ConnectorInfo }> {
    const existed = await this.exists(name);
    const info = await this.request<ConnectorInfo>('PUT', `/connectors/${encodeURIComponent(name)}/config`, config, { connector: name });
    return { created: !existed, info };
  }

  /** Connector classes the worker can run (GET /connector-plugins?connectorsOnly=true). */
  async connectorPlugins(): Promise<Array<{ class: string; type: string; version?: string }>> {
    return (await this.request<Array<{ class: string; type: string; version?: string }>>('GET', '/connector-plugins?connectorsOnly=true')) ?? [];
  }

  /** Runs the worker's own validation (PUT /connector-plugins/{class}/config/validate). */
  async validate(config: Record<string, string>): Promise<Array<{ name: string; errors: string[] }>> {
    const plugin = config['connector.class'];
    if (!plugin) throw new KafkaSuiteError('The connector config needs "connector.class"', { kind: 'config', context: { field: 'config' } });
    const shortName = plugin.split('.').pop() as string;
    const result = await this.request<{ error_count: number; configs: Array<{ value: { name: string; errors: string[] } }> }>(
      'PUT',
      `/connector-plugins/${encodeURIComponent(shortName)}/config/validate`,
      config,
    );
    return result.configs.map((c) => c.value).filter((v) => v.errors.length > 0);
  }

  async pause(name: string): Promise<void> {
    await this.request('PUT', `/connectors/${encodeURIComponent(name)}/pause`, undefined, { connector: name });
  }

  async resume(name: string): Promise<void> {
    await this.request('PUT', `/connectors/${encodeURIComponent(name)}/resume`, undefined, { connector: name });
  }

  /** Restarts the connector and (by default) all its tasks (KIP-745, Connect 3.0+). */
  async restart(name: string, options: { includeTasks?: boolean; onlyFailed?: boolean } = {}): Promise<ConnectorStatus | undefined> {
    const query = `includeTasks=${options.includeTasks ?? true}&onlyFailed=${options.onlyFailed ?? false}`;
    return this.request('POST', `/connectors/${encodeURIComponent(name)}/restart?${query}`, undefined, { connector: name });
  }

  async delete(name: string): Promise<void> {
    await this.request('DELETE', `/connectors/${encodeURIComponent(name)}`, undefined, { connector: name });
  }
}

/** Credential test: reach the worker's root resource, which answers with its version. */
export async function testConnectConnection(cred: ConnectCredential): Promise<{ ok: boolean; message: string }> {
  try {
    const info = await new ConnectClient({ ...cred, timeoutMs: cred.timeoutMs ?? 10_000 }).serverInfo();
    return { ok: true, message: `Connected to Kafka Connect ${info.version} (Kafka cluster ${info.kafka_cluster_id})` };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
