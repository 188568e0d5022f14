import type { Files } from '../shared/generator';
import { render } from '../shared/templates';
import type { StreamsAppAnswers } from './schema';

/** Pinned in one place; the generated pom never floats (Maven 3.8.7's default surefire skips JUnit 5). */
export const STREAMS_VERSIONS = {
  kafka: '4.1.2',
  apicurio: '2.6.13.Final',
  avro: '1.12.1',
  jackson: '2.19.2',
  slf4j: '2.0.17',
  junit: '5.14.4',
  compilerPlugin: '3.14.0',
  resourcesPlugin: '3.3.1',
  surefirePlugin: '3.5.4',
  jarPlugin: '3.4.2',
  shadePlugin: '3.6.0',
} as const;

const field = (name: string, type: string | string[]) => ({ name, type });
/** Avro schemas are data, so they are built as objects and serialised, never pasted together. */
function avroSchemas(ns: string): Record<string, object> {
  return {
    Order: {
      type: 'record', name: 'Order', namespace: ns,
      fields: [field('id', 'string'), field('customerId', 'string'), field('amount', 'double'), field('status', 'string')],
    },
    Customer: { type: 'record', name: 'Customer', namespace: ns, fields: [field('id', 'string'), field('name', 'string'), field('tier', 'string')] },
    OrderSummary: {
      type: 'record', name: 'OrderSummary', namespace: ns,
      fields: [field('customerId', 'string'), field('windowStart', 'long'), field('windowEnd', 'long'), field('count', 'long'), field('total', 'double')],
    },
    EnrichedOrder: {
      type: 'record', name: 'EnrichedOrder', namespace: ns,
      fields: [
        field('id', 'string'), field('customerId', 'string'), field('amount', 'double'), field('status', 'string'),
        field('customerName', 'string'), field('customerTier', 'string'),
      ],
    },
  };
}

export function renderStreamsApp(answers: StreamsAppAnswers): Files {
  const pkgPath = answers.javaPackage.replace(/\./g, '/');
  const data = {
    ...answers,
    v: STREAMS_VERSIONS,
    isAvro: answers.serde === 'avro',
    isJson: answers.serde === 'json',
    isString: answers.serde === 'string',
    isWindowed: answers.topology === 'windowed-aggregation',
    isJoin: answers.topology === 'stream-table-join',
    isBranch: answers.topology === 'branch',
    isFilterMap: answers.topology === 'filter-map',
    isSession: answers.topology === 'windowed-aggregation' && answers.window === 'session',
    hopSeconds: Math.max(1, Math.floor(answers.windowSizeSeconds / 4)),
  };
  const files: Files = {
    'pom.xml': render('streams-app/pom.xml', data),
    'README.md': render('streams-app/README.md', data),
    Dockerfile: render('streams-app/Dockerfile', data),
    '.dockerignore': 'target/\n.git/\n',
    '.gitignore': 'target/\n',
    'src/main/resources/simplelogger.properties': render('streams-app/simplelogger.properties', data),
  };
  for (const cls of ['App', 'AppConfig', 'AppSerdes', 'Model', 'TopologyFactory']) {
    files[`src/main/java/${pkgPath}/${cls}.java`] = render(`streams-app/java/${cls}.java`, data);
  }
  files[`src/test/java/${pkgPath}/TopologyFactoryTest.java`] = render('streams-app/java/TopologyFactoryTest.java', data);
  if (data.isAvro) {
    for (const [name, schema] of Object.entries(avroSchemas(answers.javaPackage))) {
      files[`src/main/resources/avro/${name}.avsc`] = `${JSON.stringify(schema, null, 2)}\n`;
    }
  }
  return files;
}
