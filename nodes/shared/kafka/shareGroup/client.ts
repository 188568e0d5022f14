// The share-group requests over @platformatic/kafka's Connection (socket, TLS, SASL, request framing
// and correlation are the library's): one connection per broker, the group coordinator found with
// FindCoordinator, topics named by id through Metadata, versions agreed through ApiVersions.
import type { Connection, ConnectionOptions, Reader, Writer } from '../platformatic/vendor';
import { loadPlatformatic } from '../platformatic/load';
import { toSuiteError } from '../platformatic/options';
import {
  ApiKeys,
  SUPPORTED_VERSIONS,
  errorName,
  readAlterShareGroupOffsets,
  readDescribeShareGroupOffsets,
  readShareAcknowledge,
  readShareFetch,
  readShareGroupDescribe,
  readShareGroupHeartbeat,
  writeAlterShareGroupOffsets,
  writeDescribeShareGroupOffsets,
  writeShareAcknowledge,
  writeShareFetch,
  writeShareGroupDescribe,
  writeShareGroupHeartbeat,
  type AlterShareGroupOffsetsResponse,
  type ShareAcknowledgeRequest,
  type ShareAcknowledgeResponse,
  type ShareFetchRequest,
  type ShareFetchResponse,
  type ShareGroupDescription,
  type ShareGroupHeartbeatRequest,
  type ShareGroupHeartbeatResponse,
  type ShareGroupOffsets,
} from './protocol';
import { LIST_GROUPS, LIST_GROUPS_VERSION, readListGroups, writeListGroups, type ListedGroup } from './listGroups';

export interface ShareClientOptions {
  /** host:port strings. */
  brokers: string[];
  clientId?: string;
  /** TLS, SASL and timeouts, as the library's Connection takes them (see ../platformatic/options.ts). */
  connection?: ConnectionOptions;
  /** How long a coordinator that is not available yet is waited for (default 30 s). */
  coordinatorWaitMs?: number;
}

/** A broker-side refusal of a share request, named as the broker names it. */
export class ShareGroupError extends Error {
  constructor(
    readonly api: string,
    readonly code: number,
    readonly serverMessage: string | null,
  ) {
    super(`${api} failed: ${errorName(code)}${serverMessage ? ` (${serverMessage})` : ''}`);
    this.name = 'ShareGroupError';
  }

  get errorName(): string {
    return errorName(this.code);
  }
}

export interface TopicInfo {
  name: string;
  topicId: string;
  /** partition -> leader node id */
  leaders: Map<number, number>;
}

const GROUP_RESOURCE_TYPE = 32; // ConfigResource.Type.GROUP (KIP-848 / KIP-932 group configs)

function splitHostPort(hostPort: string): { host: string; port: number } {
  const i = hostPort.lastIndexOf(':');
  return { host: hostPort.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(hostPort.slice(i + 1)) };
}

export class ShareClient {
  private readonly clientId: string;
  private readonly connections = new Map<string, Promise<Connection>>();
  private readonly nodes = new Map<number, { host: string; port: number }>();
  private versions: Map<number, number> | undefined;
  private closed = false;

  constructor(private readonly options: ShareClientOptions) {
    this.clientId = options.clientId ?? 'n8n-kafka-suite';
  }

  /** A connection to host:port, opened once and reused; a closed or failed one is replaced. */
  private connection(host: string, port: number): Promise<Connection> {
    if (this.closed) return Promise.reject(new Error('ShareClient is closed'));
    const key = `${host}:${port}`;
    const existing = this.connections.get(key);
    if (existing) return existing;
    const { Connection: ConnectionClass } = loadPlatformatic();
    const connection = new ConnectionClass(this.clientId, this.options.connection ?? {});
    // A refused connection (TLS handshake, SASL authentication) as the library's other clients report
    // it: a KafkaSuiteError naming the broker and the mechanism with the broker's reason (the library's
    // own top error only says "Connection to host:port failed"). Never the password.
    const mechanism = this.options.connection?.sasl?.mechanism;
    const ready = (connection.connect(host, port) as Promise<void>).then(
      () => connection,
      (error: unknown) => {
        throw toSuiteError(error, { broker: key, ...(mechanism ? { mechanism } : {}) });
      },
    );
    this.connections.set(key, ready);
    const forget = () => {
      if (this.connections.get(key) === ready) this.connections.delete(key);
    };
    connection.on('close', forget);
    connection.on('error', forget);
    ready.catch(forget);
    return ready;
  }

  private async bootstrap(): Promise<Connection> {
    let last: unknown;
    for (const broker of this.options.brokers) {
      const { host, port } = splitHostPort(broker);
      try {
        return await this.connection(host, port);
      } catch (error) {
        last = error;
      }
    }
    throw last ?? new Error('No broker to connect to');
  }

