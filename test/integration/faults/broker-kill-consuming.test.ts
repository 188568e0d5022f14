// Fault: the broker is SIGKILLed and restarted while our Trigger is consuming. Proves that the
// trigger resumes on its own (no reactivation, no call into it), that every message is delivered
// into an execution at least once, and counts the duplicates. Own broker instance (isolated.ts).
import { isolatedServices, type IsolatedServices } from './isolated';
import { createTopic, fillTopic } from './readTopic';
import { activateTrigger, type ActiveTrigger } from './trigger';
import { clientPool } from '../../../nodes/shared';
import { waitFor } from '../../helpers/n8nContext';

let services: IsolatedServices & { dispose(): Promise<void> };
let trigger: ActiveTrigger | undefined;
const topic = 'faults-consuming';
const BEFORE = 20_000;
const AFTER = 2_000;

beforeAll(async () => {
  services = await isolatedServices('broker-kill-consuming');
  await services.start({ connect: false, registry: false, log: () => undefined });
  await createTopic(services.facts().bootstrap.plaintext, topic, 3);
}, 180_000);

afterAll(async () => {
  await trigger?.close();
  await clientPool.closeAll();
  await services?.dispose();
}, 120_000);

test('SIGKILL + restart while consuming: the trigger resumes by itself, nothing is missed', async () => {
  const bootstrap = services.facts().bootstrap.plaintext;
  const sent = [...Array.from({ length: BEFORE }, (_, i) => `before-${i}`)];
  await fillTopic(bootstrap, topic, sent);

  const seen = new Map<string, number>();
  let delivered = 0;
  let executions = 0;
  trigger = await activateTrigger({
    credential: { platform: 'apache', brokers: bootstrap, clientId: 'faults-trigger' },
    parameters: {
      topicSelection: 'names',
      topics: topic,
      groupId: 'faults-consuming-group',
      startFrom: 'earliest',
      deliveryMode: 'afterSuccess',
      valueFormat: 'string',
      options: { batchSize: 50, sessionTimeout: 10_000 },
    },
    // Each "workflow execution" takes 10 ms, so the backlog takes several seconds and the kill lands mid-stream.
    onEmit: async (execution) => {
      executions++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      for (const item of execution.data[0]) {
        const value = String(item.json.value);
        seen.set(value, (seen.get(value) ?? 0) + 1);
        delivered++;
      }
      return 'success' as const;
    },
  });

  await waitFor(() => delivered >= 2_000, { timeoutMs: 60_000, what: '2,000 messages delivered before the kill' });
  const deliveredAtKill = delivered;
  await services.killBroker();
  const killedAt = Date.now();
  await services.startBroker();
  const downMs = Date.now() - killedAt;
  const deliveredAtRestart = delivered;

  // New messages after the restart must arrive too (the consumer is really back, not just draining a buffer).
  const later = Array.from({ length: AFTER }, (_, i) => `after-${i}`);
  await fillTopic(bootstrap, topic, later);
  sent.push(...later);

  await waitFor(() => sent.every((value) => seen.has(value)), {
    timeoutMs: 120_000,
    intervalMs: 250,
    what: `every one of ${sent.length} messages delivered after the restart (trigger resuming without help)`,
  });
  const duplicates = delivered - seen.size;
  const report = {
    sent: sent.length,
    deliveredItems: delivered,
    distinctDelivered: seen.size,
    duplicates,
    deliveredBeforeKill: deliveredAtKill,
    deliveredWhileBrokerDown: deliveredAtRestart - deliveredAtKill,
    executions,
    brokerDownMs: downMs,
    triggerErrors: trigger.context.errors.map((e) => e.message),
  };
  console.log(`[faults] broker SIGKILL while consuming: ${JSON.stringify(report, null, 2)}`);

  expect(sent.filter((value) => !seen.has(value))).toEqual([]);
  expect([...seen.keys()].filter((value) => !value.startsWith('before-') && !value.startsWith('after-'))).toEqual([]);
  // Resuming did not need n8n to reactivate the workflow: no error was reported to it.
  expect(trigger.context.errors).toEqual([]);
}, 300_000);
