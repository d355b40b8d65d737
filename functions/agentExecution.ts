import { app, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { QUEUES } from '../shared/platform/catalog';
import { executeAgentTask } from '../shared/workflows/agentExecutor';
import { deliverAgentResult } from '../shared/workflows/resultHandler';
import { getWorkflowServices } from '../shared/workflows/services';

/** Deliveries before Service Bus dead-letters an agent task (the queue's maxDeliveryCount). */
const maxDeliveryCount = () => Number(process.env.AGENT_TASK_MAX_DELIVERY_COUNT ?? 10) || 10;

app.serviceBusQueue('agentTaskExecutor', {
  queueName: QUEUES.agentTasks,
  connection: 'ServiceBusConnection',
  handler: async (message: unknown, context: InvocationContext) => {
    const deliveryCount = Number(context.triggerMetadata?.deliveryCount ?? 1);
    await executeAgentTask(message, { deliveryCount, maxDeliveryCount: maxDeliveryCount() }, await getWorkflowServices());
  },
});

app.serviceBusQueue('agentResultHandler', {
  queueName: QUEUES.agentResults,
  connection: 'ServiceBusConnection',
  extraInputs: [df.input.durableClient()],
  handler: async (message: unknown, context: InvocationContext) => {
    await deliverAgentResult(message, df.getClient(context), (m) => context.warn(m));
  },
});
