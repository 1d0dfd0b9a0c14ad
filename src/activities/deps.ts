// What activities are built from: the database, the SMTP routes and a logger, handed in by the worker.
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { Db } from '../db/client';
import type { Logger } from '../logger';
import type { TransportPool } from '../mail/transports';

export interface ActivityDeps {
  prisma: Db;
  transports: TransportPool;
  /** Route a message takes when no rule says otherwise: `relay` with SMTP_URL, else `sandbox`. */
  defaultRoute: string;
  /** Host name used in Message-ID and the Return-Path. */
  hostname: string;
  logger: Logger;
  /** Starts the webhook workflows of each recorded event. */
  temporal: Client;
  config: Config;
}
