import type { Consumer } from 'kafkajs';
import { clientPool } from '../../../nodes/shared';
import { waitFor } from '../../helpers/n8nContext';
import { json, lagCheck, lagTrigger, testKafka, unique } from './harness';

// The acceptance scenario: a producer keeps running, its consumer stops, the group goes from OK to
// WARN/STOP within the window and back to OK after the consumer catches up; the trigger emits
// exactly one "open" and one "resolved" item. Polls are driven directly (no n8n schedule).
const WINDOW = 5;
// Generous next to the ~80 msg/s pace, so a briefly busy CI machine does not look like a lagging consumer.
const ALLOWED_LAG = 100;
const DEBOUNCE = 2;
const POLL_EVERY_MS = 250;

describe('Kafka Lag Trigger: OK -> STOP/WARN -> OK with a real producer and consumer', () => {
  const k = testKafka();
  const topic = unique('lag-trigger');
  const group = unique('lag-trigger-group');
  let producing: NodeJS.Timeout | undefined;
  let produceError: Error | undefined;
  let consumer: Consumer | undefined;

  const startConsumer = async () => {
    consumer = k.consumer(group);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ autoCommitInterval: 100, eachMessage: async () => undefined });
  };

  beforeAll(async () => {
    await k.createTopic(topic, 2);
    const producer = await k.producer();
    // ~80 messages/s spread over both partitions: the pace of a steady upstream service.
    producing = setInterval(() => {
      producer
        .send({ topic, messages: Array.from({ length: 8 }, (_, i) => ({ key: `k${i}`, value: `v${Date.now()}` })) })
        .catch((error: Error) => (produceError = error));
    }, 100);
    await startConsumer();
    // consumer.run() returns before the group has joined and committed. Partitions without a commit
    // are left out of the status (as Burrow does), so judging the healthy window before the first
    // commits would watch nothing, and stopping the consumer would then never leave OK.
    const admin = await k.admin();
    await waitFor(
      async () => {
        const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
        return offsets.partitions.length === 2 && offsets.partitions.every((p) => Number(p.offset) >= 0);
      },
      { timeoutMs: 60_000, what: `${group} to commit on both partitions` },
    );
  });

  afterAll(async () => {
    if (producing) clearInterval(producing);
    await (await k.admin()).deleteTopics({ topics: [topic] }).catch(() => undefined);
    await k.closeAll();
    await clientPool.closeAll();
  });

  it('opens one incident when the consumer stops and resolves it once it has caught up', async () => {
    const params = { groups: group, windowSize: WINDOW, allowedLag: ALLOWED_LAG, debouncePolls: DEBOUNCE, options: {} };
    const trigger = lagTrigger(params);
    const check = lagCheck();
    const emitted: Array<Record<string, any>> = [];
    const timeline: Array<{ at: number; status: string; worst: string; lag: number; complete: boolean }> = []; // lag: the largest partition lag, which Allowed Lag applies to
    let polls = 0;

    const pollOnce = async () => {
      polls++;
      emitted.push(...(await trigger.poll()));
      const [status] = json(await check.run({ groups: group, windowSize: WINDOW, allowedLag: ALLOWED_LAG, output: 'groups' }));
      timeline.push({ at: Date.now(), status: status.status, worst: status.worstPartitionStatus, lag: status.maxLag, complete: status.complete });
      return status;
    };
    // Status/worst partition:largest lag per poll, printed when an expectation fails.
    const traceOf = () => timeline.map((t) => `${t.status}/${t.worst}:${t.lag}`).join(' ');
    const pollUntil = (what: string, done: () => boolean, timeoutMs = 60_000) =>
      waitFor(async () => (await pollOnce(), done()), { timeoutMs, intervalMs: POLL_EVERY_MS, what });

    // Healthy: a full window judged OK, and nothing emitted.
    await pollUntil('a complete OK window', () => timeline.length > 0 && timeline[timeline.length - 1].complete && timeline[timeline.length - 1].status === 'OK');
    expect({ emitted, trace: traceOf() }).toEqual({ emitted: [], trace: traceOf() });
    const healthyPolls = polls;

    // Stop the consumer; the producer keeps going.
    await consumer!.disconnect();
    const stoppedAt = Date.now();
    const pollsAtStop = polls;
    await pollUntil('the status to leave OK', () => timeline[timeline.length - 1].status !== 'OK');
    const degraded = timeline[timeline.length - 1];
    const degradedAfterMs = degraded.at - stoppedAt;
    const degradedAfterPolls = polls - pollsAtStop;
    expect(['WARN', 'STOP']).toContain(degraded.worst);
    await pollUntil('the "open" item', () => emitted.some((e) => e.event === 'open'));
    const openedAfterMs = Date.now() - stoppedAt;

    // Restart it; it catches up.
    await startConsumer();
    const restartedAt = Date.now();
    await pollUntil('the status to return to OK', () => timeline[timeline.length - 1].status === 'OK');
    const okAfterMs = timeline[timeline.length - 1].at - restartedAt;
    await pollUntil('the "resolved" item', () => emitted.some((e) => e.event === 'resolved'));
    const resolvedAfterMs = Date.now() - restartedAt;

    // Burrow calls a partition OK as soon as its lag shrinks within the window; the consumer then
    // catches up fully, and further polls emit nothing more.
    await pollUntil('the backlog to be consumed', () => timeline[timeline.length - 1].lag <= ALLOWED_LAG);
    const caughtUpAfterMs = timeline[timeline.length - 1].at - restartedAt;
    const pollsBefore = polls;
    await pollUntil('five more polls', () => polls - pollsBefore >= 5);

    const trace = traceOf();
    expect(produceError).toBeUndefined();
    expect({ events: emitted.map((e) => e.event), trace }).toEqual({ events: ['open', 'resolved'], trace });
    const [open, resolved] = emitted;
    expect(open).toMatchObject({ group, event: 'open', incidentId: expect.any(String) });
    expect(['WARN', 'ERR']).toContain(open.status);
    expect(open.totalLag).toBeGreaterThan(ALLOWED_LAG);
    expect(resolved).toMatchObject({ group, event: 'resolved', status: 'OK', incidentId: open.incidentId });
    expect(resolved.durationSeconds).toBeGreaterThan(0);
    // Within the configured window: at most WINDOW samples after the first one whose lag exceeded
    // the allowance (Burrow judges only a full window of such samples).
    const firstOverIndex = timeline.findIndex((t, i) => i >= pollsAtStop && t.lag > ALLOWED_LAG);
    const degradedIndex = timeline.indexOf(degraded);
    const samplesOver = degradedIndex - firstOverIndex + 1;
    expect(samplesOver <= WINDOW ? 'within the window' : `${samplesOver} samples: ${trace}`).toBe('within the window');

    const statuses = timeline.map((t) => `${t.status}/${t.worst}`).filter((s, i, all) => s !== all[i - 1]);
    console.log(
      `[lag-trigger] healthy window after ${healthyPolls} polls; consumer stopped -> status ${degraded.status}/${degraded.worst} after ${degradedAfterPolls} polls, ${degradedIndex - firstOverIndex + 1} of them with lag over the allowance ` +
        `(${degradedAfterMs} ms), "open" after ${openedAfterMs} ms; restarted -> OK after ${okAfterMs} ms, "resolved" after ${resolvedAfterMs} ms, backlog consumed after ${caughtUpAfterMs} ms; ` +
        `status sequence ${statuses.join(' -> ')}; poll every ${POLL_EVERY_MS} ms, window ${WINDOW}, allowed lag ${ALLOWED_LAG}, debounce ${DEBOUNCE}`,
    );
  });

  it('reports WARN (offsets move, lag never drops) for a consumer slower than its producer', async () => {
    const slowTopic = unique('lag-slow');
    const slowGroup = unique('lag-slow-group');
    await k.createTopic(slowTopic, 1);
    const producer = await k.producer();
    const pace = setInterval(() => {
      producer.send({ topic: slowTopic, messages: Array.from({ length: 20 }, (_, i) => ({ value: `s${i}` })) }).catch((error: Error) => (produceError = error));
    }, 100);
    const slow = k.consumer(slowGroup);
    try {
      await slow.connect();
      await slow.subscribe({ topic: slowTopic, fromBeginning: true });
      // ~20 messages/s against ~200 produced: the consumer commits progress but falls behind.
      await slow.run({
        autoCommitInterval: 100,
        eachMessage: () => new Promise<void>((resolve) => setTimeout(resolve, 50)),
      });
      const trigger = lagTrigger({ groups: slowGroup, windowSize: WINDOW, allowedLag: 0, debouncePolls: 1, options: {} });
      const check = lagCheck();
      const emitted: Array<Record<string, any>> = [];
      const seen: string[] = [];
      await waitFor(
        async () => {
          emitted.push(...(await trigger.poll()));
          const [status] = json(await check.run({ groups: slowGroup, windowSize: WINDOW, allowedLag: 0 }));
          seen.push(`${status.status}/${status.worstPartitionStatus}`);
          return status.worstPartitionStatus === 'WARN' && emitted.length > 0;
        },
        { timeoutMs: 30_000, intervalMs: POLL_EVERY_MS, what: 'WARN for the slow consumer' },
      );
      expect(emitted).toHaveLength(1);
      expect(emitted[0]).toMatchObject({ event: 'open', group: slowGroup, status: 'WARN', worstPartitionStatus: 'WARN' });
      expect(emitted[0].catchUpSeconds).toBeNull(); // not catching up: no estimate rather than a negative one
      console.log(`[lag-trigger] slow consumer: ${seen.filter((s, i, all) => s !== all[i - 1]).join(' -> ')} after ${seen.length} polls`);
    } finally {
      clearInterval(pace);
      await slow.disconnect();
    }
  });

  it('in manual mode ("fetch test event") shows the current status without opening incidents', async () => {
    const staticData = {};
    const items = await lagTrigger({ groups: group, windowSize: WINDOW, allowedLag: ALLOWED_LAG, debouncePolls: 1, options: {} }, staticData, 'manual').poll();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ event: 'status', group, status: 'OK' });
    expect(staticData).not.toHaveProperty('kafkaSuiteLagIncidents');
  });

  it('selects groups by regex and samples them without emitting while they are OK', async () => {
    const staticData: Record<string, any> = {};
    const trigger = lagTrigger({ groups: `/^${group}$/`, windowSize: WINDOW, allowedLag: ALLOWED_LAG, debouncePolls: 1, options: {} }, staticData);
    expect(await trigger.poll()).toEqual([]);
    expect(await trigger.poll()).toEqual([]);
    expect(Object.keys(staticData.kafkaSuiteLag.groups)).toEqual([group]);
    expect(Object.values(staticData.kafkaSuiteLag.groups[group].parts).every((samples: any) => samples.length === 2 * 3)).toBe(true); // two flat [at, committed, logEnd] samples
  });

  it('treats a named group the cluster does not know as NOTFOUND, an incident', async () => {
    const missing = unique('gone-group');
    const trigger = lagTrigger({ groups: missing, windowSize: WINDOW, allowedLag: 0, debouncePolls: 1, options: {} });
    const [item] = await trigger.poll();
    expect(item).toMatchObject({ event: 'open', group: missing, status: 'NOTFOUND' });
    expect(await trigger.poll()).toEqual([]);
  });

  it('rejects a bad groups parameter with a clear error', async () => {
    await expect(lagTrigger({ groups: '/[/', windowSize: WINDOW, allowedLag: 0, debouncePolls: 1, options: {} }).poll()).rejects.toThrow(/not a valid regular expression/);
  });
});
