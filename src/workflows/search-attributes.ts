// Search attributes every message workflow carries, so the Temporal UI and the API can list messages by them.
// @temporalio/workflow does not re-export defineSearchAttributeKey and workflow code imports nothing else at run
// time, so `key` builds the same `{ name, type }` value that function returns.
import type { SearchAttributeKey, SearchAttributeType } from '@temporalio/common/lib/search-attributes';

function key<T extends SearchAttributeType>(name: string, type: T): SearchAttributeKey<T> {
  return { name, type };
}

/** Delivery state of the message (queued, sending, delivered, failed, ...). */
export const STATUS = key('SendarixStatus', 'KEYWORD');
/** Domain part of the recipient address, for per-domain throttling and diagnosis. */
export const RECIPIENT_DOMAIN = key('SendarixRecipientDomain', 'KEYWORD');
/** Project that sent the message. */
export const PROJECT = key('SendarixProject', 'KEYWORD');
/** Template the message was rendered from. */
export const TEMPLATE = key('SendarixTemplate', 'KEYWORD');
/** Outbound route (SMTP relay) that carries the message. */
export const ROUTE = key('SendarixRoute', 'KEYWORD');

/** Every key above; the dev server registers exactly these at start-up. */
export const ALL_SEARCH_ATTRIBUTES: SearchAttributeKey<SearchAttributeType>[] = [
  STATUS,
  RECIPIENT_DOMAIN,
  PROJECT,
  TEMPLATE,
  ROUTE,
];
