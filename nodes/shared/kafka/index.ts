// The suite's Kafka API (api.ts) and the one place that picks the client library behind it.
// Nodes call openConnection(cred) once per execution and use only the returned handle.
import type { KafkaClusterCredential } from '../credentialTypes';
import { credentialHash } from '../platforms';
import { clientPool, type ClientPool } from '../pool';
import type { KafkaConnection } from './api';
import { openKafkajsConnection } from './kafkajs/connection';
import { partitionForKey as kafkajsPartitionForKey } from './kafkajs/partitioner';
import { nodeSupportsPlatformatic, openPlatformaticConnection } from './platformatic';

export * from './api';
// Share-group admin (KIP-932) on any connection: the suite's own protocol client, whatever the library.
export { withShareAdmin, SHARE_GROUP_REQUIREMENTS } from './shareGroup/admin';

export type ClientLibrary = KafkaConnection['clientLibrary'];

export interface OpenContext {
  /** The credential's hash (with the library's name): the prefix of every pooled client's key. */
  key: string;
  pool: ClientPool;
  /** No client log lines (the credential test reports its failure itself). */
  quiet: boolean;
}
export interface OpenOptions {
  /** Default: the process-wide pool. */
  pool?: ClientPool;
  quiet?: boolean;
}

/** How each client library opens a connection; the credential is already hashed (`context.key`). */
type Opener = (cred: KafkaClusterCredential, context: OpenContext) => KafkaConnection;
const OPENERS: Partial<Record<ClientLibrary, Opener>> = {
  kafkajs: openKafkajsConnection,
  platformatic: openPlatformaticConnection,
};

/**
 * Which client library serves a credential. The only place the choice is made.
 *
 * @platformatic/kafka is the default since 0.2.0. kafkajs stays selectable (the credential's
 * Client Library option) as a fallback for one minor release and is removed in 0.3.0
 * (KAFKAJS_FALLBACK_UNTIL); until then it also serves n8n on a Node older than the new client's
 * floor (22.22 / 24.6), i.e. n8n before 2.36 on Node 20.
 */
export function clientLibraryFor(cred: KafkaClusterCredential): ClientLibrary {
  // Test runs pick the library for every credential: KAFKA_SUITE_CLIENT=platformatic|kafkajs.
  const forced = process.env.KAFKA_SUITE_CLIENT;
  if (forced === 'platformatic' || forced === 'kafkajs') return forced;
  if (cred.clientLibrary === 'kafkajs') return 'kafkajs';
  return nodeSupportsPlatformatic() ? 'platformatic' : 'kafkajs';
}

/** The release that removes the kafkajs fallback, and the date it is planned for (README, "Client library"). */
export const KAFKAJS_FALLBACK_UNTIL = { release: '0.3.0', date: '2027-03-01' } as const;

/**
 * The credential resolved and hashed once: equal credentials share pooled clients (keyed by the hash
 * and the library). Throws the credential's configuration error (a KafkaSuiteError) at once.
 */
export function openConnection(cred: KafkaClusterCredential, options: OpenOptions = {}): KafkaConnection {
  const library = clientLibraryFor(cred);
  const open = OPENERS[library];
  if (!open) throw new Error(`No Kafka client library "${library}" in this build`);
  const quiet = options.quiet ?? false;
  return open(cred, { key: `${library}:${credentialHash(cred)}${quiet ? ':quiet' : ''}`, pool: options.pool ?? clientPool, quiet });
}

/**
 * The partition the Java client's default partitioner gives `key` (murmur2): the Producer computes
 * partitions itself so each item gets its exact offset back. The same on every client library.
 */
export function partitionForKey(key: Buffer | string | null | undefined, partitionCount: number): number {
  return kafkajsPartitionForKey(key, partitionCount);
}

/** The bench gives raw kafkajs clients the same LZ4/Snappy/ZSTD codecs as ours (kafkajs has only GZIP built in). */
export { registerCompressionCodecs } from './kafkajs/codecs';

