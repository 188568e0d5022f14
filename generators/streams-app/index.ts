import type { GeneratorModule } from '../shared/generator';
import { renderStreamsApp } from './render';
import { SERDES, TOPOLOGIES, WINDOWS, streamsAppSchema } from './schema';

export const streamsApp: GeneratorModule<typeof streamsAppSchema> = {
  name: 'streams-app',
  description: 'Kafka Streams application (Java 17, Maven) with TopologyTestDriver tests, Dockerfile and README',
  schema: streamsAppSchema,
  fields: [
    { name: 'artifactId', type: 'input', message: 'Maven artifactId (also the default application.id)' },
    { name: 'groupId', type: 'input', message: 'Maven groupId' },
    { name: 'javaPackage', type: 'input', message: 'Java package' },
    { name: 'topology', type: 'list', message: 'Topology', choices: TOPOLOGIES },
    { name: 'window', type: 'list', message: 'Window type', choices: WINDOWS, when: (a) => a.topology === 'windowed-aggregation' },
    { name: 'windowSizeSeconds', type: 'number', message: 'Window size (session: inactivity gap) in seconds', when: (a) => a.topology === 'windowed-aggregation' },
    { name: 'serde', type: 'list', message: 'Value format', choices: SERDES },
    { name: 'inputTopic', type: 'input', message: 'Input topic' },
    { name: 'outputTopic', type: 'input', message: 'Output topic (branch: prefix of the branch topics)' },
    { name: 'tableTopic', type: 'input', message: 'Table topic (customers, keyed by customer id)', when: (a) => a.topology === 'stream-table-join' },
    { name: 'processingGuarantee', type: 'list', message: 'Processing guarantee', choices: ['exactly_once_v2', 'at_least_once'] },
  ],
  render: renderStreamsApp,
};
