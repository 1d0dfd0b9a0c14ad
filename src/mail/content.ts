// What the API stores for a message once it is accepted: rendered, validated, ready to hand to SMTP.

export interface StoredMailbox {
  name?: string;
  /** Envelope form: local part as given, domain in punycode. */
  address: string;
  /** Display form: domain in Unicode. */
  display: string;
  utf8Local: boolean;
}

export interface StoredAttachment {
  filename: string;
  contentType?: string;
  /** Base64, as received. */
  content: string;
}

export interface MessageContent {
  from: StoredMailbox;
  to: StoredMailbox;
  replyTo: StoredMailbox[];
  subject: string;
  html?: string;
  text?: string;
  headers: Record<string, string>;
  attachments: StoredAttachment[];
}
