// What the HTTP API is built from.
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { Db } from '../db/client';
import type { Logger } from '../logger';

export interface ApiDeps {
  prisma: Db;
  temporal: Client;
  config: Config;
  logger: Logger;
  /** Base URL of the Temporal UI, for links from a message to its workflow. */
  temporalUiUrl?: string;
}
