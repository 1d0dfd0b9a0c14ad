// Everything the worker's workflow bundle contains.
export { messageWorkflow } from './message';
export { webhookDeliveryWorkflow } from './webhook';
