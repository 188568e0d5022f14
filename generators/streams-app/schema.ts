import { z } from 'zod';
import { javaPackage, positiveInt, slug, topicName } from '../shared/validators';

export const TOPOLOGIES = ['filter-map', 'branch', 'windowed-aggregation', 'stream-table-join'] as const;
export const WINDOWS = ['tumbling', 'hopping', 'session'] as const;
export const SERDES = ['string', 'json', 'avro'] as const;

export const streamsAppSchema = z
  .object({
    artifactId: slug.default('orders-streams'),
    groupId: javaPackage.default('com.example'),
    javaPackage: javaPackage.default('com.example.streams'),
    topology: z.enum(TOPOLOGIES).default('filter-map'),
    window: z.enum(WINDOWS).default('tumbling'),
    windowSizeSeconds: positiveInt(86_400).default(60),
    serde: z.enum(SERDES).default('json'),
    inputTopic: topicName.default('orders'),
    outputTopic: topicName.default('orders-processed'),
    /** Only read by stream-table-join: the compacted topic the table is built from. */
    tableTopic: topicName.default('customers'),
    processingGuarantee: z.enum(['exactly_once_v2', 'at_least_once']).default('exactly_once_v2'),
  })
  .strict();

export type StreamsAppAnswers = z.output<typeof streamsAppSchema>;
