// A throwaway three-broker KRaft cluster (node 1 is also the controller) for what one broker
// cannot show: under-replicated and offline partitions, leadership skew. Runs the Kafka jars the
// global setup downloaded, on free ports, in a temporary directory; stops only its own processes.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { waitFor } from '../../helpers/n8nContext';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CACHE = path.resolve(process.env.KAFKA_SUITE_CACHE || path.join(ROOT, '.cache'));
const LIB = path.join(CACHE, 'kafka-3.9.1', 'lib');
const JAVA = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface ThreeBrokers {
  bootstrap: string;
  kill(nodeId: number): void;
  stop(): Promise<void>;
}

export async function startThreeBrokers(): Promise<ThreeBrokers> {
  if (!existsSync(LIB)) throw new Error(`${LIB} is missing: the Jest global setup downloads Kafka there (infra/local/services.cjs)`);
  const dir = mkdtempSync(path.join(tmpdir(), 'three-brokers-'));
  const [controller, ...ports] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  // Kafka's own Uuid never starts with '-', which StorageTool would read as an option.
  let clusterId: string;
  do clusterId = randomBytes(16).toString('base64url');
  while (clusterId.startsWith('-'));
  const log4j = path.join(dir, 'log4j.properties');
  writeFileSync(log4j, 'log4j.rootLogger=WARN, file\nlog4j.appender.file=org.apache.log4j.FileAppender\nlog4j.appender.file.File=' + path.join(dir, 'kafka.log') + '\nlog4j.appender.file.layout=org.apache.log4j.PatternLayout\nlog4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n\n');
  const props = ports.map((port, i) => {
    const id = i + 1;
    const file = path.join(dir, `node${id}.properties`);
    mkdirSync(path.join(dir, `data${id}`));
    writeFileSync(
      file,
      [
        `process.roles=${id === 1 ? 'broker,controller' : 'broker'}`,
        `node.id=${id}`,
        `controller.quorum.voters=1@127.0.0.1:${controller}`,
        'controller.listener.names=CONTROLLER',
        `listeners=PLAINTEXT://127.0.0.1:${port}${id === 1 ? `,CONTROLLER://127.0.0.1:${controller}` : ''}`,
        `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
        'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
        'inter.broker.listener.name=PLAINTEXT',
        `log.dirs=${path.join(dir, `data${id}`)}`,
        // A production-like default the audit should accept...
        'default.replication.factor=3',
        'min.insync.replicas=2',
        'auto.create.topics.enable=false',
        // ...and what keeps four JVMs small and a killed broker fenced within seconds.
        'offsets.topic.replication.factor=1',
        'offsets.topic.num.partitions=1',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'group.initial.rebalance.delay.ms=0',
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
  const jvm = ['-Xms128m', '-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', `-Dlog4j.configuration=file:${log4j}`, '-cp', `${LIB}/*`];
  await Promise.all(props.map((file) => promisify(execFile)(JAVA, [...jvm, 'kafka.tools.StorageTool', 'format', `--cluster-id=${clusterId}`, '-c', file])));
  const processes = new Map<number, ChildProcess>();
  props.forEach((file, i) => processes.set(i + 1, spawn(JAVA, [...jvm, 'kafka.Kafka', file], { stdio: 'ignore' })));
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
