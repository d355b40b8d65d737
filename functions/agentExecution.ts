import { app, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { QUEUES } from '../shared/platform/catalog';
import { executeAgentTask } from '../shared/workflows/agentExecutor';
import { deliverAgentResult } from '../shared/workflows/resultHandler';
import { getWorkflowServices } from '../shared/workflows/services';

app.serviceBusQueue('agentTaskExecutor', {
  queueName: QUEUES.agentTasks,
  connection: 'ServiceBusConnection',
  handler: async (message: unknown, context: InvocationContext) => {
    const services = await getWorkflowServices();
    const deliveryCount = Number(context.triggerMetadata?.deliveryCount ?? 1);
    await executeAgentTask(message, { deliveryCount, maxDeliveryCount: services.platform.config.AGENT_TASK_MAX_DELIVERY_COUNT }, services);
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
