import type { GeneratorModule } from './shared/generator';
import { streamsApp } from './streams-app';
import { terraformModule } from './terraform-module';
import { composeStack } from './compose-stack';
import { n8nWorkflow } from './n8n-workflow';
import { mirrorMaker2 } from './mirrormaker2';
import { strimzi } from './strimzi';
import { flinkJob } from './flink-job';

/** The one list of generators: the plopfile, the CLI and the tests all read it. */
export const generators: GeneratorModule<any>[] = [streamsApp, terraformModule, composeStack, n8nWorkflow, mirrorMaker2, strimzi, flinkJob];

export function findGenerator(name: string): GeneratorModule<any> | undefined {
  return generators.find((g) => g.name === name);
}
