// Fault: the broker is SIGKILLed and restarted while our producer is sending. Proves that no
// acknowledged message is lost, that the pooled producer recovers on its own, and counts the
// duplicates (messages on the topic more than once). Runs against its own broker instance
// (isolated.ts), so the broker the other test files share is never touched.
import { isolatedServices, type IsolatedServices } from './isolated';
import { createTopic, readWholeTopic } from './readTopic';
import { clusterCredential, closeProducers, produceExecution } from './produce';
import { waitFor } from '../../helpers/n8nContext';

let services: IsolatedServices & { dispose(): Promise<void> };
const topic = 'faults-producing';
const ITEMS_PER_EXECUTION = 50;

let bootstrap = '';

beforeAll(async () => {
  services = await isolatedServices('broker-kill-producing');
  await services.start({ connect: false, registry: false, log: () => undefined });
  bootstrap = services.facts().bootstrap.plaintext;
  await createTopic(bootstrap, topic, 3);
}, 180_000);

afterAll(async () => {
  await closeProducers();
  await services?.dispose();
}, 120_000);

test('SIGKILL + restart while producing: every acknowledged message is on the broker', async () => {
  const acked: string[] = [];
  // One entry per execution in which at least one item was not acknowledged.
  const failures: { size: number; message: string; kind?: string }[] = [];
  const attempted: string[] = [];
  let phase = 'before' as 'before' | 'down' | 'after';
  let ackedAfterRestart = 0;
  let stop = false;
  let next = 0;

  const loop = (async () => {
    while (!stop) {
      const values = Array.from({ length: ITEMS_PER_EXECUTION }, () => `m-${next++}`);
      attempted.push(...values);
      const result = await produceExecution(clusterCredential(bootstrap), topic, values);
      acked.push(...result.acked);
      if (phase === 'after') ackedAfterRestart += result.acked.length;
      if (result.failed.length) failures.push({ size: result.failed.length, message: result.thrown?.message ?? result.failed[0].error, kind: result.failed[0].kind });
    }
  })();

  try {
    await waitFor(() => acked.length >= 2_000, { timeoutMs: 60_000, what: '2,000 acknowledged messages before the kill' });
    phase = 'down';
    await services.killBroker();
    const killedAt = Date.now();
    await services.startBroker();
    phase = 'after';
    const restartedAfterMs = Date.now() - killedAt;
    const failuresBeforeRestart = failures.length;
    await waitFor(() => ackedAfterRestart >= 2_000, { timeoutMs: 90_000, what: '2,000 acknowledged messages after the restart (producer recovering without help)' }).catch(
      (error: Error) => {
        // Seen once on a fresh-clone run (not reproduced in 3 runs since): say whether the producer
        // was failing (and how) or hanging, so the next occurrence explains itself.
        const since = failures.slice(failuresBeforeRestart);
        throw new Error(
          `${error.message}; acknowledged after the restart: ${ackedAfterRestart}, attempted in all: ${attempted.length}, ` +
            `executions with failed items since the restart: ${since.length}, last: ${JSON.stringify(since.slice(-3))}`,
        );
      },
    );
    stop = true;
    await loop;

    const { counts, total } = await readWholeTopic(bootstrap, topic);
    const lost = acked.filter((value) => !counts.has(value));
    const duplicates = [...counts.values()].reduce((sum, n) => sum + (n - 1), 0);
    const ackedSet = new Set(acked);
    const unackedButWritten = [...counts.keys()].filter((value) => !ackedSet.has(value)).length;
    const report = {
      acknowledged: acked.length,
      attempted: attempted.length,
      foundOnTopic: total,
      distinctOnTopic: counts.size,
      lostAcknowledged: lost.length,
      duplicates,
      unacknowledgedButWritten: unackedButWritten,
      executionsWithFailedItems: failures.length,
      failedItems: failures.reduce((sum, f) => sum + f.size, 0),
      brokerDownMs: restartedAfterMs,
      failureKinds: [...new Set(failures.map((f) => f.kind))],
      firstFailure: failures[0]?.message,
    };
    console.log(`[faults] broker SIGKILL while producing: ${JSON.stringify(report, null, 2)}`);

    expect(lost).toEqual([]);
    expect(ackedAfterRestart).toBeGreaterThanOrEqual(2_000);
    // Every value on the topic is one we tried to send (no corruption, no foreign writes).
    const attemptedSet = new Set(attempted);
    expect([...counts.keys()].filter((value) => !attemptedSet.has(value))).toEqual([]);
    // Failed executions say what happened in words a user can act on.
    for (const failure of failures) expect(failure.message).toMatch(/Kafka|broker|connect|timed out|leader/i);
  } finally {
    stop = true;
    await loop.catch(() => undefined);
  }
}, 300_000);
