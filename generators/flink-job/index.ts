import type { GeneratorModule } from '../shared/generator';
import { renderFlinkJob } from './render';
import { FORMATS, GUARANTEES, flinkJobSchema } from './schema';

export const flinkJob: GeneratorModule<typeof flinkJobSchema> = {
  name: 'flink-job',
  description: 'Flink DataStream job (Java 17, Maven): Kafka source -> your transform -> Kafka sink, exactly-once, JSON or Avro via the registry; MiniCluster test against a real broker',
  schema: flinkJobSchema,
  fields: [
    { name: 'artifactId', type: 'input', message: 'Maven artifactId (also the job name and default consumer group)' },
    { name: 'groupId', type: 'input', message: 'Maven groupId' },
    { name: 'javaPackage', type: 'input', message: 'Java package' },
    { name: 'inputTopic', type: 'input', message: 'Input topic' },
    { name: 'outputTopic', type: 'input', message: 'Output topic' },
    { name: 'format', type: 'list', message: 'Value format', choices: FORMATS },
    { name: 'deliveryGuarantee', type: 'list', message: 'Delivery guarantee', choices: GUARANTEES },
    { name: 'checkpointIntervalSeconds', type: 'number', message: 'Checkpoint interval in seconds (exactly-once output becomes visible at each checkpoint)' },
    { name: 'parallelism', type: 'number', message: 'Default parallelism' },
  ],
  render: renderFlinkJob,
};
