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
  /** One-click unsubscribe targets, written as List-Unsubscribe and List-Unsubscribe-Post (RFC 8058). */
  listUnsubscribe?: ListUnsubscribe;
  /**
   * The original MIME message (base64) of a message that came in through the SMTP relay: it is sent as it came,
   * with only the headers Sendarix must set adjusted, and the fields above describe it (attachment contents are
   * left empty then, since the raw message holds them).
   */
  raw?: string;
}

export interface ListUnsubscribe {
  /** HTTPS (or configured public) URL that takes the one-click POST. */
  url: string;
  /** `mailto:` URI offered beside it, when SENDARIX_UNSUBSCRIBE_MAILTO is set. */
  mailto?: string;
}
