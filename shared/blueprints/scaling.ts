import { z } from 'zod';

/**
 * A Service Bus queue name as Azure allows it: 1-260 characters of letters, digits, `.`, `-`, `_`
 * and `/`, starting and ending with a letter or digit (Azure naming rules, Microsoft.ServiceBus).
 */
export const SERVICE_BUS_QUEUE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._/-]{0,258}[A-Za-z0-9])?$/;

const percent = z.number().positive().max(100).describe('Average utilization across replicas, percent');

/**
 * What scales a module, one entry per KEDA scaler (https://keda.sh/docs/scalers/):
 * - `cpu`, `memory`: average utilization in percent (KEDA `cpu` / `memory`, Container Apps custom rule);
 * - `http`: concurrent requests per replica (KEDA HTTP add-on, Container Apps `http` rule);
 * - `queueLength`: messages waiting in the named Service Bus queue (KEDA `azure-servicebus`, `messageCount`);
 * - `queue`: the same, on the module's own subscriptions (or its `{module}-work` queue when it consumes no events).
 */
export const scalingTriggerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('cpu'), threshold: percent }),
  z.strictObject({ type: z.literal('memory'), threshold: percent }),
  z.strictObject({ type: z.literal('http'), threshold: z.int().min(1).describe('Concurrent requests per replica') }),
  z.strictObject({
    type: z.literal('queueLength'),
    queue: z.string().refine((name) => SERVICE_BUS_QUEUE_NAME.test(name), {
      message: 'A Service Bus queue name has 1-260 letters, digits, ., -, _ or /, and starts and ends with a letter or digit.',
      params: { code: 'InvalidName' },
    }),
    threshold: z.int().min(1).describe('Messages per replica'),
  }),
  z.strictObject({ type: z.literal('queue'), threshold: z.number().positive().describe('Messages per replica') }),
]);

export type ScalingTrigger = z.output<typeof scalingTriggerSchema>;
export const SCALING_TRIGGER_TYPES = ['cpu', 'memory', 'http', 'queueLength', 'queue'] as const;
