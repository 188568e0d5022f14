import type { GeneratorModule } from '../shared/generator';
import { renderTerraformModule } from '../../nodes/shared/terraform/render';
import { TARGETS, terraformSchema } from './schema';

export { renderMongeyModule } from '../../nodes/shared/terraform/render';

export const terraformModule: GeneratorModule<typeof terraformSchema> = {
  name: 'terraform-module',
  description: 'Terraform module: Kafka/Redpanda topics+ACLs+quotas+SCRAM (Mongey/kafka), AWS MSK, Azure Event Hubs or Confluent Cloud',
  schema: terraformSchema,
  fields: [
    { name: 'target', type: 'list', message: 'Target', choices: TARGETS },
    { name: 'name', type: 'input', message: 'Name prefix for cloud resources (lower-case, digits, _)', when: (a) => a.target !== 'kafka' },
    { name: 'topics', type: 'input', message: 'Topics as name:partitions:replication, comma-separated (answers.json may give objects with config)' },
    { name: 'mskKafkaVersion', type: 'input', message: 'MSK Kafka version', when: (a) => a.target === 'msk' },
    { name: 'mskBrokerCount', type: 'number', message: 'MSK broker count', when: (a) => a.target === 'msk' },
    { name: 'mskInstanceType', type: 'input', message: 'MSK broker instance type', when: (a) => a.target === 'msk' },
    { name: 'mskVolumeSizeGb', type: 'number', message: 'EBS GiB per broker', when: (a) => a.target === 'msk' },
    { name: 'mskAuth', type: 'checkbox', message: 'MSK client authentication', choices: ['iam', 'scram', 'tls'], when: (a) => a.target === 'msk' },
    { name: 'azureLocation', type: 'input', message: 'Azure region', when: (a) => a.target === 'event-hubs' },
    { name: 'eventHubsSku', type: 'list', message: 'Event Hubs tier', choices: ['Standard', 'Premium'], when: (a) => a.target === 'event-hubs' },
    { name: 'eventHubsCapacity', type: 'number', message: 'Throughput/processing units', when: (a) => a.target === 'event-hubs' },
    { name: 'confluentCloud', type: 'list', message: 'Cloud', choices: ['AWS', 'GCP', 'AZURE'], when: (a) => a.target === 'confluent-cloud' },
    { name: 'confluentRegion', type: 'input', message: 'Region', when: (a) => a.target === 'confluent-cloud' },
    { name: 'confluentClusterType', type: 'list', message: 'Cluster type', choices: ['basic', 'standard'], when: (a) => a.target === 'confluent-cloud' },
  ],
  render: (answers) => renderTerraformModule(answers),
};
