import type { INodeType, INodeTypeBaseDescription, INodeTypeDescription, IRun, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { SchemaRegistryClient, credentialTests, getClusterCredential, getRegistryCredential, listSearch, toNodeError } from '../../shared';
import { openConnection } from '../../shared/kafka';
import { versionDescription } from './description';
import { TriggerRunner, type RunnerHost } from './runner';
import { readSettings } from './settings';
import { ShareTriggerRunner } from './shareRunner';

// The icon comes from the base description in ../KafkaSuiteTrigger.node.ts; the lint rule resolves
// file: paths relative to this file, which would point the runtime icon at the wrong folder.
// eslint-disable-next-line @n8n/community-nodes/icon-validation
export class KafkaSuiteTriggerV1 implements INodeType {
  description: INodeTypeDescription;

  methods = { credentialTest: credentialTests, listSearch };

  constructor(baseDescription: INodeTypeBaseDescription) {
    this.description = versionDescription(baseDescription);
  }

  async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
    let settings;
    try {
      settings = readSettings(this);
    } catch (error) {
      throw toNodeError(this.getNode(), error);
    }
    const cred = await getClusterCredential(this);
    let connection;
    try {
      // Resolves and hashes the credential once for this activation; a bad credential fails here.
      connection = openConnection(cred);
    } catch (error) {
      throw toNodeError(this.getNode(), error);
    }
    const registry = settings.valueFormat === 'schemaRegistry' || settings.keyFormat === 'schemaRegistry' ? new SchemaRegistryClient(await getRegistryCredential(this)) : undefined;
    const host: RunnerHost = {
      emit: (data, done) => this.emit(data, undefined, done),
      createDeferred: () => this.helpers.createDeferredPromise<IRun>(),
      prepareBinaryData: (buffer, fileName, mimeType) => this.helpers.prepareBinaryData(buffer, fileName, mimeType),
      // n8n answers by closing this activation and activating the workflow again (with its error
      // shown in the editor and the error workflow run).
      reportError: (error) => this.emitError(toNodeError(this.getNode(), error)),
      logger: this.logger,
    };
    // A share group (KIP-932) is a different kind of membership: its own runner, acknowledging per message.
    const runner = settings.deliveryMode === 'shareGroup' ? new ShareTriggerRunner(connection, settings, host, registry) : new TriggerRunner(connection, settings, host, registry);
    const closeFunction = async () => runner.close();
    const start = async () => {
      try {
        await runner.start();
      } catch (error) {
        await runner.close();
        throw toNodeError(this.getNode(), error);
      }
    };
    if (settings.manual) return { closeFunction, manualTriggerFunction: start };
    await start();
    return { closeFunction };
  }
}
