// Fault: a transactional execution fails while the broker is down, so its abort (EndTxn) fails too.
// The pooled transactional producer must not carry that unfinished transaction into the next
// execution: once the broker is back, the next transactional execution commits, and nothing of the
// failed one becomes visible to read_committed readers. Own broker instance (isolated.ts).
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { isolatedServices, type IsolatedServices } from './isolated';
import { createTopic, readWholeTopic } from './readTopic';
import { clusterCredential, closeProducers, produceExecution, type ExecutionResult } from './produce';
import { waitFor } from '../../helpers/n8nContext';

let services: IsolatedServices & { dispose(): Promise<void> };
const topic = 'faults-transaction-abort';
let bootstrap = '';
const TRANSACTION_ERRORS = 'tracing:plt:kafka:producer:transactions:error';

beforeAll(async () => {
  services = await isolatedServices('transaction-abort-fails');
  await services.start({ connect: false, registry: false, log: () => undefined });
  bootstrap = services.facts().bootstrap.plaintext;
  await createTopic(bootstrap, topic, 1);
}, 180_000);

afterAll(async () => {
  await closeProducers();
  await services?.dispose();
}, 120_000);

test('a transaction whose abort failed (broker down): the next transactional execution after the restart commits; the failed one stays invisible', async () => {
  // A short request timeout keeps the failing execution short.
  const credential = clusterCredential(bootstrap, { requestTimeoutMs: 3000 });
  const transactional = { options: { acks: 'all', transactional: true, transactionalId: 'faults-transaction-abort' } };
  expect((await produceExecution(credential, topic, ['committed-1'], transactional)).acked).toEqual(['committed-1']);

  await services.killBroker();
  // What the client library did with the failed transaction (its tracing channel): the abort must have been tried and failed.
  const transactionErrors: string[] = [];
  const onError = (message: unknown) => void transactionErrors.push(String((message as { operation?: string }).operation));
  subscribe(TRANSACTION_ERRORS, onError);
  const whileDown = await produceExecution(credential, topic, ['while-down'], transactional).finally(() => unsubscribe(TRANSACTION_ERRORS, onError));
  // The kafkajs fallback has no such channel; there the test proves the outcome only.
  if (process.env.KAFKA_SUITE_CLIENT !== 'kafkajs') expect(transactionErrors).toContain('abort');
  expect(whileDown.acked).toEqual([]);
  expect(whileDown.failed).toHaveLength(1);
  await services.startBroker();

  // Each attempt is a new execution (as n8n retries would be); the producer must recover by itself.
  const attempts: ExecutionResult[] = [];
  await waitFor(
    async () => {
      const result = await produceExecution(credential, topic, [`after-restart-${attempts.length}`], transactional);
      attempts.push(result);
      return result.acked.length === 1;
    },
    { timeoutMs: 90_000, intervalMs: 1000, what: 'a transactional execution committing after the restart' },
  ).catch((error: Error) => {
    throw new Error(`${error.message}; the executions failed with: ${JSON.stringify([...new Set(attempts.map((a) => a.failed[0]?.error))])}`);
  });
  const committedAfter = attempts[attempts.length - 1].acked[0];
  console.log(`[faults] transaction abort failed: ${JSON.stringify({ whileDown: whileDown.failed[0].error, libraryErrors: transactionErrors, attemptsUntilCommit: attempts.length, errors: attempts.map((a) => a.failed[0]?.error).filter(Boolean) })}`);

  const { counts } = await readWholeTopic(bootstrap, topic);
  expect(counts.get('committed-1')).toBe(1);
  expect(counts.get(committedAfter)).toBe(1);
  expect(counts.has('while-down')).toBe(false);
  // Bounded: a broker that is back is usable within a few executions, not after the pool's idle close.
  expect(attempts.length).toBeLessThanOrEqual(5);
}, 300_000);
