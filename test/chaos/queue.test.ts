// Queue mode (EXECUTIONS_MODE=queue): the trigger runs in the main process, executions run on two
// `n8n worker` processes fed through Redis (Debian's redis-server, started and stopped here). A
// worker is SIGKILLed while it runs executions, then the main (not in CI). The trigger must never commit an
// offset whose execution did not succeed, whatever n8n tells it about the lost executions.
import { isolatedServices, type IsolatedServices } from '../integration/faults/isolated';
import { Fleet } from './fleet';
import { problemsAboutOurPackage } from './logCheck';
import { CI, FULL, Flow, killPoint, recordResult, waitFor, type KillRecord } from './scenario';

const PER_PHASE = FULL ? 2000 : CI ? 400 : 600;
const SESSION_TIMEOUT = 10_000;

let services: (IsolatedServices & { dispose(): Promise<void> }) | undefined;
let fleet: Fleet | undefined;
const flows: Flow[] = [];

beforeAll(async () => {
  services = await isolatedServices('chaos-queue');
  await services.start({ connect: false, registry: false, log: () => undefined });
}, 240_000);

afterAll(async () => {
  for (const flow of flows) await flow.close();
  await fleet?.dispose();
  await services?.dispose();
}, 180_000);

test('queue mode, one main + two workers: a worker and the main SIGKILLed; nothing lost, exactly-once without duplicates', async () => {
  const bootstrap = services!.facts().bootstrap.plaintext;
  // n8n notices a dead worker's job through Bull's lock: it expires after QUEUE_WORKER_LOCK_DURATION
  // (60 s by default) and is found by the stalled-job check (every 30 s); then n8n re-reads the
  // execution for up to 30 s before it settles the trigger's done promise as failed. Shorter here so
  // the suite fits its time budget; the README gives the default-timing numbers.
  fleet = new Fleet('queue', 'queue', { QUEUE_WORKER_LOCK_DURATION: '15000', QUEUE_WORKER_LOCK_RENEW_TIME: '5000', QUEUE_WORKER_STALLED_INTERVAL: '5000' });
  const main = await fleet.startMain();
  // The main has migrated the database; both workers can start side by side.
  await Promise.all([fleet.startWorker('worker-1'), fleet.startWorker('worker-2')]);
  const credential = await main.createCredential({
    name: 'chaos cluster',
    type: 'kafkaSuiteClusterApi',
    data: { platform: 'apache', brokers: bootstrap, securityProtocol: 'plaintext' },
  });
  // Both workers run on this one host: the default transactional id (workflow + node + host name)
  // would make them fence each other, so each worker process gets its own.
  const transactionalId = "={{ 'chaos-queue-' + $env.KAFKA_SUITE_CHAOS_PROCESS }}";
  const alo = new Flow(bootstrap, 'queue', 'atLeastOnce', { batchSize: 5, sessionTimeout: SESSION_TIMEOUT });
  const eos = new Flow(bootstrap, 'queue', 'exactlyOnce', { batchSize: 5, sessionTimeout: SESSION_TIMEOUT, transactionalId });
  flows.push(alo, eos);
  for (const flow of flows) {
    await flow.createTopics();
    await flow.writer.write(PER_PHASE);
    const wf = await main.createWorkflow(flow.workflow(credential));
    flow.workflowId = wf.id;
    await main.publish(wf.id);
  }
  const kills: KillRecord[] = [];
  const pending = (flow: Flow) => flow.writer.sent.length - flow.reader.distinct();

  // 1. A worker dies in the middle of an execution; the other keeps going, then it comes back.
  await alo.waitForOutput(Math.floor(PER_PHASE / 3));
  expect(pending(alo)).toBeGreaterThan(0);
  const cut = await fleet.killWorkerMidExecution('worker-1');
  kills.push(await killPoint('worker SIGKILL', cut.at, flows));
  process.stderr.write(`[chaos] queue: worker-1 had execution(s) ${cut.inFlight.join(', ')} in flight\n`);
  for (const flow of flows) await flow.writer.write(PER_PHASE);
  await alo.waitForOutput(PER_PHASE + Math.floor(PER_PHASE / 3));
  await fleet.startWorker('worker-1');
  // n8n noticed the dead worker's job (Bull: stalled, maxStalledCount 0) and settled the trigger's
  // done promise as failed: the trigger delivers those messages again instead of committing them.
  // Every execution the worker had in flight (one per flow at most), not only the last one started:
  // a trigger whose execution n8n never settles waits with its partition (see the Trigger README).
  expect(cut.inFlight).toContain(cut.executionId);
  await waitFor(() => cut.inFlight.every((id) => new RegExp(`job stalled more than maxStalledCount \\(execution ${id}\\)`).test(fleet!.logs())), {
    timeout: 180_000,
    interval: 500,
    what: `n8n failing every cut-off execution (${cut.inFlight.join(', ')}) as stalled`,
  });

  // 2. The main (where the trigger runs) dies mid-stream and restarts. CI keeps the worker kill, the
  // one only queue mode has (the CI budget; regular.test.ts kills a main that runs the trigger);
  // `npm run test:full` and local runs do both.
  for (const flow of flows) await flow.writer.write(PER_PHASE);
  if (!CI || FULL) {
    await alo.waitForOutput(2 * PER_PHASE + Math.floor(PER_PHASE / 3));
    expect(pending(alo)).toBeGreaterThan(0);
    kills.push(await killPoint('main SIGKILL', await fleet.kill('main'), flows));
    // New input on every key while the main is down, so every partition has output to resume.
    for (const flow of flows) await flow.writer.write(Math.floor(PER_PHASE / 4));
    await fleet.startMain();
  }

  for (const flow of flows) await flow.waitForDrain(CI ? 240_000 : 400_000, (f) => fleet!.linesAbout([f.input, f.groupId]));

  const results = [];
  for (const flow of flows) {
    const result = await flow.result(kills);
    recordResult('queue (main + 2 workers)', flow.delivery, result, { n8nStarts: fleet.startTimes, cutOffExecution: cut.executionId, cutOffInFlight: cut.inFlight });
    results.push({ flow, result });
  }
  for (const { flow, result } of results) {
    expect(result.lostIds).toEqual([]);
    expect(result.lost).toBe(0);
    expect(result.unexpected).toBe(0);
    expect(result.endLag).toBe(0);
    expect(result.orderExamples).toEqual([]);
    if (flow.delivery === 'exactlyOnce') expect(result.duplicates).toBe(0);
    for (const kill of result.resumeSeconds) expect(kill.seconds).not.toBeNull();
  }
  expect(problemsAboutOurPackage(fleet.logs())).toEqual([]);
}, 900_000);
