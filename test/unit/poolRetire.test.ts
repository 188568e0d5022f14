// Which failures retire a pooled client (nodes/shared/pool.ts), with stand-in clients: the next
// lease must get a new client exactly when the old one can never work again.
import { ClientPool } from '../../nodes/shared/pool';
import { KafkaSuiteError } from '../../nodes/shared/errors';
import { resolveClusterConfig } from '../../nodes/shared/platforms';

const resolved = resolveClusterConfig({ platform: 'apache', brokers: 'localhost:9092' });
const options = { exclusive: false, resolved };

function counting() {
  let created = 0;
  let closed = 0;
  const create = () => {
    const id = ++created;
    return { client: { id }, connect: async () => undefined, close: async () => void closed++ };
  };
  return { create, created: () => created, closed: () => closed };
}
const protocolError = (code: string) => new KafkaSuiteError(`Kafka refused the request: ${code}`, { kind: 'protocol', code });

describe('pooled clients retired on failures that never heal', () => {
  const pools: ClientPool[] = [];
  const pool = () => {
    const p = new ClientPool();
    pools.push(p);
    return p;
  };
  afterAll(() => Promise.all(pools.map((p) => p.closeAll())));

  it.each(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'UNKNOWN_TOPIC_OR_PARTITION'])('%s reported by a caller: the next lease gets a new client', async (code) => {
    const p = pool();
    const clients = counting();
    const first = await p.lease('k', clients.create, options, async (client, reportFailure) => {
      reportFailure(protocolError(code));
      return client.id;
    });
    const second = await p.lease('k', clients.create, options, async (client) => client.id);
    expect([first, second]).toEqual([1, 2]);
    expect(clients.closed()).toBe(1);
  });

  it('a retriable refusal keeps the client', async () => {
    const p = pool();
    const clients = counting();
    await p.lease('k', clients.create, options, async (_client, reportFailure) => reportFailure(protocolError('NOT_LEADER_OR_FOLLOWER')));
    const second = await p.lease('k', clients.create, options, async (client) => client.id);
    expect(second).toBe(1);
    expect(clients.closed()).toBe(0);
  });

  it('a late failure from a retired client does not retire its replacement', async () => {
    const p = pool();
    const clients = counting();
    let lateReport!: (error: unknown) => void;
    let finishOld!: () => void;
    const old = p.lease('k', clients.create, options, async (client, reportFailure) => {
      reportFailure(protocolError('OUT_OF_ORDER_SEQUENCE_NUMBER'));
      lateReport = reportFailure;
      await new Promise<void>((resolve) => (finishOld = resolve));
      return client.id;
    });
    await new Promise((resolve) => setImmediate(resolve));
    const replacement = await p.lease('k', clients.create, options, async (client) => client.id);
    // Concurrent executions on the old client fail the same way, after the replacement exists.
    lateReport(protocolError('OUT_OF_ORDER_SEQUENCE_NUMBER'));
    finishOld();
    expect(await old).toBe(1);
    expect(replacement).toBe(2);
    expect(await p.lease('k', clients.create, options, async (client) => client.id)).toBe(2);
    expect(clients.created()).toBe(2);
  });
});
