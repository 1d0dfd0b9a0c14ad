import { extractVariables, renderTemplate } from './render';
import { findStarterTemplate, STARTER_TEMPLATES } from './starter';

const SAMPLE_DATA: Record<string, Record<string, string>> = {
  'otp-code': { code: '482913', expires_in: '10 minutes' },
  'password-reset': { reset_url: 'https://app.example.com/reset?t=abc&u=1', expires_in: '1 hour', name: 'Ada' },
  welcome: { name: 'Ada', action_url: 'https://app.example.com/start' },
  invoice: { invoice_number: 'INV-0042', amount: '€120.00', due_date: '2025-08-01', invoice_url: 'https://x.example/' },
  'security-alert': { event: 'New sign-in', time: '2025-07-01 10:00 UTC', ip: '192.0.2.7', location: 'Lisbon' },
};

describe('starter templates', () => {
  const byName = STARTER_TEMPLATES.map((t) => [t.name, t] as const);

  it('has the five expected templates with their categories', () => {
    expect(STARTER_TEMPLATES.map((t) => [t.name, t.category])).toEqual([
      ['otp-code', 'otp'],
      ['password-reset', 'security'],
      ['welcome', 'lifecycle'],
      ['invoice', 'billing'],
      ['security-alert', 'security'],
    ]);
  });

  it.each(byName)('%s declares exactly the variables its sources use', (_name, t) => {
    expect(t.variables.map((v) => v.name).sort()).toEqual(extractVariables(t));
  });

  it.each(byName)('%s renders with sample data and no leftover braces', (name, t) => {
    const result = renderTemplate(t, SAMPLE_DATA[name] ?? {});
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    for (const part of [result.subject, result.html, result.text]) expect(part).not.toMatch(/\{\{|\}\}/);
    for (const value of Object.values(SAMPLE_DATA[name] ?? {})) expect(result.text).toContain(value);
  });

  it.each(byName)('%s renders with only its required variables', (name, t) => {
    const requiredNames = t.variables.filter((v) => v.required).map((v) => v.name);
    const data = Object.fromEntries(requiredNames.map((n) => [n, SAMPLE_DATA[name]?.[n]]));
    expect(renderTemplate(t, data).ok).toBe(true);
  });

  it.each(byName)('%s reports every required variable when given no data', (_name, t) => {
    const result = renderTemplate(t, {});
    const expected = t.variables.filter((v) => v.required).map((v) => `template_data.${v.name}`);
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual(expected);
  });

  it('escapes the reset URL in HTML but keeps it usable in text', () => {
    const t = findStarterTemplate('password-reset');
    const result = t && renderTemplate(t, SAMPLE_DATA['password-reset'] ?? {});
    if (!result?.ok) throw new Error('render failed');
    expect(result.html).toContain('href="https://app.example.com/reset?t&#x3D;abc&amp;u&#x3D;1"');
    expect(result.text).toContain('https://app.example.com/reset?t=abc&u=1');
  });

  it('greets without a name when the optional name is absent', () => {
    const t = findStarterTemplate('password-reset');
    const result = t && renderTemplate(t, { reset_url: 'https://x.example/r', expires_in: '1 hour' });
    expect(result?.ok && result.text.startsWith('Hi,\n')).toBe(true);
  });

  it('puts the code in the OTP subject', () => {
    const t = findStarterTemplate('otp-code');
    const result = t && renderTemplate(t, { code: '123456', expires_in: '5 minutes' });
    expect(result?.ok && result.subject).toBe('123456 is your verification code');
  });

  it('finds no template for an unknown name', () => {
    expect(findStarterTemplate('nope')).toBeUndefined();
  });
});
