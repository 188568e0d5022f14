import type { Files } from './shared/generator';
import { monitoringFiles } from './compose-stack/render';
import { renderWorkflow } from './n8n-workflow/render';
import { WORKFLOWS, workflowSchema } from './n8n-workflow/schema';

/**
 * Files the repository ships ready-made, produced by the generators themselves: `workflows/` (every
 * workflow with default answers) and `infra/monitoring/` (the default stack's Prometheus rules and
 * Grafana dashboards). A test compares the committed copies with this output.
 */
export function shippedWorkflows(): Files {
  const files: Files = {};
  for (const workflow of WORKFLOWS) {
    const channels = workflow === 'lag-alert' ? (['slack', 'email'] as const) : (['slack'] as const);
    for (const alertChannel of channels) Object.assign(files, renderWorkflow(workflowSchema.parse({ workflow, alertChannel })));
  }
  return files;
}

export function shippedMonitoring(): Files {
  const out: Files = {};
  for (const [path, content] of Object.entries(monitoringFiles(1, 1000))) out[path.replace(/^monitoring\//, '')] = content;
  return out;
}
