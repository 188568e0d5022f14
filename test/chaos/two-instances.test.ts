// Two independent n8n instances (own databases) with the same active workflows and group ids:
// the group splits the partitions between them; one instance is SIGKILLed and the other takes its
// partitions over once the dead member's session expires. Nothing is lost; exactly-once has no
// duplicates.
import { Kafka, logLevel } from 'kafkajs';
import { isolatedServices, type IsolatedServices } from '../integration/faults/isolated';
import { Fleet } from './fleet';
import { problemsAboutOurPackage } from './logCheck';
import { CI, FULL, Flow, killPoint, recordResult, waitFor, type KillRecord } from './scenario';

const PER_PHASE = FULL ? 2000 : CI ? 300 : 600;
const SESSION_TIMEOUT = 10_000;

let services: (IsolatedServices & { dispose(): Promise<void> }) | undefined;
const fleets: Fleet[] = [];
const flows: Flow[] = [];

beforeAll(async () => {
  services = await isolatedServices('chaos-two');
  await services.start({ connect: false, registry: false, log: () => undefined });
}, 240_000);

afterAll(async () => {
  for (const flow of flows) await flow.close();
  for (const fleet of fleets) await fleet.dispose();
  await services?.dispose();
}, 180_000);

/** Partitions held by each member of the group (by client host/member), from the broker. */
async function assignment(bootstrap: string, groupId: string): Promise<number[][]> {
  const kafka = new Kafka({ clientId: 'chaos-describe', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    const group = groups[0];
    if (group.state !== 'Stable') return [];
    const { AssignerProtocol } = await import('kafkajs');
    return group.members.map((member) => {
      const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
      return Object.values(decoded?.assignment ?? {}).flat();
    });
  } finally {
    await admin.disconnect();
  }
}

test('two n8n instances share one group: partitions split, one SIGKILLed, the other takes over; nothing lost', async () => {
  const bootstrap = services!.facts().bootstrap.plaintext;
  const alo = new Flow(bootstrap, 'two', 'atLeastOnce', { batchSize: 5, sessionTimeout: SESSION_TIMEOUT });
  const eos = new Flow(bootstrap, 'two', 'exactlyOnce', { batchSize: 5, sessionTimeout: SESSION_TIMEOUT });
  flows.push(alo, eos);
  for (const flow of flows) await flow.createTopics();

  // Independent instances: own user folder and database each, started side by side.
  fleets.push(new Fleet('two-a'), new Fleet('two-b'));
  await Promise.all(
    fleets.map(async (fleet) => {
      const main = await fleet.startMain();
      const credential = await main.createCredential({
        name: 'chaos cluster',
        type: 'kafkaSuiteClusterApi',
        data: { platform: 'apache', brokers: bootstrap, securityProtocol: 'plaintext' },
      });
      for (const flow of flows) {
        const wf = await main.createWorkflow(flow.workflow(credential));
        await main.publish(wf.id);
      }
    }),
  );
  // Both instances are members and the partitions are split before the input arrives.
  for (const flow of flows) {
    const split = await waitFor(
      async () => {
        const members = await assignment(bootstrap, flow.groupId);
        return members.length === 2 && members.every((partitions) => partitions.length > 0) ? members : undefined;
      },
      { timeout: 60_000, interval: 500, what: `${flow.groupId}: two members, each with partitions` },
    );
    expect(split?.flat().sort()).toEqual([0, 1, 2]);
  }
  for (const flow of flows) await flow.writer.write(PER_PHASE);

  const kills: KillRecord[] = [];
  await alo.waitForOutput(Math.floor(PER_PHASE / 3));
  expect(alo.writer.sent.length - alo.reader.distinct()).toBeGreaterThan(0);
  kills.push(await killPoint('instance A SIGKILL', await fleets[0].kill('main'), flows));
  for (const flow of flows) await flow.writer.write(PER_PHASE);

  // The survivor owns every partition once the dead member's session expired.
  for (const flow of flows) {
    await waitFor(
      async () => {
        const members = await assignment(bootstrap, flow.groupId);
        return members.length === 1 && members[0].length === 3;
      },
      { timeout: SESSION_TIMEOUT + 60_000, interval: 500, what: `${flow.groupId}: the surviving instance owns all 3 partitions` },
    );
  }
  for (const flow of flows) await flow.waitForDrain(400_000, (f) => fleets.map((fleet) => fleet.linesAbout([f.input, f.groupId], 20)).join('\n'));

  const results = [];
  for (const flow of flows) {
    const result = await flow.result(kills);
    recordResult('two instances, one group', flow.delivery, result, { n8nStarts: fleets.flatMap((f) => f.startTimes) });
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
  for (const fleet of fleets) expect(problemsAboutOurPackage(fleet.logs())).toEqual([]);
}, 900_000);