  async nodeConnection(nodeId: number): Promise<Connection> {
    if (!this.nodes.has(nodeId)) await this.metadata([]);
    const node = this.nodes.get(nodeId);
    if (!node) throw new Error(`Broker ${nodeId} is not in the cluster metadata`);
    return this.connection(node.host, node.port);
  }

  /** The newest version of `apiKey` both sides speak; throws when the broker speaks none (no share groups). */
  async version(apiKey: number): Promise<number> {
    if (!this.versions) {
      const { apiVersionsV4 } = loadPlatformatic();
      const response = await apiVersionsV4.api.async(await this.bootstrap(), this.clientId, '1');
      this.versions = new Map(response.apiKeys.map((a) => [a.apiKey, a.maxVersion] as [number, number]));
      const min = new Map(response.apiKeys.map((a) => [a.apiKey, a.minVersion] as [number, number]));
      for (const [key, max] of this.versions) {
        const ours = SUPPORTED_VERSIONS[key];
        if (!ours) continue;
        const best = Math.min(max, ours[1]);
        this.versions.set(key, best >= Math.max(ours[0], min.get(key) ?? 0) ? best : -1);
      }
    }
    const v = this.versions.get(apiKey) ?? -1;
    if (v < 0) {
      throw new ShareGroupError(`API ${apiKey}`, 35, 'the broker offers no version of this share-group API this client speaks; share groups need Kafka 4.1+ with share.version >= 1');
    }
    return v;
  }

  private async send<T>(connection: Connection, apiKey: number, version: number, write: (w: Writer) => Writer, read: (r: Reader) => T): Promise<T> {
    const { Writer: WriterClass } = loadPlatformatic();
    return new Promise<T>((resolve, reject) => {
      connection.send<T>(
        apiKey,
        version,
        () => write(WriterClass.create()),
        (_correlationId, _apiKey, _apiVersion, reader) => read(reader),
        true,
        true,
        (error, payload) => (error ? reject(error) : resolve(payload as T)),
      );
    });
  }

  /** Topic ids, partition leaders and broker addresses. [] asks for brokers only; null for every topic. */
  async metadata(topics: string[] | null): Promise<Map<string, TopicInfo>> {
    const { metadataV12 } = loadPlatformatic();
    const response = await metadataV12.api.async(await this.bootstrap(), topics, false, false);
    for (const b of response.brokers) this.nodes.set(b.nodeId, { host: b.host, port: b.port });
    const out = new Map<string, TopicInfo>();
    for (const t of response.topics) {
      if (t.errorCode !== 0) throw new ShareGroupError('Metadata', t.errorCode, t.name ?? null);
      out.set(t.topicId, { name: t.name ?? '', topicId: t.topicId, leaders: new Map(t.partitions.map((p) => [p.partitionIndex, p.leaderId] as [number, number])) });
    }
    return out;
  }

