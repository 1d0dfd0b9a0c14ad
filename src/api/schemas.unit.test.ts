import { fieldErrors, sendMessageSchema } from './schemas';

describe('fieldErrors', () => {
  const errorsOf = (body: unknown) => {
    const parsed = sendMessageSchema.safeParse(body);
    if (parsed.success) throw new Error('expected a validation failure');
    return fieldErrors(parsed.error);
  };

  it('names a missing field as required', () => {
    expect(errorsOf({ subject: 'x' })).toContainEqual({ field: 'recipient', code: 'required', message: 'recipient is required' });
  });

  it('tells a wrong type apart from a missing field', () => {
    expect(errorsOf({ recipient: 'a@example.com', subject: 5 })).toContainEqual(
      expect.objectContaining({ field: 'subject', code: 'invalid_type' }),
    );
  });

  it('names each unknown field', () => {
    const errors = errorsOf({ recipient: 'a@example.com', to: 'b@example.com', cc: 'c@example.com' });
    expect(errors.filter((e) => e.code === 'unknown_field').map((e) => e.field)).toEqual(['to', 'cc']);
  });

  it('names nested fields by their path', () => {
    expect(errorsOf({ recipient: 'a@example.com', attachments: [{ filename: 'a.txt' }] })).toContainEqual(
      expect.objectContaining({ field: 'attachments.0.content', code: 'required' }),
    );
  });
});
