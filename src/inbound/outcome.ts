// What a parsed report means for its message. A DSN with `Action: failed` is a late bounce: hard (the address is
// suppressed) when its status is 5.x.x, soft otherwise (e.g. 4.4.7, given up after retrying). `Action: delayed`
// is information only. A feedback report is a complaint, except the types that report no complaint.
import type { InboundReport } from './report';

export type InboundOutcome =
  | { kind: 'bounce'; hard: boolean; data: Record<string, unknown> }
  | { kind: 'delay'; data: Record<string, unknown> }
  | { kind: 'complaint'; data: Record<string, unknown> }
  | { kind: 'none'; reason: string };

/** RFC 5965 / RFC 6591 feedback types that are no complaint about the mail. */
const NOT_A_COMPLAINT = new Set(['not-spam', 'auth-failure']);
const SMTP_DIAGNOSTIC = /^\s*smtp\s*;\s*(\d{3})\b/i;

export function outcomeOf(report: Exclude<InboundReport, { kind: 'unparseable' }>): InboundOutcome {
  if (report.kind === 'feedback') {
    if (NOT_A_COMPLAINT.has(report.feedbackType)) {
      return { kind: 'none', reason: `feedback type ${report.feedbackType}` };
    }
    return {
      kind: 'complaint',
      data: compact({
        source: 'feedback_report',
        feedback_type: report.feedbackType,
        user_agent: report.userAgent,
        original_rcpt_to: report.originalRcptTo,
        arrival_date: report.arrivalDate,
      }),
    };
  }
  const failed = report.recipients.find((r) => r.action === 'failed');
  const delayed = report.recipients.find((r) => r.action === 'delayed');
  const recipient = failed ?? delayed;
  if (!recipient) return { kind: 'none', reason: `DSN action ${report.recipients[0]?.action ?? '(none)'}` };
  const hard = Boolean(failed && recipient.status?.startsWith('5.'));
  const responseCode = SMTP_DIAGNOSTIC.exec(recipient.diagnosticCode ?? '')?.[1];
  const data = compact({
    source: 'dsn',
    ...(failed ? { bounce_type: hard ? 'hard' : 'soft' } : {}),
    action: recipient.action,
    status: recipient.status,
    diagnostic_code: recipient.diagnosticCode,
    final_recipient: recipient.finalRecipient,
    remote_mta: recipient.remoteMta,
    reporting_mta: report.reportingMta,
    // The same shape as the workflow's own SMTP outcomes, so that clients read one field for both.
    smtp: compact({
      kind: failed ? 'permanent' : 'temporary',
      reason: failed ? 'late_bounce' : 'late_delay',
      responseCode: responseCode ? Number(responseCode) : undefined,
      enhancedStatus: recipient.status,
      response: recipient.diagnosticCode,
    }),
  });
  return failed ? { kind: 'bounce', hard, data } : { kind: 'delay', data };
}

function compact(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}
