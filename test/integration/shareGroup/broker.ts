// A Kafka 4.x broker for the share-group tests: its own copy of the local services (own ports, own
// state dir) on KAFKA_VERSION (default 4.4.0, whose fresh clusters finalize share.version=2), unless
// the run's shared broker is that version already (then that one). KAFKA_SHARE_BOOTSTRAP reuses a
// broker that is already running (host:port), for quick iterations while writing tests.
import { isolatedServices } from '../faults/isolated';
import { facts } from '../../setup/facts';

export const SHARE_KAFKA_VERSION = process.env.KAFKA_SHARE_VERSION || '4.4.0';

/**
 * The shared local broker of the run, when it is the version share-group tests want (`npm test` runs
 * on 4.4.0): one broker start instead of one per file. None of these tests stops or reconfigures it.
 */
function sharedBrokerIfItFits(): string | undefined {
  if (process.env.KAFKA_SHARE_VERSION) return undefined;
  return process.env.KAFKA_SHARED_BROKER_VERSION === SHARE_KAFKA_VERSION ? facts.bootstrap : undefined;
}

export interface ShareBroker {
  bootstrap: string;
  dispose(): Promise<void>;
}

export async function shareGroupBroker(name: string): Promise<ShareBroker> {
  const reuse = process.env.KAFKA_SHARE_BOOTSTRAP ?? sharedBrokerIfItFits();
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
