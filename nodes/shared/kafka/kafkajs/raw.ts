// A request kafkajs does not wrap (quotas, SCRAM users), sent through a kafkajs cluster connection,
// which brings TLS, SASL and the credential's settings for free. That needs two of kafkajs's private
// symbols, looked up by their description; a missing one is a clear error.
//
// kafkajs always writes the classic request header and reads the classic response header. For a
// "flexible" API version (KIP-482) the request header carries an (empty) tagged-field section after
// the client id, and the response header one after the correlation id: written before the body and
// skipped in the answer here, so callers deal in bodies only.
import { KafkaSuiteError } from '../../errors';
import type { Kafka } from './vendor';

interface RawBroker {
  [key: symbol]: (request: unknown) => Promise<unknown>;
}
interface RawCluster {
  connect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  disconnect(): Promise<void>;
  findControllerBroker(): Promise<RawBroker>;
  findBroker(options: { nodeId: string | number }): Promise<RawBroker>;
}

/** First flexible version of the APIs callers use; APIs added after KIP-482 (key >= 50) are flexible from v0. */
const FIRST_FLEXIBLE: Record<number, number> = { 48: 1, 49: 1 };
const isFlexible = (apiKey: number, apiVersion: number) => apiVersion >= (FIRST_FLEXIBLE[apiKey] ?? (apiKey >= 50 ? 0 : Infinity));

function privateSymbol(target: object, description: string): symbol {
  // Instance fields (Kafka) or class methods on the prototype (Broker).
  for (let o: object | null = target; o; o = Object.getPrototypeOf(o)) {
    const symbol = Object.getOwnPropertySymbols(o).find((s) => s.description === description);
    if (symbol) return symbol;
  }
  throw new KafkaSuiteError(`kafkajs internals changed (${description} not found): this request cannot be sent`, { kind: 'config' });
}

function skipTaggedFields(buf: Buffer): Buffer {
  let offset = 0;
  const uvarint = () => {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = buf[offset++];
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result;
      if (shift > 21) throw new Error('malformed varint in broker response');
    }
  };
  const count = uvarint();
  for (let i = 0; i < count; i++) {
    uvarint();
    offset += uvarint();
  }
  return buf.subarray(offset);
}

export async function sendRawRequest(kafka: Kafka, request: { apiKey: number; apiVersion: number; body: Buffer; target?: 'any' | 'controller' | number }): Promise<Buffer> {
  const createCluster = (kafka as unknown as Record<symbol, (options: object) => RawCluster>)[privateSymbol(kafka, 'private:Kafka:createCluster')];
  const cluster = createCluster({ metadataMaxAge: 300_000, allowAutoTopicCreation: false, maxInFlightRequests: null, instrumentationEmitter: null });
  await cluster.connect();
  try {
    await cluster.refreshMetadata();
    // 'any': the controller in the metadata is simply one broker we know.
    const broker = typeof request.target === 'number' ? await cluster.findBroker({ nodeId: String(request.target) }) : await cluster.findControllerBroker();
    const send = broker[privateSymbol(broker, 'private:Broker:sendRequest')].bind(broker);
    const flexible = isFlexible(request.apiKey, request.apiVersion);
    const body = flexible ? Buffer.concat([Buffer.from([0]), request.body]) : request.body;
    return (await send({
      request: { apiKey: request.apiKey, apiVersion: request.apiVersion, apiName: `ApiKey${request.apiKey}`, encode: async () => ({ buf: body, buffer: body }) },
      response: { decode: async (payload: Buffer) => (flexible ? skipTaggedFields(payload) : payload), parse: async (data: unknown) => data },
    })) as Buffer;
  } finally {
    await cluster.disconnect();
  }
}
