// A share-group member (KIP-932): a heartbeat loop keeps the membership and the assignment, one fetch
// loop per partition leader acquires records (no more than there are free handler slots), handlers run
// up to `concurrency` at once whatever the partition count, and each record's outcome is acknowledged
// (ACCEPT, RELEASE, REJECT), batched per partition and sent with the next ShareFetch or, when no fetch
// is due, by ShareAcknowledge. Requests of one share session go one at a time (its epoch orders them).
import type { Connection } from '../platformatic/vendor';
import { ShareClient, ShareGroupError, type TopicInfo } from './client';
import { AcknowledgeType, acquiredRecordsOf, toAcknowledgementBatches, type ShareRecord, type TopicAcknowledgements } from './protocol';

export type ShareOutcome = { type: 'accept' } | { type: 'reject' } | { type: 'release'; /** keep the lock this long first: a retry backoff */ delayMs?: number };

export type ShareHandler = (record: ShareRecord) => Promise<ShareOutcome>;

export interface ShareConsumerOptions {
  groupId: string;
  topics: string[];
  /** Handlers running at once (records acquired and not yet handled never exceed it). */
  concurrency: number;
  /** Long-poll of a ShareFetch while no handler runs (ms); 100 ms while one does, so acks go out soon. */
  maxWaitMs?: number;
  rackId?: string;
  /** Errors that do not stop the consumer (a refused heartbeat, an acknowledgement the broker refused). */
  onError?: (error: Error) => void;
  /** Called with every acknowledgement the broker confirmed (tests, metrics). */
  onAcknowledged?: (record: { topic: string; partition: number; offset: bigint; type: number }) => void;
}

const FENCED_MEMBER_EPOCH = 110;
const UNKNOWN_MEMBER_ID = 25;
// COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR: retried for a while.
const COORDINATOR_MOVED = new Set([14, 15, 16]);
const COORDINATOR_WAIT_MS = 30_000;
const INT32_MAX = 2 ** 31 - 1;
// Time left for the RELEASE at the end of a backoff to reach the broker before the lock expires.
const LOCK_MARGIN_MS = 2_000;

interface PendingAck {
  topicId: string;
  partition: number;
  offset: bigint;
  type: number;
}

/** A record acquired by this member: its lock ends at `until` (renewed while its handler runs). */
interface Lock {
  until: number;
  renewing: boolean;
}

interface NodeSession {
  nodeId: number;
  epoch: number;
  acks: PendingAck[];
  /** Records whose lock is to be renewed (RENEW), sent on their own ShareAcknowledge (IsRenewAck). */
  renews: Array<PendingAck & { lock: Lock }>;
  /** partitions (topicId:partition) sent in this session, to forget them when unassigned */
  inSession: Set<string>;
  loop?: Promise<void>;
}

function memberIdOf(): string {
  // KIP-848/932: the member chooses its id (a UUID, base64url in the Java client); any unique string.
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64url');
}

export class ShareConsumer {
  readonly memberId = memberIdOf();
  private memberEpoch = 0;
  private heartbeatMs = 5_000;
  private coordinator: Connection | undefined;
  private assignment = new Map<string, number[]>(); // topicId -> partitions
  private topicInfo = new Map<string, TopicInfo>();
  private sessions = new Map<number, NodeSession>();
  private running = 0;
  private queue: Array<{ record: ShareRecord; topicId: string; nodeId: number; lock: Lock }> = [];
  /** Lock duration the broker last reported (ms); renewals are due when half of it is left. */
  private lockMs = 30_000;
  /** Whether the brokers take RENEW (ShareAcknowledge v2, Kafka 4.2+); older ones: locks just expire. */
  private renewSupported: boolean | undefined;
  private delayed = new Map<NodeJS.Timeout, PendingAck & { nodeId: number }>();
  private stopping = false;
  private killed = false;
  private heartbeatLoop: Promise<void> | undefined;
  private wakers = new Set<() => void>();
  private heartbeatWakers = new Set<() => void>();
  private joined: Promise<void>;
  private resolveJoined!: () => void;
  private rejectJoined!: (error: Error) => void;

