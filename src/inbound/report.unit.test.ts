import { parseReport } from './report';

const crlf = (text: string) => Buffer.from(text.replace(/\r?\n/g, '\r\n'));

function report(type: string, parts: string[], boundary = 'rb'): Buffer {
  const head = `From: daemon@mx.test\nTo: bounces+msg_x@sx.test\nMIME-Version: 1.0\nContent-Type: multipart/report;\n report-type=${type}; boundary="${boundary}"\n\npreamble\n`;
  return crlf(`${head}${parts.map((p) => `--${boundary}\n${p}\n`).join('')}--${boundary}--\nepilogue\n`);
}

const ORIGINAL = 'Message-ID: <msg_aaaaaaaaaaaaaaaaaaaaaaaaaa@sx.test>\nX-Sendarix-Message-Id: msg_aaaaaaaaaaaaaaaaaaaaaaaaaa\nSubject: hi\n';

describe('parseReport', () => {
  it('reads an RFC 3464 DSN: per-message and per-recipient fields, folded lines, and the original headers', async () => {
    const parsed = await parseReport(report('delivery-status', [
      'Content-Type: text/plain\n\nIt bounced.',
      'Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx.test\n\nFinal-Recipient: rfc822; a@example.com\nAction: Delayed\nStatus: 4.4.1\n\n'
        + 'Final-Recipient: rfc822;b@example.com\nAction: failed\nStatus: 5.1.1 (no such user)\nRemote-MTA: dns; store.test\nDiagnostic-Code: smtp; 550 5.1.1\n  user unknown',
      `Content-Type: text/rfc822-headers\n\n${ORIGINAL}`,
    ]));
    expect(parsed).toEqual({
      kind: 'dsn',
      reportingMta: 'mx.test',
      recipients: [
        { action: 'delayed', status: '4.4.1', finalRecipient: 'a@example.com' },
        { action: 'failed', status: '5.1.1', finalRecipient: 'b@example.com', remoteMta: 'store.test', diagnosticCode: 'smtp; 550 5.1.1 user unknown' },
      ],
      original: { sendarixMessageId: 'msg_aaaaaaaaaaaaaaaaaaaaaaaaaa', messageId: '<msg_aaaaaaaaaaaaaaaaaaaaaaaaaa@sx.test>' },
    });
  });

  it('reads an ARF report whose original is an inline message/rfc822 part in base64', async () => {
    const parsed = await parseReport(report('feedback-report', [
      'Content-Type: text/plain\n\nA complaint.',
      'Content-Type: message/feedback-report\n\nFeedback-Type: Abuse\nUser-Agent: FBL/2\nVersion: 1\nOriginal-Mail-From: <bounces+msg_x@sx.test>\nOriginal-Rcpt-To: <u@example.com>',
      `Content-Type: message/rfc822\nContent-Disposition: inline\nContent-Transfer-Encoding: base64\n\n${Buffer.from(`${ORIGINAL}\nbody\n`).toString('base64')}`,
    ]));
    expect(parsed).toEqual({
      kind: 'feedback',
      feedbackType: 'abuse',
      userAgent: 'FBL/2',
      originalMailFrom: 'bounces+msg_x@sx.test',
      originalRcptTo: 'u@example.com',
      original: { sendarixMessageId: 'msg_aaaaaaaaaaaaaaaaaaaaaaaaaa', messageId: '<msg_aaaaaaaaaaaaaaaaaaaaaaaaaa@sx.test>' },
    });
  });

  const unparseable: [string, Buffer, string][] = [
    ['a plain message', crlf('Subject: hello\n\njust text\n'), 'not a multipart/report'],
    ['another report type', report('disposition-notification', ['Content-Type: text/plain\n\nread']), 'report-type disposition-notification is not handled'],
    ['a DSN without recipient actions', report('delivery-status', ['Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx.test']), 'delivery-status part names no recipient action'],
    ['an ARF report without Feedback-Type', report('feedback-report', ['Content-Type: message/feedback-report\n\nVersion: 1']), 'feedback report without a Feedback-Type'],
  ];
  it.each(unparseable)('calls %s unparseable', async (_name, raw, reason) => {
    expect(await parseReport(raw)).toEqual({ kind: 'unparseable', reason });
  });
});
