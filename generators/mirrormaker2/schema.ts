import { z } from 'zod';
import { commaList, positiveInt, slug } from '../shared/validators';

export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export const REPLICATION_POLICIES = ['prefix', 'identity'] as const;

/**
 * A cluster alias ends up in topic names (`<alias>.orders`), internal topic names and property
 * keys (`<alias>.bootstrap.servers`), so dots and separators are refused.
 */
const alias = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/, 'use letters, digits, "_" and "-" (no dots), starting with a letter');

const hostPort = z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'use host:port');
const bootstrap = commaList(hostPort).refine((l) => l.length > 0, 'give at least one host:port');

/** MirrorMaker compiles these as Java regexes; the subset JavaScript accepts is checked here. */
const regex = z
  .string()
  .min(1, 'empty pattern')
  .regex(/^[^\s,]+$/, 'no spaces or commas inside a pattern (the list itself is comma-separated)')
  .refine((s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  }, 'not a valid regular expression');

/** Prompts give '' for a skipped optional answer. */
const absolutePath = z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^\/[^\s"\\]*$/, 'an absolute path without spaces or quotes').optional());

/** Seconds for MM2's *.interval.seconds settings: 1 s up to a day. */
const seconds = positiveInt(86_400);

export const mirrorMaker2Schema = z
  .object({
    name: slug.default('mirror'),
    sourceAlias: alias.default('source'),
    targetAlias: alias.default('target'),
    sourceBootstrap: bootstrap.default(['source-kafka:9092'] as never),
    targetBootstrap: bootstrap.default(['target-kafka:9092'] as never),
    sourceSecurity: z.enum(SECURITY_PROTOCOLS).default('PLAINTEXT'),
    targetSecurity: z.enum(SECURITY_PROTOCOLS).default('PLAINTEXT'),
    sourceSaslMechanism: z.enum(SASL_MECHANISMS).default('SCRAM-SHA-512'),
    targetSaslMechanism: z.enum(SASL_MECHANISMS).default('SCRAM-SHA-512'),
    /** PEM CA bundle for SSL / SASL_SSL; without it the JVM's default trust store is used. */
    sourceCaFile: absolutePath,
    targetCaFile: absolutePath,
    topics: commaList(regex).refine((l) => l.length > 0, 'give at least one pattern').default(['.*'] as never),
    /** Empty keeps MirrorMaker's own exclusions (internal, .replica and __ topics). */
    topicsExclude: commaList(regex).default([] as never),
    groups: commaList(regex).refine((l) => l.length > 0, 'give at least one pattern').default(['.*'] as never),
    groupsExclude: commaList(regex).default([] as never),
    /** prefix: `<source alias>.<topic>` (DefaultReplicationPolicy); identity: same name (migrations). */
    replicationPolicy: z.enum(REPLICATION_POLICIES).default('prefix'),
    replicationFactor: positiveInt(32).default(3),
    tasksMax: positiveInt(1_000).default(4),
    syncTopicConfigs: z.boolean().default(true),
    /** Off by default: it needs DESCRIBE on the source's ACLs and an authorizer on the target. */
    syncTopicAcls: z.boolean().default(false),
    syncGroupOffsets: z.boolean().default(true),
    emitHeartbeats: z.boolean().default(true),
    /** source is MirrorMaker's default; target keeps MirrorMaker from writing to a read-only source. */
    offsetSyncsTopicLocation: z.enum(['source', 'target']).default('source'),
    /** Records between offset syncs: lower means finer translated offsets, more sync traffic. */
    offsetLagMax: z.coerce.number().int().min(0).max(1_000_000).default(100),
    refreshTopicsIntervalSeconds: seconds.default(600),
    refreshGroupsIntervalSeconds: seconds.default(600),
    syncTopicConfigsIntervalSeconds: seconds.default(600),
    emitCheckpointsIntervalSeconds: seconds.default(60),
    syncGroupOffsetsIntervalSeconds: seconds.default(60),
    /** The Connect worker's offset commit; the offset sync of a partition's newest record waits for it. */
    offsetFlushIntervalSeconds: seconds.default(60),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.sourceAlias === a.targetAlias) ctx.addIssue({ code: 'custom', path: ['targetAlias'], message: 'the target alias must differ from the source alias' });
    if (a.syncGroupOffsets && a.syncGroupOffsetsIntervalSeconds < a.emitCheckpointsIntervalSeconds) {
      // Offsets are written from checkpoints; syncing more often than checkpoints are made only rewrites the same values.
      ctx.addIssue({ code: 'custom', path: ['syncGroupOffsetsIntervalSeconds'], message: 'must be at least emitCheckpointsIntervalSeconds' });
    }
  });

export type MirrorMaker2Answers = z.output<typeof mirrorMaker2Schema>;