  constructor(
    private readonly client: ShareClient,
    private readonly options: ShareConsumerOptions,
    private readonly handler: ShareHandler,
  ) {
    if (!(options.concurrency >= 1)) throw new Error('concurrency must be at least 1');
    this.joined = new Promise((resolve, reject) => {
      this.resolveJoined = resolve;
      this.rejectJoined = reject;
    });
    this.joined.catch(() => undefined);
  }

  /** Joins the group; resolves once the first heartbeat is answered. */
  async start(): Promise<void> {
    this.heartbeatLoop = this.runHeartbeats();
    await this.joined;
  }

  /** Records acquired and not acknowledged yet (handlers running, queued, or waiting out a backoff). */
  get inFlight(): number {
    return this.running + this.queue.length + this.delayed.size;
  }

  private report(error: unknown): void {
    if (this.killed) return;
    this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
  }

  private notify(): void {
    const wakers = [...this.wakers];
    this.wakers.clear();
    for (const wake of wakers) wake();
  }

  /** Waits up to ms, or until notify() (an acknowledgement is due, a slot freed, stop). */
  private sleep(ms: number, wakers = this.wakers): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      wakers.add(wake);
    });
  }

  private wakeHeartbeat(): void {
    for (const wake of [...this.heartbeatWakers]) wake();
  }

  // ---------------------------------------------------------------- membership

  private async runHeartbeats(): Promise<void> {
    let first = true;
    let coordinatorDeadline = Date.now() + COORDINATOR_WAIT_MS;
    while (!this.stopping && !this.killed) {
      try {
        this.coordinator ??= await this.client.coordinator(this.options.groupId);
        const joining = this.memberEpoch === 0;
        const response = await this.client.heartbeat(this.coordinator, {
          groupId: this.options.groupId,
          memberId: this.memberId,
          memberEpoch: this.memberEpoch,
          rackId: joining ? (this.options.rackId ?? null) : null,
          subscribedTopicNames: joining ? this.options.topics : null,
        });
        if (response.errorCode === FENCED_MEMBER_EPOCH || response.errorCode === UNKNOWN_MEMBER_ID) {
          // The coordinator dropped us (a missed session timeout): join again, same member id.
          this.memberEpoch = 0;
          continue;
        }
        if (COORDINATOR_MOVED.has(response.errorCode) && Date.now() < coordinatorDeadline) {
          // A fresh or restarting cluster: the coordinator is still loading or has moved. Find it again.
          this.coordinator = undefined;
          await this.sleep(200, this.heartbeatWakers);
          continue;
        }
        if (response.errorCode !== 0) throw new ShareGroupError('ShareGroupHeartbeat', response.errorCode, response.errorMessage);
        coordinatorDeadline = Date.now() + COORDINATOR_WAIT_MS;
        this.memberEpoch = response.memberEpoch;
        this.heartbeatMs = response.heartbeatIntervalMs;
        if (response.assignment) await this.assign(response.assignment.topicPartitions);
        if (first) {
          first = false;
          this.resolveJoined();
        }
      } catch (error) {
        this.coordinator = undefined;
        if (first) {
          this.rejectJoined(error as Error);
          return;
        }
        this.report(error);
      }
      await this.sleep(this.heartbeatMs, this.heartbeatWakers);
    }
  }

  private async assign(topicPartitions: Array<{ topicId: string; partitions: number[] }>): Promise<void> {
    this.assignment = new Map(topicPartitions.map((t) => [t.topicId, t.partitions]));
    const unknown = topicPartitions.filter((t) => !this.topicInfo.has(t.topicId));
    if (unknown.length) {
      const all = await this.client.metadata(this.options.topics);
      for (const [id, info] of all) this.topicInfo.set(id, info);
    }
    for (const [topicId, partitions] of this.assignment) {
      const info = this.topicInfo.get(topicId);
      for (const p of partitions) {
        const nodeId = info?.leaders.get(p);
        if (nodeId === undefined) continue;
        if (!this.sessions.has(nodeId)) {
          const session: NodeSession = { nodeId, epoch: 0, acks: [], renews: [], inSession: new Set() };
          this.sessions.set(nodeId, session);
          session.loop = this.runFetches(session);
        }
      }
    }
    this.notify();
  }

  private partitionsLedBy(nodeId: number): Array<{ topicId: string; partition: number }> {
    const out: Array<{ topicId: string; partition: number }> = [];
    for (const [topicId, partitions] of this.assignment) {
      const leaders = this.topicInfo.get(topicId)?.leaders;
      for (const partition of partitions) if (leaders?.get(partition) === nodeId) out.push({ topicId, partition });
    }
    return out;
  }

  // ---------------------------------------------------------------- fetching and acknowledging

  private nextEpoch(session: NodeSession): number {
    const epoch = session.epoch;
    session.epoch = epoch >= INT32_MAX ? 1 : epoch + 1;
    return epoch;
  }

  private takeAcks(session: NodeSession): Map<string, TopicAcknowledgements> {
    const byTopic = new Map<string, Map<number, Array<{ offset: bigint; type: number }>>>();
    for (const ack of session.acks.splice(0)) {
      let partitions = byTopic.get(ack.topicId);
      if (!partitions) byTopic.set(ack.topicId, (partitions = new Map()));
      let list = partitions.get(ack.partition);
      if (!list) partitions.set(ack.partition, (list = []));
      list.push({ offset: ack.offset, type: ack.type });
    }
    const out = new Map<string, TopicAcknowledgements>();
    for (const [topicId, partitions] of byTopic) {
      out.set(topicId, {
        topicId,
        partitions: [...partitions].map(([partitionIndex, acks]) => ({ partitionIndex, acknowledgementBatches: toAcknowledgementBatches(acks) })),
      });
    }
    return out;
  }

  private confirm(sent: Map<string, TopicAcknowledgements>, errors: Map<string, { code: number; message: string | null }>): void {
    for (const t of sent.values()) {
      const topic = this.topicInfo.get(t.topicId)?.name ?? t.topicId;
      for (const p of t.partitions) {
        const error = errors.get(`${t.topicId}:${p.partitionIndex}`);
        if (error && error.code !== 0) {
          this.report(new ShareGroupError('acknowledge', error.code, `${topic}[${p.partitionIndex}] ${error.message ?? ''}`.trim()));
          continue;
        }
        for (const b of p.acknowledgementBatches) {
          for (let offset = b.firstOffset; offset <= b.lastOffset; offset++) {
            this.options.onAcknowledged?.({ topic, partition: p.partitionIndex, offset, type: b.acknowledgeTypes[0] });
          }
        }
      }
    }
  }

  private async runFetches(session: NodeSession): Promise<void> {
    let leader: Connection | undefined;
    while (!this.stopping && !this.killed) {
      try {
        leader ??= await this.client.nodeConnection(session.nodeId);
        this.renewSupported ??= (await this.client.version(79)) >= 2;
        if (session.renews.length) {
          await this.renew(leader, session);
          continue;
        }
        const capacity = this.options.concurrency - this.running - this.queue.length;
        if (capacity <= 0) {
          if (session.acks.length) await this.acknowledge(leader, session, false);
          else await this.sleep(1_000);
          continue;
        }
        const owned = this.partitionsLedBy(session.nodeId);
        if (!owned.length && !session.acks.length) {
          await this.sleep(1_000);
          continue;
        }
        const acks = this.takeAcks(session);
        const topics = new Map<string, Array<{ partitionIndex: number; acknowledgementBatches?: ReturnType<typeof toAcknowledgementBatches> }>>();
        for (const { topicId, partition } of owned) {
          const partitions = topics.get(topicId) ?? [];
          partitions.push({ partitionIndex: partition, acknowledgementBatches: acks.get(topicId)?.partitions.find((p) => p.partitionIndex === partition)?.acknowledgementBatches });
          topics.set(topicId, partitions);
          session.inSession.add(`${topicId}:${partition}`);
        }
        // Acknowledgements for partitions no longer assigned still go out (the lock is still ours).
        for (const t of acks.values()) {
          for (const p of t.partitions) {
            const partitions = topics.get(t.topicId) ?? [];
            if (!partitions.some((x) => x.partitionIndex === p.partitionIndex)) partitions.push(p);
            topics.set(t.topicId, partitions);
          }
        }
        const ownedKeys = new Set(owned.map((o) => `${o.topicId}:${o.partition}`));
        const forgotten = new Map<string, number[]>();
        for (const key of session.inSession) {
          if (ownedKeys.has(key)) continue;
          session.inSession.delete(key);
          const [topicId, p] = key.split(':');
          forgotten.set(topicId, [...(forgotten.get(topicId) ?? []), Number(p)]);
        }
        const requestedAt = Date.now();
        const response = await this.client.shareFetch(leader, {
          groupId: this.options.groupId,
          memberId: this.memberId,
          shareSessionEpoch: this.nextEpoch(session),
          maxWaitMs: this.running > 0 || this.delayed.size > 0 ? 100 : (this.options.maxWaitMs ?? 500),
          minBytes: 1,
          maxBytes: 8 << 20,
          maxRecords: capacity,
          batchSize: capacity,
          // Record-limit mode (v2): never more records than free slots, so none waits out its lock.
          shareAcquireMode: 1,
          topics: [...topics].map(([topicId, partitions]) => ({ topicId, partitions })),
          forgottenTopicsData: [...forgotten].map(([topicId, partitions]) => ({ topicId, partitions })),
        });
        if (response.errorCode !== 0) {
          // The session is gone (broker restart, eviction): acks in it are lost, their locks expire.
          session.epoch = 0;
          session.inSession.clear();
          throw new ShareGroupError('ShareFetch', response.errorCode, response.errorMessage);
        }
        const ackErrors = new Map<string, { code: number; message: string | null }>();
        for (const t of response.responses) {
          const info = this.topicInfo.get(t.topicId);
          for (const p of t.partitions) {
            ackErrors.set(`${t.topicId}:${p.partitionIndex}`, { code: p.acknowledgeErrorCode, message: p.acknowledgeErrorMessage });
            if (p.errorCode !== 0) {
              this.report(new ShareGroupError('ShareFetch', p.errorCode, `${info?.name ?? t.topicId}[${p.partitionIndex}] ${p.errorMessage ?? ''}`.trim()));
              continue;
            }
            const { records, gaps } = acquiredRecordsOf(info?.name ?? t.topicId, p);
            for (const offset of gaps) session.acks.push({ topicId: t.topicId, partition: p.partitionIndex, offset, type: AcknowledgeType.GAP });
            if (response.acquisitionLockTimeoutMs > 0) this.lockMs = response.acquisitionLockTimeoutMs;
            for (const record of records) {
              this.queue.push({ record, topicId: t.topicId, nodeId: session.nodeId, lock: { until: requestedAt + response.acquisitionLockTimeoutMs, renewing: false } });
            }
          }
        }
        this.confirm(acks, ackErrors);
        this.dispatch();
      } catch (error) {
        if (this.stopping || this.killed) break;
        leader = undefined;
        this.report(error);
        await this.sleep(1_000);
      }
    }
  }

  private async acknowledge(leader: Connection, session: NodeSession, close: boolean): Promise<void> {
    const acks = this.takeAcks(session);
    if (!acks.size && !close) return;
    if (close && session.epoch === 0) return; // no session was opened
    const response = await this.client.shareAcknowledge(leader, {
      groupId: this.options.groupId,
      memberId: this.memberId,
      shareSessionEpoch: close ? -1 : this.nextEpoch(session),
      topics: [...acks.values()],
    });
    if (response.errorCode !== 0) throw new ShareGroupError('ShareAcknowledge', response.errorCode, response.errorMessage);
    const errors = new Map<string, { code: number; message: string | null }>();
    for (const t of response.responses) for (const p of t.partitions) errors.set(`${t.topicId}:${p.partitionIndex}`, { code: p.errorCode, message: p.errorMessage });
    this.confirm(acks, errors);
  }

  /**
   * Restarts the locks of records whose handlers still run (RENEW, KIP-1222): an execution may take
   * longer than the lock (share.record.lock.duration.ms, 30 s by default), and a lock that expires
   * hands the record to another member while it still runs here, and refuses its ACCEPT afterwards.
   */
  private async renew(leader: Connection, session: NodeSession): Promise<void> {
    const renews = session.renews.splice(0);
    const topics = new Map<string, Map<number, Array<{ offset: bigint; type: number }>>>();
    for (const r of renews) {
      let partitions = topics.get(r.topicId);
      if (!partitions) topics.set(r.topicId, (partitions = new Map()));
      partitions.set(r.partition, [...(partitions.get(r.partition) ?? []), { offset: r.offset, type: AcknowledgeType.RENEW }]);
    }
    const sentAt = Date.now();
    try {
      const response = await this.client.shareAcknowledge(leader, {
        groupId: this.options.groupId,
        memberId: this.memberId,
        shareSessionEpoch: this.nextEpoch(session),
        isRenewAck: true,
        topics: [...topics].map(([topicId, partitions]) => ({
          topicId,
          partitions: [...partitions].map(([partitionIndex, acks]) => ({ partitionIndex, acknowledgementBatches: toAcknowledgementBatches(acks) })),
        })),
      });
      if (response.errorCode !== 0) throw new ShareGroupError('ShareAcknowledge (renew)', response.errorCode, response.errorMessage);
      const failed = new Map<string, { code: number; message: string | null }>();
      for (const t of response.responses) for (const p of t.partitions) if (p.errorCode !== 0) failed.set(`${t.topicId}:${p.partitionIndex}`, { code: p.errorCode, message: p.errorMessage });
      if (response.acquisitionLockTimeoutMs > 0) this.lockMs = response.acquisitionLockTimeoutMs;
      for (const r of renews) {
        r.lock.renewing = false;
        const error = failed.get(`${r.topicId}:${r.partition}`);
        if (error) {
          const topic = this.topicInfo.get(r.topicId)?.name ?? r.topicId;
          this.report(new ShareGroupError('renew', error.code, `${topic}[${r.partition}]@${r.offset} ${error.message ?? ''}`.trim()));
          continue;
        }
        r.lock.until = sentAt + this.lockMs;
      }
    } catch (error) {
      for (const r of renews) r.lock.renewing = false;
      throw error;
    }
  }

  /** Renews the lock of a running handler's record when half of it is left, until the handler ends. */
  private keepLocked(ack: Omit<PendingAck, 'type'> & { nodeId: number }, lock: Lock, running: () => boolean): () => void {
    let timer: NodeJS.Timeout | undefined;
    const schedule = () => {
      const due = lock.until - this.lockMs / 2 - Date.now();
      timer = setTimeout(check, Math.max(0, due));
      timer.unref?.();
    };
    const check = () => {
      if (!running() || this.killed || this.stopping) return;
      if (this.renewSupported === false) return;
      if (lock.until - Date.now() <= this.lockMs / 2 && !lock.renewing) {
        const session = this.sessions.get(ack.nodeId);
        if (session) {
          lock.renewing = true;
          session.renews.push({ topicId: ack.topicId, partition: ack.partition, offset: ack.offset, type: AcknowledgeType.RENEW, lock });
          this.notify();
        }
      }
      // Checked again at the renewed lock's half-life, or soon if the renewal is still on its way.
      if (lock.renewing) {
        timer = setTimeout(check, 500);
        timer.unref?.();
      } else schedule();
    };
    schedule();
    return () => clearTimeout(timer);
  }

  // ---------------------------------------------------------------- handlers

  private dispatch(): void {
    while (!this.killed && !this.stopping && this.running < this.options.concurrency && this.queue.length) {
      const item = this.queue.shift()!;
      this.running++;
      void this.handle(item);
    }
  }

  private async handle({ record, topicId, nodeId, lock }: { record: ShareRecord; topicId: string; nodeId: number; lock: Lock }): Promise<void> {
    let outcome: ShareOutcome;
    let done = false;
    const stopRenewing = this.keepLocked({ topicId, partition: record.partition, offset: record.offset, nodeId }, lock, () => !done);
    try {
      outcome = await this.handler(record);
    } catch (error) {
      this.report(error);
      outcome = { type: 'release' };
    } finally {
      done = true;
      stopRenewing();
    }
    this.running--;
    if (this.killed) return;
    const ack = { topicId, partition: record.partition, offset: record.offset, nodeId };
    const type = outcome.type === 'accept' ? AcknowledgeType.ACCEPT : outcome.type === 'reject' ? AcknowledgeType.REJECT : AcknowledgeType.RELEASE;
    // A backoff is spent holding the lock, so it must end (and the RELEASE reach the broker) before
    // the lock does; otherwise the broker hands the record out again itself and refuses our RELEASE.
    const lockLeft = lock.until - Date.now() - LOCK_MARGIN_MS;
    const delayMs = outcome.type === 'release' && !this.stopping ? Math.min(outcome.delayMs ?? 0, Math.max(0, lockLeft)) : 0;
    if (delayMs > 0) {
      const timer = setTimeout(() => {
        this.delayed.delete(timer);
        this.sessions.get(nodeId)?.acks.push({ ...ack, type });
        this.notify();
      }, delayMs);
      this.delayed.set(timer, { ...ack, type });
    } else {
      this.sessions.get(nodeId)?.acks.push({ ...ack, type });
    }
    this.dispatch();
    this.notify();
    if (this.running === 0) for (const resolve of this.drained.splice(0)) resolve();
  }

  private drained: Array<() => void> = [];

  /**
   * Stops fetching, lets running handlers finish (up to graceMs), releases what was acquired and not
   * handled (and backoffs in progress), sends the last acknowledgements, closes the share sessions
   * and leaves the group.
   */
  async stop(graceMs = 30_000): Promise<void> {
    if (this.stopping || this.killed) return;
    this.stopping = true;
    this.notify();
    this.wakeHeartbeat();
    // The fetch loops end after their current request (at most one long-poll).
    await Promise.allSettled([...this.sessions.values()].map((s) => s.loop));
    if (this.running > 0) {
      await Promise.race([new Promise<void>((resolve) => this.drained.push(resolve)), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    }
    for (const [timer, ack] of this.delayed) {
      clearTimeout(timer);
      this.sessions.get(ack.nodeId)?.acks.push(ack);
    }
    this.delayed.clear();
    for (const { record, topicId, nodeId } of this.queue.splice(0)) {
      this.sessions.get(nodeId)?.acks.push({ topicId, partition: record.partition, offset: record.offset, type: AcknowledgeType.RELEASE });
    }
    await Promise.allSettled(
      [...this.sessions.values()].map(async (session) => {
        try {
          await this.acknowledge(await this.client.nodeConnection(session.nodeId), session, true);
        } catch (error) {
          this.report(error);
        }
      }),
    );
    await this.heartbeatLoop;
    try {
      if (this.memberEpoch > 0) {
        this.coordinator ??= await this.client.coordinator(this.options.groupId);
        await this.client.heartbeat(this.coordinator, { groupId: this.options.groupId, memberId: this.memberId, memberEpoch: -1 });
      }
    } catch (error) {
      this.report(error);
    }
  }

  /**
   * Drops everything at once: no acknowledgement, no leave (tests). closeConnections true is a killed
   * process (the OS closes its sockets; the broker ends its share sessions and releases what they had
   * acquired at once); false is a frozen one (sockets open, nothing more sent: the locks must expire).
   */
  async kill({ closeConnections = true } = {}): Promise<void> {
    this.killed = true;
    this.notify();
    this.wakeHeartbeat();
    for (const timer of this.delayed.keys()) clearTimeout(timer);
    this.delayed.clear();
    this.queue = [];
    if (closeConnections) await this.client.close();
    await Promise.allSettled([this.heartbeatLoop, ...[...this.sessions.values()].map((s) => s.loop)]);
  }
}
