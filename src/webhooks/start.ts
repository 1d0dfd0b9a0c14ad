// Starting one webhook workflow. The workflow id names the (endpoint, event) pair, and Temporal refuses a second
// workflow with that id even after the first has closed, so a retried fan-out never posts an event twice.
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { WebhookWorkflowInput } from '../workflows/definitions';

/** How long a caller waits for Temporal to take the workflow. */
const START_DEADLINE_MS = 5_000;

/** Starts the workflow; answers false when a workflow with this id already exists (running or closed). */
export async function startWebhookWorkflow(
  temporal: Client,
  taskQueue: string,
  workflowId: string,
  input: WebhookWorkflowInput,
): Promise<boolean> {
  try {
    await temporal.connection.withDeadline(Date.now() + START_DEADLINE_MS, () =>
      temporal.workflow.start('webhookDeliveryWorkflow', {
        taskQueue,
        workflowId,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        args: [input],
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}
