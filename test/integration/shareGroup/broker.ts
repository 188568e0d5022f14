// A Kafka 4.x broker for the share-group tests: its own copy of the local services (own ports, own
// state dir) on KAFKA_VERSION (default 4.4.0, whose fresh clusters finalize share.version=2), so the
// shared broker other test files use (3.9 or 4.x) is never restarted. KAFKA_SHARE_BOOTSTRAP reuses a
// broker that is already running (host:port), for quick iterations while writing tests.
import { isolatedServices } from '../faults/isolated';

export const SHARE_KAFKA_VERSION = process.env.KAFKA_SHARE_VERSION || '4.4.0';

export interface ShareBroker {
  bootstrap: string;
  dispose(): Promise<void>;
}

export async function shareGroupBroker(name: string): Promise<ShareBroker> {
  const reuse = process.env.KAFKA_SHARE_BOOTSTRAP;
  if (reuse) return { bootstrap: reuse, dispose: async () => undefined };
  const saved = process.env.KAFKA_VERSION;
  process.env.KAFKA_VERSION = SHARE_KAFKA_VERSION;
  try {
    const services = await isolatedServices(`share-${name}`);
    try {
      await services.start({ connect: false, registry: false });
    } catch (error) {
      await services.dispose().catch(() => undefined);
      throw error;
    }
    return { bootstrap: services.facts().bootstrap.plaintext, dispose: () => services.dispose() };
  } finally {
    if (saved === undefined) delete process.env.KAFKA_VERSION;
    else process.env.KAFKA_VERSION = saved;
  }
}
