// The two delivery flows every deployment is tried with, side by side in the same n8n:
//   at-least-once: Kafka Suite Trigger (afterSuccess) -> Code (fails ~10 %) -> Kafka Producer
//   exactly-once:  Kafka Suite Trigger (exactlyOnce)  -> Code (fails ~10 %) -> transactional
//                  Kafka Producer committing the consumed offsets
// plus what the suite measures about them: counts on the output topic, end lag, kill-to-resume.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { chain, NODE_TYPES } from '../e2e/n8n';
import { ARTIFACTS } from './fleet';
import { createTopics, groupLag, InputWriter, OutputReader, partitionLags, verdict, type Verdict } from './traffic';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { waitFor } = require('../../scripts/n8n/client.cjs') as {
  waitFor: <T>(check: () => T | Promise<T>, o?: { timeout?: number; interval?: number; what?: string }) => Promise<T>;
};
export { waitFor };

export const CI = process.env.CI === 'true' || process.env.CI === '1';
/** Full sizes with `npm run test:full` (KAFKA_SUITE_FULL=1); smaller in CI. */
export const FULL = process.env.KAFKA_SUITE_FULL === '1';

export type DeliveryFlow = 'atLeastOnce' | 'exactlyOnce';
export const INJECTED_FAILURE = 'chaos: injected failure';
export const PARTITIONS = 3;
const KEYS = 24;

export interface FlowOptions {
  batchSize: number;
  sessionTimeout: number;
  /** Expression for the Producer's transactional id (queue mode: one per worker process). */
  transactionalId?: string;
}

export class Flow {
  readonly input: string;
  readonly output: string;
  readonly groupId: string;
  readonly writer: InputWriter;
  readonly reader: OutputReader;
  workflowId?: string;

  constructor(
    readonly bootstrap: string,
    readonly label: string,
    readonly delivery: DeliveryFlow,
    readonly options: FlowOptions,
  ) {
    const id = randomUUID().slice(0, 8);
    this.input = `chaos-${label}-${delivery}-in-${id}`;
    this.output = `chaos-${label}-${delivery}-out-${id}`;
    this.groupId = `chaos-${label}-${delivery}-${id}`;
    this.writer = new InputWriter(bootstrap, this.input, KEYS);
    this.reader = new OutputReader(bootstrap, this.output);
  }

  async createTopics(): Promise<void> {
    await createTopics(this.bootstrap, [this.input, this.output], PARTITIONS);
    await this.reader.start();
  }

  workflow(credential: { id: string; name: string }): any {
    const eos = this.delivery === 'exactlyOnce';
    const wf = chain(`chaos ${this.label} ${this.delivery}`, [
      {
        name: 'Kafka Trigger',
        type: NODE_TYPES.trigger,
        parameters: {
          topicSelection: 'names',
          topics: this.input,
          groupId: this.groupId,
          startFrom: 'earliest',
          deliveryMode: eos ? 'exactlyOnce' : 'afterSuccess',
          valueFormat: 'json',
          // No dead-letter topic: a message that keeps failing is retried, never dropped.
          options: { batchSize: this.options.batchSize, sessionTimeout: this.options.sessionTimeout, retryInitialMs: 200, retryMaxMs: 2000, maxAttempts: 100 },
        },
        credentials: { kafkaSuiteClusterApi: credential },
      },
      {
        name: 'Flaky Step',
        type: 'n8n-nodes-base.code',
        typeVersion: 2,
        parameters: { jsCode: `if (Math.random() < 0.1) throw new Error('${INJECTED_FAILURE}');\nreturn $input.all();` },
      },
      {
        name: 'Kafka Producer',
        type: NODE_TYPES.producer,
        parameters: {
          topic: this.output,
          valueSource: 'field',
          valueField: 'value',
          serialization: 'json',
          key: '={{ $json.key }}',
          headersMode: 'none',
          partitioning: 'keyHash',
          options: eos ? { transactional: true, commitConsumedOffsets: true, ...(this.options.transactionalId ? { transactionalId: this.options.transactionalId } : {}) } : {},
        },
        credentials: { kafkaSuiteClusterApi: credential },
      },
    ]);
    return wf;
  }

  /** Waits until the reader has `count` distinct ids (progress past a point). */
  async waitForOutput(count: number, timeout = 300_000): Promise<void> {
    await waitFor(() => this.reader.distinct() >= count, {
      timeout,
      interval: 200,
      what: `${count} distinct messages on ${this.output} (have ${this.reader.distinct()})`,
    });
  }

