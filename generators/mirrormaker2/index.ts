import type { GeneratorModule } from '../shared/generator';
import { renderMirrorMaker2 } from './render';
import { REPLICATION_POLICIES, SASL_MECHANISMS, SECURITY_PROTOCOLS, mirrorMaker2Schema } from './schema';

const sasl = (protocol: unknown) => typeof protocol === 'string' && protocol.startsWith('SASL_');
const tls = (protocol: unknown) => protocol === 'SSL' || protocol === 'SASL_SSL';

export const mirrorMaker2: GeneratorModule<typeof mirrorMaker2Schema> = {
  name: 'mirrormaker2',
  description: 'MirrorMaker 2 (dedicated mode) config: topics, topic configs and translated consumer offsets from one cluster to another',
  schema: mirrorMaker2Schema,
  fields: [
    { name: 'sourceAlias', type: 'input', message: 'Source cluster alias (prefix of mirrored topics)' },
    { name: 'sourceBootstrap', type: 'input', message: 'Source bootstrap servers (host:port, comma-separated)' },
    { name: 'sourceSecurity', type: 'list', message: 'Source security protocol', choices: SECURITY_PROTOCOLS },
    { name: 'sourceSaslMechanism', type: 'list', message: 'Source SASL mechanism', choices: SASL_MECHANISMS, when: (a) => sasl(a.sourceSecurity) },
    { name: 'sourceCaFile', type: 'input', message: 'Source CA bundle (PEM, absolute path; empty: JVM default)', when: (a) => tls(a.sourceSecurity) },
    { name: 'targetAlias', type: 'input', message: 'Target cluster alias' },
    { name: 'targetBootstrap', type: 'input', message: 'Target bootstrap servers (host:port, comma-separated)' },
    { name: 'targetSecurity', type: 'list', message: 'Target security protocol', choices: SECURITY_PROTOCOLS },
    { name: 'targetSaslMechanism', type: 'list', message: 'Target SASL mechanism', choices: SASL_MECHANISMS, when: (a) => sasl(a.targetSecurity) },
    { name: 'targetCaFile', type: 'input', message: 'Target CA bundle (PEM, absolute path; empty: JVM default)', when: (a) => tls(a.targetSecurity) },
    { name: 'topics', type: 'input', message: 'Topics to mirror (regexes, comma-separated)' },
    { name: 'groups', type: 'input', message: 'Consumer groups whose offsets are translated (regexes, comma-separated)' },
    { name: 'replicationPolicy', type: 'list', message: 'Target topic names: prefix (<alias>.<topic>) or identity (same name)', choices: REPLICATION_POLICIES },
    { name: 'replicationFactor', type: 'number', message: 'Replication factor of mirrored and internal topics on the target' },
    { name: 'syncGroupOffsets', type: 'confirm', message: 'Write translated consumer offsets to the target (failover without reprocessing)?' },
  ],
  render: renderMirrorMaker2,
};
