import { reportMessageId } from './match';
import { outcomeOf } from './outcome';
import type { DsnRecipient, InboundReport } from './report';

const ID = 'msg_aaaaaaaaaaaaaaaaaaaaaaaaaa';
const OTHER = 'msg_bbbbbbbbbbbbbbbbbbbbbbbbbb';
type Parsed = Exclude<InboundReport, { kind: 'unparseable' }>;
const dsn = (recipients: DsnRecipient[], original = {}): Parsed => ({ kind: 'dsn', recipients, original });
const feedback = (feedbackType: string, extra = {}): Parsed => ({
  kind: 'feedback',
  feedbackType,
  original: {},
  ...extra,
});

describe('outcomeOf', () => {
  it('makes a failed 5.x.x DSN a hard bounce with the SMTP details', () => {
    const diagnostic = 'smtp; 550 5.1.1 unknown';
    expect(outcomeOf(dsn([{ action: 'failed', status: '5.1.1', diagnosticCode: diagnostic }]))).toEqual({
      kind: 'bounce',
      hard: true,
      data: {
        source: 'dsn',
        bounce_type: 'hard',
        action: 'failed',
        status: '5.1.1',
        diagnostic_code: diagnostic,
        smtp: {
          kind: 'permanent',
          reason: 'late_bounce',
          responseCode: 550,
          enhancedStatus: '5.1.1',
          response: diagnostic,
        },
      },
    });
  });

  it('makes a failed 4.x.x DSN a soft bounce, and a delayed one a delay', () => {
    const soft = outcomeOf(dsn([{ action: 'failed', status: '4.4.7' }]));
    expect(soft).toMatchObject({ kind: 'bounce', hard: false, data: { bounce_type: 'soft' } });
    const delay = outcomeOf(dsn([{ action: 'delayed', status: '4.4.1' }]));
    expect(delay).toMatchObject({ kind: 'delay', data: { action: 'delayed' } });
  });

  it('prefers a failed recipient over a delayed one, and needs nothing for a delivered one', () => {
    const mixed = outcomeOf(dsn([{ action: 'delayed' }, { action: 'failed', status: '5.2.2' }]));
    expect(mixed).toMatchObject({ kind: 'bounce', hard: true });
    const delivered = outcomeOf(dsn([{ action: 'delivered', status: '2.0.0' }]));
    expect(delivered).toEqual({ kind: 'none', reason: 'DSN action delivered' });
  });

  it('makes a feedback report a complaint, except not-spam', () => {
    expect(outcomeOf(feedback('abuse', { userAgent: 'FBL/1' }))).toEqual({
      kind: 'complaint',
      data: { source: 'feedback_report', feedback_type: 'abuse', user_agent: 'FBL/1' },
    });
    expect(outcomeOf(feedback('not-spam'))).toEqual({ kind: 'none', reason: 'feedback type not-spam' });
  });
});

describe('reportMessageId', () => {
  it('trusts the VERP envelope recipient first', () => {
    expect(reportMessageId(dsn([], { sendarixMessageId: OTHER }), [`Bounces+${ID}@SX.test`], 'sx.test')).toBe(ID);
  });

  it("then a feedback report's Original-Mail-From, then the original's headers", () => {
    const arf = feedback('abuse', { originalMailFrom: `bounces+${ID}@sx.test` });
    expect(reportMessageId(arf, ['fbl@sx.test'], 'sx.test')).toBe(ID);
    expect(reportMessageId(dsn([], { sendarixMessageId: ID }), ['postmaster@sx.test'], 'sx.test')).toBe(ID);
    expect(reportMessageId(dsn([], { messageId: `<${ID}@sx.test>` }), [], 'sx.test')).toBe(ID);
  });

  it('names nothing for a VERP address of another domain or a Message-ID of another host', () => {
    const foreign = dsn([], { messageId: `<${ID}@elsewhere.test>` });
    expect(reportMessageId(foreign, [`bounces+${ID}@elsewhere.test`], 'sx.test')).toBeUndefined();
    expect(reportMessageId(dsn([], { sendarixMessageId: 'msg_short' }), [], 'sx.test')).toBeUndefined();
  });
});
