// Fetches org.apache.kafka:kafka-tools (ProducerPerformance) from Maven Central into .cache/, once,
// through the same Maven fetch as the local services (infra/local/maven.cjs). Pinned to 3.9.1, not
// the broker's version: the bench compares runs over time, and its producer-side tool stays fixed.
import { join } from 'node:path';
import maven from '../../../infra/local/maven.cjs';
import kafka from '../../../infra/local/kafka.cjs';

export const KAFKA_TOOLS_VERSION = '3.9.1';

export async function ensureKafkaTools(cacheDir, log = (m) => process.stderr.write(`[bench] ${m}\n`)) {
  const lib = join(cacheDir, `kafka-tools-${KAFKA_TOOLS_VERSION}`, 'lib');
  await maven.mavenFetch(
    'kafka-tools',
    [{ g: 'org.apache.kafka', a: 'kafka-tools', v: KAFKA_TOOLS_VERSION }, ...kafka.loggingDeps(KAFKA_TOOLS_VERSION)],
    lib,
    { cache: cacheDir, log },
  );
  return lib;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureKafkaTools(process.argv[2]).then((lib) => console.log(lib));
}
