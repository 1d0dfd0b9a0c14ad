// The transactional templates every new project starts with. The copy names no product: it reads right for any app,
// and users edit or replace it. HTML is kept to tables and inline styles, which every mail client renders.
import type { TemplateSource, TemplateVariable } from './render';

export type TemplateCategory = 'otp' | 'security' | 'account' | 'billing' | 'lifecycle';
export interface StarterTemplate extends TemplateSource {
  name: string;
  category: TemplateCategory;
  variables: TemplateVariable[];
}

const required = (name: string): TemplateVariable => ({ name, required: true });
const optional = (name: string): TemplateVariable => ({ name, required: false });

const PRESENTATION = 'role="presentation" width="100%" cellpadding="0" cellspacing="0"';

/** Wraps body HTML in the shared layout, which adds no variables of its own. */
function layout(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${title}</title></head>`,
    '<body style="margin:0;padding:0;background:#f4f5f7;font-family:Helvetica,Arial,sans-serif;color:#1f2328">',
    `<table ${PRESENTATION}><tr><td align="center" style="padding:24px">`,
    `<table ${PRESENTATION} style="max-width:560px;background:#ffffff;border-radius:8px;padding:32px;`,
    'line-height:1.5;font-size:16px"><tr><td>',
    body,
    '</td></tr></table></td></tr></table></body></html>',
  ].join('\n');
}

const button = (href: string, label: string): string =>
  `<p style="margin:24px 0"><a href="${href}" style="background:#2454d6;color:#ffffff;padding:12px 20px;` +
  `border-radius:6px;text-decoration:none;display:inline-block">${label}</a></p>`;

const OTP_WARNING = 'Nobody from our team will ever ask you for this code. If you did not try to sign in, ignore this.';

const note = (text: string): string => `<p style="color:#59636e;font-size:14px">${text}</p>`;

export const STARTER_TEMPLATES: readonly StarterTemplate[] = [
  {
    name: 'otp-code',
    category: 'otp',
    subject: '{{code}} is your verification code',
    variables: [required('code'), required('expires_in')],
    html: layout(
      'Your verification code',
      '<p>Here is your verification code:</p>\n' +
        '<p style="font-size:32px;font-weight:bold;letter-spacing:6px;margin:16px 0">{{code}}</p>\n' +
        '<p>It stops working in {{expires_in}}.</p>\n' +
        note(OTP_WARNING),
    ),
    text:
      'Your verification code is {{code}}\n\nIt stops working in {{expires_in}}.\n\n' +
      `${OTP_WARNING}\n`,
  },
  {
    name: 'password-reset',
    category: 'security',
    subject: 'Reset your password',
    variables: [required('reset_url'), required('expires_in'), optional('name')],
    html: layout(
      'Reset your password',
      '<p>{{#if name}}Hi {{name}},{{else}}Hi,{{/if}}</p>\n' +
        '<p>Someone asked to reset the password for your account. To choose a new one, use the button below.</p>\n' +
        button('{{reset_url}}', 'Choose a new password') +
        '\n<p>The link works once and expires in {{expires_in}}.</p>\n' +
        note('Did not ask for this? Your password has not changed and you can delete this email.'),
    ),
    text:
      '{{#if name}}Hi {{name}},{{else}}Hi,{{/if}}\n\n' +
      'Someone asked to reset the password for your account. To choose a new one, open this link:\n\n' +
      '{{reset_url}}\n\nThe link works once and expires in {{expires_in}}.\n\n' +
      'Did not ask for this? Your password has not changed and you can delete this email.\n',
  },
  {
    name: 'welcome',
    category: 'lifecycle',
    subject: 'Welcome aboard, {{name}}',
    variables: [required('name'), optional('action_url')],
    html: layout(
      'Welcome',
      '<p>Hi {{name}},</p>\n' +
        '<p>Your account is ready. We are glad to have you with us.</p>\n' +
        '{{#if action_url}}' +
        button('{{action_url}}', 'Get started') +
        '{{/if}}\n' +
        note('Questions? Reply to this email and a person will answer.'),
    ),
    text:
      'Hi {{name}},\n\nYour account is ready. We are glad to have you with us.\n\n' +
      '{{#if action_url}}Get started: {{action_url}}\n\n{{/if}}' +
      'Questions? Reply to this email and a person will answer.\n',
  },
  {
    name: 'invoice',
    category: 'billing',
    subject: 'Invoice {{invoice_number}}: {{amount}} due {{due_date}}',
    variables: [required('invoice_number'), required('amount'), required('due_date'), optional('invoice_url')],
    html: layout(
      'Invoice {{invoice_number}}',
      '<p>A new invoice is ready.</p>\n' +
        '<table role="presentation" cellpadding="4" cellspacing="0" style="margin:16px 0">\n' +
        '<tr><td style="color:#59636e">Invoice</td><td><strong>{{invoice_number}}</strong></td></tr>\n' +
        '<tr><td style="color:#59636e">Amount due</td><td><strong>{{amount}}</strong></td></tr>\n' +
        '<tr><td style="color:#59636e">Due date</td><td><strong>{{due_date}}</strong></td></tr>\n' +
        '</table>\n' +
        '{{#if invoice_url}}' +
        button('{{invoice_url}}', 'View invoice') +
        '{{/if}}\n' +
        note('If you have already paid, thank you: no need to do anything.'),
    ),
    text:
      'A new invoice is ready.\n\nInvoice: {{invoice_number}}\nAmount due: {{amount}}\nDue date: {{due_date}}\n\n' +
      '{{#if invoice_url}}View it here: {{invoice_url}}\n\n{{/if}}' +
      'If you have already paid, thank you: no need to do anything.\n',
  },
  {
    name: 'security-alert',
    category: 'security',
    subject: 'Security alert: {{event}}',
    variables: [required('event'), required('time'), optional('ip'), optional('location'), optional('action_url')],
    html: layout(
      'Security alert',
      '<p>We noticed activity on your account:</p>\n' +
        '<p style="margin:16px 0"><strong>{{event}}</strong><br>{{time}}' +
        '{{#if location}}<br>Near {{location}}{{/if}}{{#if ip}}<br>IP address {{ip}}{{/if}}</p>\n' +
        '<p>If this was you, there is nothing to do.</p>\n' +
        '<p>If it was not, change your password now and review where you are signed in.</p>\n' +
        '{{#if action_url}}' +
        button('{{action_url}}', 'Secure my account') +
        '{{/if}}',
    ),
    text:
      'We noticed activity on your account:\n\n{{event}}\n{{time}}\n' +
      '{{#if location}}Near {{location}}\n{{/if}}{{#if ip}}IP address {{ip}}\n{{/if}}\n' +
      'If this was you, there is nothing to do.\n' +
      'If it was not, change your password now and review where you are signed in.\n' +
      '{{#if action_url}}\nSecure your account: {{action_url}}\n{{/if}}',
  },
];

/** The starter template with this name, if any. */
export function findStarterTemplate(name: string): StarterTemplate | undefined {
  return STARTER_TEMPLATES.find((t) => t.name === name);
}
