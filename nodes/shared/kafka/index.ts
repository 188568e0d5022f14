// The suite's Kafka API (api.ts) and the one place that picks the client library behind it.
// Nodes call openConnection(cred) once per execution and use only the returned handle.
import type { KafkaClusterCredential } from '../credentialTypes';
import { credentialHash } from '../platforms';
import { clientPool, type ClientPool } from '../pool';
import type { KafkaConnection } from './api';
import { openKafkajsConnection, registerKafkajsLegacyAccess } from './kafkajs/connection';
import { partitionForKey as kafkajsPartitionForKey } from './kafkajs/partitioner';

export * from './api';

export type ClientLibrary = KafkaConnection['clientLibrary'];

/** How each client library opens a connection; the credential is already hashed (`key`). */
type Opener = (cred: KafkaClusterCredential, key: string, pool: ClientPool) => KafkaConnection;
const OPENERS: Partial<Record<ClientLibrary, Opener>> = {
  kafkajs: openKafkajsConnection,
};

/** Which client library serves a credential. The only place the choice is made. */
export function clientLibraryFor(_cred: KafkaClusterCredential): ClientLibrary {
  return 'kafkajs';
}

/**
 * The credential resolved and hashed once: equal credentials share pooled clients (keyed by the hash
 * and the library). Throws the credential's configuration error (a KafkaSuiteError) at once.
 */
export function openConnection(cred: KafkaClusterCredential, pool: ClientPool = clientPool): KafkaConnection {
  const library = clientLibraryFor(cred);
  const open = OPENERS[library];
  if (!open) throw new Error(`No Kafka client library "${library}" in this build`);
  return open(cred, `${library}:${credentialHash(cred)}`, pool);
}

/**
 * The partition the Java client's default partitioner gives `key` (murmur2): the Producer computes
 * partitions itself so each item gets its exact offset back. The same on every client library.
 */
export function partitionForKey(key: Buffer | string | null | undefined, partitionCount: number): number {
  return kafkajsPartitionForKey(key, partitionCount);
}

registerKafkajsLegacyAccess((cred) => `kafkajs:${credentialHash(cred)}`);