  /** The group coordinator of a share group (FindCoordinator key type GROUP). */
  async coordinator(groupId: string): Promise<Connection> {
    const { findCoordinatorV6 } = loadPlatformatic();
    // A fresh cluster answers COORDINATOR_NOT_AVAILABLE until __consumer_offsets exists, and
    // COORDINATOR_LOAD_IN_PROGRESS while a coordinator moves: both pass within seconds.
    const deadline = Date.now() + (this.options.coordinatorWaitMs ?? 30_000);
    let c: { nodeId: number; host: string; port: number; errorCode: number; errorMessage: unknown } | undefined;
    for (;;) {
      try {
        c = (await findCoordinatorV6.api.async(await this.bootstrap(), 0, [groupId])).coordinators[0];
      } catch (error) {
        c = (error as { response?: { coordinators?: typeof c[] } }).response?.coordinators?.[0];
        if (!c) throw error;
      }
      if (c && c.errorCode === 0) break;
      if (!c || ![14, 15].includes(c.errorCode) || Date.now() > deadline) {
        throw new ShareGroupError('FindCoordinator', c?.errorCode ?? -1, (c?.errorMessage as string | null | undefined) ?? null);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    this.nodes.set(c.nodeId, { host: c.host, port: c.port });
    return this.connection(c.host, c.port);
  }

  async heartbeat(coordinator: Connection, request: ShareGroupHeartbeatRequest): Promise<ShareGroupHeartbeatResponse> {
    const v = await this.version(ApiKeys.ShareGroupHeartbeat);
    return this.send(coordinator, ApiKeys.ShareGroupHeartbeat, v, (w) => writeShareGroupHeartbeat(w, request), readShareGroupHeartbeat);
  }

  async shareFetch(leader: Connection, request: ShareFetchRequest): Promise<ShareFetchResponse> {
    const v = await this.version(ApiKeys.ShareFetch);
    return this.send(leader, ApiKeys.ShareFetch, v, (w) => writeShareFetch(w, v, request), readShareFetch);
  }

  async shareAcknowledge(leader: Connection, request: ShareAcknowledgeRequest): Promise<ShareAcknowledgeResponse> {
    const v = await this.version(ApiKeys.ShareAcknowledge);
    return this.send(leader, ApiKeys.ShareAcknowledge, v, (w) => writeShareAcknowledge(w, v, request), readShareAcknowledge);
  }

  async describeGroups(groupIds: string[]): Promise<ShareGroupDescription[]> {
    const v = await this.version(ApiKeys.ShareGroupDescribe);
    const out: ShareGroupDescription[] = [];
    for (const groupId of groupIds) {
      const response = await this.send(await this.coordinator(groupId), ApiKeys.ShareGroupDescribe, v, (w) => writeShareGroupDescribe(w, [groupId]), readShareGroupDescribe);
      out.push(...response.groups);
    }
    return out;
  }

  /** Start offsets (and, from v1, lag) per share-partition; topics null for all the group has state for. */
  async describeOffsets(groupId: string, topics: Array<{ topicName: string; partitions: number[] }> | null = null): Promise<ShareGroupOffsets> {
    const v = await this.version(ApiKeys.DescribeShareGroupOffsets);
    const response = await this.send(
      await this.coordinator(groupId),
      ApiKeys.DescribeShareGroupOffsets,
      v,
      (w) => writeDescribeShareGroupOffsets(w, [{ groupId, topics }]),
      (r) => readDescribeShareGroupOffsets(r, v),
    );
    const group = response.groups[0];
    if (group.errorCode !== 0) throw new ShareGroupError('DescribeShareGroupOffsets', group.errorCode, group.errorMessage);
    return group;
  }

  /** Sets a share group's start offsets; the broker refuses while the group has members (GROUP_NOT_EMPTY). */
  async alterOffsets(groupId: string, topics: Array<{ topicName: string; partitions: Array<{ partitionIndex: number; startOffset: bigint }> }>): Promise<AlterShareGroupOffsetsResponse> {
    const v = await this.version(ApiKeys.AlterShareGroupOffsets);
    const response = await this.send(await this.coordinator(groupId), ApiKeys.AlterShareGroupOffsets, v, (w) => writeAlterShareGroupOffsets(w, groupId, topics), readAlterShareGroupOffsets);
    if (response.errorCode !== 0) throw new ShareGroupError('AlterShareGroupOffsets', response.errorCode, response.errorMessage);
    for (const t of response.responses) {
      for (const p of t.partitions) if (p.errorCode !== 0) throw new ShareGroupError('AlterShareGroupOffsets', p.errorCode, `${t.topicName}[${p.partitionIndex}] ${p.errorMessage ?? ''}`.trim());
    }
    return response;
  }

  /**
   * Group-level configs (IncrementalAlterConfigs on a GROUP resource), e.g. share.auto.offset.reset,
   * share.record.lock.duration.ms, share.delivery.count.limit.
   */
  async setGroupConfig(groupId: string, configs: Record<string, string>): Promise<void> {
    const { incrementalAlterConfigsV1 } = loadPlatformatic();
    const resource = {
      resourceType: GROUP_RESOURCE_TYPE,
      resourceName: groupId,
      configs: Object.entries(configs).map(([name, value]) => ({ name, configOperation: 0, value })),
    } as unknown as Parameters<typeof incrementalAlterConfigsV1.api.async>[1][number];
    const response = await incrementalAlterConfigsV1.api.async(await this.bootstrap(), [resource], false);
    for (const r of response.responses) if (r.errorCode !== 0) throw new ShareGroupError('IncrementalAlterConfigs', r.errorCode, r.errorMessage ?? null);
  }

  /**
   * Groups of the given types on every broker (ListGroups v5 with a types filter, e.g. ['share']):
   * each broker lists the groups it coordinates, so all of them are asked.
   */
  async listGroups(types: string[]): Promise<ListedGroup[]> {
    // version() gives the broker's newest for an API outside SUPPORTED_VERSIONS; v5 is what we write.
    if ((await this.version(LIST_GROUPS)) < LIST_GROUPS_VERSION) {
      throw new ShareGroupError('ListGroups', 35, 'the broker cannot list groups by type (ListGroups v5); share groups need Kafka 4.1+');
    }
    await this.metadata([]);
    const out = new Map<string, ListedGroup>();
    for (const nodeId of [...this.nodes.keys()].sort((a, b) => a - b)) {
      const response = await this.send(await this.nodeConnection(nodeId), LIST_GROUPS, LIST_GROUPS_VERSION, (w) => writeListGroups(w, [], types), readListGroups);
      if (response.errorCode !== 0) throw new ShareGroupError('ListGroups', response.errorCode, null);
      for (const g of response.groups) out.set(g.groupId, g);
    }
    return [...out.values()];
  }

  /** Closes every connection; in-flight requests fail. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.allSettled(all.map(async (p) => (await p).close()));
  }
}
