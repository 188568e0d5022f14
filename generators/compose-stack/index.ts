import type { GeneratorModule } from '../shared/generator';
import { renderComposeStack } from './render';
import { SERVICES, composeSchema } from './schema';

export const composeStack: GeneratorModule<typeof composeSchema> = {
  name: 'compose-stack',
  description: 'Docker Compose stack: Kafka (KRaft) or Redpanda with 1 or 3 nodes, plus registry, Connect, UI, MirrorMaker 2, Prometheus/Grafana, n8n',
  schema: composeSchema,
  fields: [
    { name: 'name', type: 'input', message: 'Compose project name' },
    { name: 'broker', type: 'list', message: 'Broker', choices: ['kafka', 'redpanda'] },
    { name: 'nodes', type: 'list', message: 'Nodes', choices: ['1', '3'] },
    { name: 'services', type: 'checkbox', message: 'Extra services', choices: SERVICES },
    { name: 'lagAlertThreshold', type: 'number', message: 'Consumer lag alert threshold (messages)', when: (a) => Array.isArray(a.services) && a.services.includes('monitoring') },
  ],
  render: renderComposeStack,
};
