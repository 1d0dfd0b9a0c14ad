import { buildWebhookPayload } from './payload';

describe('buildWebhookPayload', () => {
  const recipient = 'Ada <ada@example.com>';
  const message = { recipient, status: 'delivered', metadata: { user_id: 'u1' }, tags: ['otp'] };
  const event = {
    id: 'evt_abc_2',
    messageId: 'msg_abc',
    projectId: 'proj_1',
    seq: 2,
    type: 'delivered',
    createdAt: new Date('2026-04-19T14:30:00.000Z'),
  };

  it('carries the envelope, the message fields, the last SMTP answer and the event data', () => {
    const smtp = { kind: 'delivered', responseCode: 250 };
    expect(buildWebhookPayload({ ...event, data: { attempt: 1, smtp } }, message)).toEqual({
      id: 'evt_abc_2',
      type: 'message.delivered',
      created_at: '2026-04-19T14:30:00.000Z',
      sequence: 2,
      data: {
        message_id: 'msg_abc',
        recipient,
        status: 'delivered',
        smtp,
        metadata: { user_id: 'u1' },
        tags: ['otp'],
        attempt: 1,
      },
    });
  });

  it('leaves smtp out when the event has none, and takes the status the event set over the stored one', () => {
    const payload = buildWebhookPayload({ ...event, type: 'queued', seq: 0, status: 'queued', data: {} }, message);
    expect(payload.data).not.toHaveProperty('smtp');
    expect(payload.data.status).toBe('queued');
  });

  it('does not let event data replace the message fields', () => {
    const data = { message_id: 'msg_other', recipient: 'x@evil.example', reason: 'r' };
    const payload = buildWebhookPayload({ ...event, data }, message);
    expect(payload.data).toMatchObject({ message_id: 'msg_abc', recipient, reason: 'r' });
  });
});
