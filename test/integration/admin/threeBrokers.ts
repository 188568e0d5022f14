// A throwaway three-broker KRaft cluster (node 1 is also the controller) for what one broker
// cannot show: under-replicated and offline partitions, leadership skew. Runs the Kafka jars of the
// version the local services run (infra/local/), on free ports, in a temporary directory; stops
// only its own processes.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { waitFor } from '../../helpers/n8nContext';

const LOCAL = path.resolve(__dirname, '..', '..', '..', 'infra', 'local');
/* eslint-disable @typescript-eslint/no-require-imports */
const services = require(path.join(LOCAL, 'services.cjs')) as { KAFKA_VERSION: string; JAVA: string; kafkaLib: string; fetchKafka(): Promise<boolean> };
const { freePort } = require(path.join(LOCAL, 'util.cjs')) as { freePort(): Promise<number> };
const configs = require(path.join(LOCAL, 'configs.cjs')) as {
  kraftNode(o: { nodeId: number; controllerPort: number; listeners: string; protocolMap: string; dataDir: string }): string[];
  newClusterId(): string;
  storageFormatArgs(o: { clusterId: string; propsFile: string }): string[];
};
const kafka = require(path.join(LOCAL, 'kafka.cjs')) as { log4jProps(file: string, version: string, level?: string): string; logFlags(file: string): string[] };
/* eslint-enable @typescript-eslint/no-require-imports */

export interface ThreeBrokers {
  bootstrap: string;
  kill(nodeId: number): void;
  stop(): Promise<void>;
}

export async function startThreeBrokers(): Promise<ThreeBrokers> {
  await services.fetchKafka(); // a no-op once the global setup has fetched this version
  const dir = mkdtempSync(path.join(tmpdir(), 'three-brokers-'));
  const [controller, ...ports] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const clusterId = configs.newClusterId();
  const log4j = path.join(dir, 'log4j.properties');
  writeFileSync(log4j, kafka.log4jProps(path.join(dir, 'kafka.log'), services.KAFKA_VERSION, 'WARN'));
  const props = ports.map((port, i) => {
    const id = i + 1;
    const file = path.join(dir, `node${id}.properties`);
    mkdirSync(path.join(dir, `data${id}`));
    writeFileSync(
      file,
      [
        ...configs.kraftNode({ nodeId: id, controllerPort: controller, listeners: `PLAINTEXT://127.0.0.1:${port}`, protocolMap: 'PLAINTEXT:PLAINTEXT', dataDir: path.join(dir, `data${id}`) }),
        // A production-like default the audit should accept...
        'default.replication.factor=3',
        'min.insync.replicas=2',
        // ...and what keeps four JVMs small and a killed broker fenced within seconds.
        'offsets.topic.num.partitions=1',
        'broker.session.timeout.ms=3000',
        'broker.heartbeat.interval.ms=500',
        'replica.lag.time.max.ms=5000',
        'num.network.threads=2',
        'num.io.threads=2',
        'log.cleaner.enable=false',
      ].join('\n') + '\n',
    );
    return file;
  });
  const jvm = ['-Xms128m', '-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', ...kafka.logFlags(log4j), '-cp', `${services.kafkaLib}/*`];
  await Promise.all(props.map((file) => promisify(execFile)(services.JAVA, [...jvm, ...configs.storageFormatArgs({ clusterId, propsFile: file })])));
  const processes = new Map<number, ChildProcess>();
  props.forEach((file, i) => processes.set(i + 1, spawn(services.JAVA, [...jvm, 'kafka.Kafka', file], { stdio: 'ignore' })));
  const bootstrap = ports.map((p) => `127.0.0.1:${p}`).join(',');
  const stop = async () => {
    const exits = [...processes.values()].filter((p) => p.exitCode === null && p.signalCode === null).map((p) => new Promise((resolve) => p.once('exit', resolve)));
    for (const p of processes.values()) p.kill('SIGKILL');
    await Promise.all(exits);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const admin = new Kafka({ clientId: 'three-brokers', brokers: bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries: 1 } }).admin();
    await waitFor(
      async () => {
        try {
          await admin.connect();
          return (await admin.describeCluster()).brokers.length === 3 || undefined;
        } finally {
          await admin.disconnect();
        }
      },
      { timeoutMs: 120_000, intervalMs: 500, what: 'three brokers to register' },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    bootstrap,
    kill: (nodeId) => processes.get(nodeId)?.kill('SIGKILL'),
    stop,
  };
}
