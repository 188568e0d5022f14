// A clean n8n restart (SIGTERM, as systemd or Docker stop it): n8n closes its triggers, ours
// disconnects its consumer, which leaves the group at once, so the restarted n8n gets the partitions
// without waiting for a session timeout and output flows again within 10 s of n8n being ready.
import { Kafka, logLevel } from 'kafkajs';
import { isolatedServices, type IsolatedServices } from '../integration/faults/isolated';
import { Fleet } from './fleet';
import { problemsAboutOurPackage } from './logCheck';
import { Flow, killPoint, waitFor } from './scenario';

let services: (IsolatedServices & { dispose(): Promise<void> }) | undefined;
let fleet: Fleet | undefined;
let flow: Flow | undefined;

beforeAll(async () => {
  services = await isolatedServices('chaos-clean');
  await services.start({ connect: false, registry: false, log: () => undefined });
}, 240_000);

afterAll(async () => {
  await flow?.close();
  await fleet?.dispose();
  await services?.dispose();
}, 180_000);

test('after a clean restart the group is left at shutdown and consumption resumes within 10 s of n8n being ready', async () => {
  const bootstrap = services!.facts().bootstrap.plaintext;
  fleet = new Fleet('clean');
  const main = await fleet.startMain();
  const credential = await main.createCredential({
    name: 'chaos cluster',
    type: 'kafkaSuiteClusterApi',
    data: { platform: 'apache', brokers: bootstrap, securityProtocol: 'plaintext' },
  });
  // The trigger's default session timeout: what a user gets.
  flow = new Flow(bootstrap, 'clean', 'atLeastOnce', { batchSize: 5, sessionTimeout: 10_000 });
  await flow.createTopics();
  await flow.writer.write(200);
  await main.publish((await main.createWorkflow(flow.workflow(credential))).id);
  await flow.waitForOutput(50);

  await fleet.stopProcess('main');
  // Left at shutdown: no member remains, nobody waits for a session to expire.
  const admin = new Kafka({ clientId: 'chaos-clean', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([flow.groupId]);
    expect(groups[0].members).toEqual([]);
  } finally {
    await admin.disconnect();
  }
  const stoppedAt = Date.now();
  await flow.writer.write(200);
  const ends = await killPoint('clean stop', stoppedAt, [flow]);
  await fleet.startMain();
  const readyAt = Date.now();
  const restarted = fleet.get('main');
  // Consuming again = the trigger joined the group and got the partitions (n8n's log, same clock).
  const joinedAt = await waitFor(
    () => {
      const line = restarted.readLog().split('\n').find((l: string) => l.includes(`Kafka trigger: joined group ${flow!.groupId}`));
      return line ? Date.parse(JSON.parse(line).metadata.timestamp) : undefined;
    },
    { timeout: 60_000, interval: 100, what: 'the restarted trigger joining its group' },
  );
  await waitFor(() => flow!.reader.resumedAfter(ends.ends.get(flow!.output)!) !== undefined, { timeout: 60_000, interval: 100, what: 'output flowing again on every partition' });
  const joinedSeconds = (joinedAt - readyAt) / 1000;
  const outputSeconds = (flow.reader.resumedAfter(ends.ends.get(flow.output)!)! - readyAt) / 1000;
  process.stderr.write(
    `[chaos] clean restart: consuming ${joinedSeconds.toFixed(1)} s and output flowing on every partition ${outputSeconds.toFixed(1)} s after n8n was ready (stop to ready ${((readyAt - stoppedAt) / 1000).toFixed(1)} s)\n`,
  );
  expect(joinedSeconds).toBeLessThan(10);
  await flow.waitForDrain(240_000, (f) => fleet!.linesAbout([f.input, f.groupId]));
  expect(problemsAboutOurPackage(fleet.logs())).toEqual([]);
}, 600_000);
