// How the fault tests consume: our Trigger node activated with the n8n trigger-context stand-in.
import type { INodeTypeBaseDescription, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { KafkaSuiteTriggerV1 } from '../../../nodes/KafkaSuiteTrigger/v1/KafkaSuiteTriggerV1.node';
import { createTriggerContext, type EmittedExecution } from '../../helpers/n8nContext';

const baseDescription = { displayName: 'Kafka Trigger (Suite)', name: 'kafkaSuiteTrigger', group: ['trigger'], description: '' } as unknown as INodeTypeBaseDescription;

export interface ActiveTrigger {
  context: ReturnType<typeof createTriggerContext>;
  response: ITriggerResponse;
  close(): Promise<void>;
}

export async function activateTrigger(options: {
  credential: Record<string, unknown>;
  parameters: Record<string, unknown>;
  onEmit: (execution: EmittedExecution) => 'success' | 'error' | void | Promise<'success' | 'error' | void>;
}): Promise<ActiveTrigger> {
  const context = createTriggerContext({
    parameters: options.parameters,
    credentials: { kafkaSuiteClusterApi: options.credential },
    mode: 'trigger',
    node: { type: 'n8n-nodes-kafka-suite.kafkaSuiteTrigger', name: 'Kafka Trigger (Suite)' },
    onEmit: options.onEmit,
  });
  const node = new KafkaSuiteTriggerV1(baseDescription);
  const response = await node.trigger.call(context as unknown as ITriggerFunctions);
  return { context, response, close: async () => void (await response.closeFunction?.()) };
}
