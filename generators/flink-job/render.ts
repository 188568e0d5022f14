import type { Files } from '../shared/generator';
import { render } from '../shared/templates';
import { STREAMS_VERSIONS } from '../streams-app/render';
import type { FlinkJobAnswers } from './schema';

/** Pinned together: the Kafka connector is released per Flink minor (5.0.0-2.2 is built for Flink 2.2). */
export const FLINK_VERSIONS = {
  flink: '2.2.1',
  kafkaConnector: '5.0.0-2.2',
  /** The slf4j API Flink 2.2 itself is built against. */
  slf4j: '1.7.36',
  apicurio: STREAMS_VERSIONS.apicurio,
  avro: STREAMS_VERSIONS.avro,
  jackson: STREAMS_VERSIONS.jackson,
  junit: STREAMS_VERSIONS.junit,
  compilerPlugin: STREAMS_VERSIONS.compilerPlugin,
  resourcesPlugin: STREAMS_VERSIONS.resourcesPlugin,
  surefirePlugin: STREAMS_VERSIONS.surefirePlugin,
  jarPlugin: STREAMS_VERSIONS.jarPlugin,
  shadePlugin: STREAMS_VERSIONS.shadePlugin,
} as const;

const field = (name: string, type: string) => ({ name, type });

export function renderFlinkJob(answers: FlinkJobAnswers): Files {
  const pkgPath = answers.javaPackage.replace(/\./g, '/');
  const data = {
    ...answers,
    v: FLINK_VERSIONS,
    isAvro: answers.format === 'avro',
    isJson: answers.format === 'json',
    exactlyOnce: answers.deliveryGuarantee === 'exactly-once',
    checkpointIntervalMs: answers.checkpointIntervalSeconds * 1000,
  };
  const files: Files = {
    'pom.xml': render('flink-job/pom.xml', data),
    'README.md': render('flink-job/README.md', data),
    '.gitignore': 'target/\n',
  };
  for (const cls of ['Job', 'JobConfig', 'Pipeline', 'Model', 'OrderTransform', 'Formats']) {
    files[`src/main/java/${pkgPath}/${cls}.java`] = render(`flink-job/java/${cls}.java`, data);
  }
  files[`src/test/java/${pkgPath}/OrderTransformTest.java`] = render('flink-job/java/OrderTransformTest.java', data);
  files[`src/test/java/${pkgPath}/PipelineIT.java`] = render('flink-job/java/PipelineIT.java', data);
  if (data.isAvro) {
    const ns = answers.javaPackage;
    const schemas = {
      Order: { type: 'record', name: 'Order', namespace: ns, fields: [field('id', 'string'), field('customerId', 'string'), field('amount', 'double'), field('status', 'string')] },
      AcceptedOrder: {
        type: 'record', name: 'AcceptedOrder', namespace: ns,
        fields: [field('id', 'string'), field('customerId', 'string'), field('amountCents', 'long'), field('priority', 'string')],
      },
    };
    for (const [name, schema] of Object.entries(schemas)) files[`src/main/resources/avro/${name}.avsc`] = `${JSON.stringify(schema, null, 2)}\n`;
  }
  return files;
}