  /** Everything sent is consumed and committed (lag 0) and the reader has read the whole output. */
  async waitForDrain(timeout: number, explain: (flow: Flow) => string = () => ''): Promise<void> {
    try {
      await waitFor(
        async () => {
          if (this.reader.distinct() < new Set(this.writer.sent.map((m) => m.id)).size) return false;
          if ((await groupLag(this.bootstrap, this.groupId, this.input)) !== 0) return false;
          return this.reader.caughtUp();
        },
        { timeout, interval: 500, what: `${this.delivery}: all ${this.writer.sent.length} messages out, lag 0 (out ${this.reader.distinct()} when the wait began)` },
      );
    } catch (error) {
      // What CI keeps of a failed run is this message: say where each partition stopped.
      const lags = await partitionLags(this.bootstrap, this.groupId, this.input).catch((e: unknown) => String(e));
      const outByPartition = new Map<number, number>();
      for (const record of this.reader.records.values()) outByPartition.set(record.partition, (outByPartition.get(record.partition) ?? 0) + 1);
      throw new Error(
        `${(error as Error).message}\n  input ${this.input} group ${this.groupId}: ${JSON.stringify(lags)}` +
          `\n  output records by partition: ${JSON.stringify(Object.fromEntries(outByPartition))}, reader read up to ${JSON.stringify(Object.fromEntries([...this.reader.position].map(([p, o]) => [p, o.toString()])))}` +
          `, output ends ${JSON.stringify(Object.fromEntries([...(await this.reader.ends().catch(() => new Map<number, bigint>()))].map(([p, o]) => [p, o.toString()])))}` +
          `, reader crashes ${JSON.stringify(this.reader.crashes)}\n${explain(this)}`,
      );
    }
  }

  async result(kills: KillRecord[]): Promise<FlowResult> {
    const v = verdict(this.writer.sent, this.reader.records.values());
    const endLag = await groupLag(this.bootstrap, this.groupId, this.input);
    return {
      ...v,
      endLag,
      kills: kills.map((kill) => ({ what: kill.what, at: kill.at })),
      resumeSeconds: kills.map((kill) => {
        const ends = kill.ends.get(this.output);
        const first = ends ? this.reader.resumedAfter(ends) : undefined;
        return { what: kill.what, seconds: first === undefined ? null : Math.round((first - kill.at) / 100) / 10 };
      }),
    };
  }

  async close(): Promise<void> {
    await this.reader.stop();
    await this.writer.close();
  }
}

export interface KillRecord {
  what: string;
  at: number;
  /** Output end offsets per flow once the killed process was gone (see OutputReader.resumedAfter). */
  ends: Map<string, Map<number, bigint>>;
}

/** Notes a kill done at `at`: call once the killed process is gone (or the broker is back). */
export async function killPoint(what: string, at: number, flows: Flow[]): Promise<KillRecord> {
  const ends = new Map<string, Map<number, bigint>>();
  for (const flow of flows) ends.set(flow.output, await flow.reader.ends());
  return { what, at, ends };
}

export interface FlowResult extends Verdict {
  endLag: number;
  kills: Array<{ what: string; at: number }>;
  resumeSeconds: Array<{ what: string; seconds: number | null }>;
}

/** Results of the whole suite, one row per deployment and flow (test/artifacts/chaos/results.json). */
export function recordResult(deployment: string, delivery: DeliveryFlow, result: FlowResult, extra: Record<string, unknown> = {}): void {
  const file = `${ARTIFACTS}/results.json`;
  const all = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  all[`${deployment} / ${delivery}`] = { ...result, ...extra, at: new Date().toISOString() };
  writeFileSync(file, JSON.stringify(all, null, 2));
  const r = result;
  process.stderr.write(
    `[chaos] ${deployment} / ${delivery}: in ${r.messagesIn}, distinct out ${r.distinctOut}, duplicates ${r.duplicates}, lost ${r.lost}, ` +
      `end lag ${r.endLag}, order violations ${r.orderViolations}, resume ${r.resumeSeconds.map((k) => `${k.what} ${k.seconds ?? '-'} s`).join(', ')}\n`,
  );
  if (r.duplicateExamples.length) process.stderr.write(`[chaos] ${deployment} / ${delivery}: duplicates ${JSON.stringify(r.duplicateExamples)}\n`);
}
