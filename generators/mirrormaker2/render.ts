import type { Files } from '../shared/generator';
import { render } from '../shared/templates';
import type { MirrorMaker2Answers } from './schema';

/** The Kafka release the generated config is run with in this repo's test; 3.5+ is required (EnvVarConfigProvider). */
export const MM2_KAFKA_VERSION = '3.9.1';

const LOGIN_MODULES: Record<string, string> = {
  PLAIN: 'org.apache.kafka.common.security.plain.PlainLoginModule',
  'SCRAM-SHA-256': 'org.apache.kafka.common.security.scram.ScramLoginModule',
  'SCRAM-SHA-512': 'org.apache.kafka.common.security.scram.ScramLoginModule',
};

/** Environment variable holding a cluster's credential: secrets never land in the file. */
export function credentialEnv(alias: string, what: 'USERNAME' | 'PASSWORD'): string {
  return `MM2_${alias.toUpperCase().replace(/-/g, '_')}_${what}`;
}

function cluster(alias: string, bootstrap: string[], protocol: string, mechanism: string, caFile: string | undefined) {
  const sasl = protocol.startsWith('SASL_');
  const tls = protocol === 'SSL' || protocol === 'SASL_SSL';
  return {
    alias,
    bootstrap: bootstrap.join(','),
    protocol,
    sasl,
    tls,
    mechanism,
    loginModule: LOGIN_MODULES[mechanism],
    usernameEnv: credentialEnv(alias, 'USERNAME'),
    passwordEnv: credentialEnv(alias, 'PASSWORD'),
    usernameRef: `\${env:${credentialEnv(alias, 'USERNAME')}}`,
    passwordRef: `\${env:${credentialEnv(alias, 'PASSWORD')}}`,
    caFile,
  };
}

export function renderMirrorMaker2(answers: MirrorMaker2Answers): Files {
  const source = cluster(answers.sourceAlias, answers.sourceBootstrap, answers.sourceSecurity, answers.sourceSaslMechanism, answers.sourceCaFile);
  const target = cluster(answers.targetAlias, answers.targetBootstrap, answers.targetSecurity, answers.targetSaslMechanism, answers.targetCaFile);
  const data = {
    ...answers,
    source,
    target,
    clusters: [source, target],
    needsEnv: source.sasl || target.sasl,
    topicsList: answers.topics.join(', '),
    topicsExcludeList: answers.topicsExclude.join(', '),
    groupsList: answers.groups.join(', '),
    groupsExcludeList: answers.groupsExclude.join(', '),
    isIdentity: answers.replicationPolicy === 'identity',
    mirroredExample: answers.replicationPolicy === 'identity' ? 'orders' : `${source.alias}.orders`,
    kafkaVersion: MM2_KAFKA_VERSION,
    offsetFlushIntervalMs: answers.offsetFlushIntervalSeconds * 1000,
  };
  return {
    'mm2.properties': render('mirrormaker2/mm2.properties', data),
    'connect-log4j.properties': render('mirrormaker2/connect-log4j.properties', data),
    'README.md': render('mirrormaker2/README.md', data),
  };
}
