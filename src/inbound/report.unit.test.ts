import { parseReport } from './report';

const crlf = (text: string) => Buffer.from(text.replace(/\r?\n/g, '\r\n'));

function report(type: string, parts: string[], boundary = 'rb'): Buffer {
  const head = [
    'From: daemon@mx.test',
    'To: bounces+msg_x@sx.test',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report;',
    ` report-type=${type}; boundary="${boundary}"`,
    '',
    'preamble',
    '',
  ].join('\n');
  return crlf(`${head}${parts.map((p) => `--${boundary}\n${p}\n`).join('')}--${boundary}--\nepilogue\n`);
}

const ID = 'msg_aaaaaaaaaaaaaaaaaaaaaaaaaa';
const ORIGINAL = `Message-ID: <${ID}@sx.test>\nX-Sendarix-Message-Id: ${ID}\nSubject: hi\n`;
const ORIGINAL_REFS = { sendarixMessageId: ID, messageId: `<${ID}@sx.test>` };

describe('parseReport', () => {
  it('reads an RFC 3464 DSN: per-message and per-recipient fields, folded lines, the original headers', async () => {
    const status = [
      'Reporting-MTA: dns; mx.test',
      '',
      'Final-Recipient: rfc822; a@example.com',
      'Action: Delayed',
      'Status: 4.4.1',
      '',
      'Final-Recipient: rfc822;b@example.com',
      'Action: failed',
      'Status: 5.1.1 (no such user)',
      'Remote-MTA: dns; store.test',
      'Diagnostic-Code: smtp; 550 5.1.1',
      '  user unknown',
    ].join('\n');
    const parsed = await parseReport(report('delivery-status', [
      'Content-Type: text/plain\n\nIt bounced.',
      `Content-Type: message/delivery-status\n\n${status}`,
      `Content-Type: text/rfc822-headers\n\n${ORIGINAL}`,
    ]));
    expect(parsed).toEqual({
      kind: 'dsn',
      reportingMta: 'mx.test',
      recipients: [
        { action: 'delayed', status: '4.4.1', finalRecipient: 'a@example.com' },
        {
          action: 'failed',
          status: '5.1.1',
          finalRecipient: 'b@example.com',
          remoteMta: 'store.test',
          diagnosticCode: 'smtp; 550 5.1.1 user unknown',
        },
      ],
      original: ORIGINAL_REFS,
    });
  });

  it('reads an ARF report whose original is an inline message/rfc822 part in base64', async () => {
    const fields = [
      'Feedback-Type: Abuse',
      'User-Agent: FBL/2',
      'Version: 1',
      'Original-Mail-From: <bounces+msg_x@sx.test>',
      'Original-Rcpt-To: <u@example.com>',
    ].join('\n');
    const original = Buffer.from(`${ORIGINAL}\nbody\n`).toString('base64');
    const parsed = await parseReport(report('feedback-report', [
      'Content-Type: text/plain\n\nA complaint.',
      `Content-Type: message/feedback-report\n\n${fields}`,
      `Content-Type: message/rfc822\nContent-Disposition: inline\nContent-Transfer-Encoding: base64\n\n${original}`,
    ]));
    expect(parsed).toEqual({
      kind: 'feedback',
      feedbackType: 'abuse',
      userAgent: 'FBL/2',
      originalMailFrom: 'bounces+msg_x@sx.test',
      originalRcptTo: 'u@example.com',
      original: ORIGINAL_REFS,
    });
  });

  const unparseable: [string, Buffer, string][] = [
    ['a plain message', crlf('Subject: hello\n\njust text\n'), 'not a multipart/report'],
    [
      'another report type',
      report('disposition-notification', ['Content-Type: text/plain\n\nread']),
      'report-type disposition-notification is not handled',
    ],
    [
      'a DSN without recipient actions',
      report('delivery-status', ['Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx.test']),
      'delivery-status part names no recipient action',
    ],
    [
      'an ARF report without Feedback-Type',
      report('feedback-report', ['Content-Type: message/feedback-report\n\nVersion: 1']),
      'feedback report without a Feedback-Type',
    ],
  ];
  it.each(unparseable)('calls %s unparseable', async (_name, raw, reason) => {
    expect(await parseReport(raw)).toEqual({ kind: 'unparseable', reason });
  });
});
