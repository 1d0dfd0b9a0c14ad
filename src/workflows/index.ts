// Everything the worker's workflow bundle contains.
export { messageWorkflow } from './message';
