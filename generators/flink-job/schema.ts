import { z } from 'zod';
import { javaPackage, positiveInt, slug, topicName } from '../shared/validators';

export const FORMATS = ['json', 'avro'] as const;
export const GUARANTEES = ['exactly-once', 'at-least-once'] as const;

export const flinkJobSchema = z
  .object({
    artifactId: slug.default('orders-flink'),
    groupId: javaPackage.default('com.example'),
    javaPackage: javaPackage.default('com.example.flink'),
    inputTopic: topicName.default('orders'),
    outputTopic: topicName.default('orders-accepted'),
    /** json: plain JSON values; avro: Confluent wire format through the registry (Apicurio serde). */
    format: z.enum(FORMATS).default('json'),
    deliveryGuarantee: z.enum(GUARANTEES).default('exactly-once'),
    checkpointIntervalSeconds: positiveInt(3_600).default(10),
    parallelism: positiveInt(1_024).default(2),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.inputTopic === a.outputTopic) ctx.addIssue({ code: 'custom', path: ['outputTopic'], message: 'reading and writing one topic loops the job onto its own output' });
  });

export type FlinkJobAnswers = z.output<typeof flinkJobSchema>;
