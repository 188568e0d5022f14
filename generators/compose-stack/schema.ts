import { z } from 'zod';
import { commaList, slug } from '../shared/validators';

export const SERVICES = ['schema-registry', 'connect', 'kafka-ui', 'mirrormaker2', 'monitoring', 'n8n'] as const;

export const composeSchema = z
  .object({
    /** Compose project name (prefixes containers, volumes and networks). */
    name: slug.default('kafka-dev'),
    broker: z.enum(['kafka', 'redpanda']).default('kafka'),
    nodes: z.coerce
      .number()
      .refine((n) => n === 1 || n === 3, 'nodes must be 1 or 3')
      .default(1),
    services: commaList(z.enum(SERVICES)).default(['schema-registry', 'kafka-ui', 'monitoring'] as never),
    /** Lag (messages) above which the alert fires. */
    lagAlertThreshold: z.coerce.number().int().min(1).default(1000),
  })
  .strict();

export type ComposeAnswers = z.output<typeof composeSchema>;
