import { createTimeSkippingEnv } from '../test/support/time-skipping';
createTimeSkippingEnv().then(() => console.log('unexpected'), (e: Error) => console.log('error:', e.message));
