import type { ConsumerOptions, KafkaConsumer } from '../api';
import type { KafkaErrorContext } from '../../errors';
import type { BaseOptions } from './vendor';

export class PlatformaticConsumer implements KafkaConsumer {
  constructor(private readonly base: BaseOptions, private readonly options: ConsumerOptions, private readonly context: KafkaErrorContext) {}
  async start(): Promise<void> {
    throw new Error('not yet');
  }
  seek(): void {}
  async stop(): Promise<void> {}
}
