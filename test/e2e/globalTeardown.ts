// Stops the suite's n8n (whole process group) and then the shared services' lease.
import servicesTeardown from '../setup/globalTeardown';

export default async function globalTeardown(): Promise<void> {
  const n8n = globalThis.__KAFKA_SUITE_N8N__;
  globalThis.__KAFKA_SUITE_N8N__ = undefined;
  try {
    if (n8n) await n8n.stop();
  } finally {
    await servicesTeardown();
  }
}
