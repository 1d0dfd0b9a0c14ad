// Which sent message a report is about. In order of trust: the VERP address it was sent to
// (`bounces+<message id>@<bounce domain>`, the Return-Path of every message), the same address in a feedback
// report's Original-Mail-From, then the X-Sendarix-Message-Id or Message-ID of the original's attached headers.
import { domainToASCII } from 'node:url';
import type { InboundReport } from './report';

const MESSAGE_ID = /^msg_[a-z2-7]{26}$/;
const VERP_LOCAL = /^bounces\+(msg_[a-z2-7]{26})$/i;

/** Whether `address` is under the bounce domain, the only mail the inbound listener takes. */
export function isBounceDomainAddress(address: string, bounceDomain: string): boolean {
  const at = address.lastIndexOf('@');
  return at > 0 && asciiLower(address.slice(at + 1)) === asciiLower(bounceDomain);
}

/** The message id in a VERP address of the bounce domain. */
export function verpMessageId(address: string, bounceDomain: string): string | undefined {
  if (!isBounceDomainAddress(address, bounceDomain)) return undefined;
  return VERP_LOCAL.exec(address.slice(0, address.lastIndexOf('@')))?.[1]?.toLowerCase();
}

export function reportMessageId(report: InboundReport, rcptTo: string[], bounceDomain: string): string | undefined {
  if (report.kind === 'unparseable') return undefined;
  const fromEnvelope = rcptTo.map((r) => verpMessageId(r, bounceDomain)).find((id) => id !== undefined);
  if (fromEnvelope) return fromEnvelope;
  if (report.kind === 'feedback' && report.originalMailFrom) {
    const fromReport = verpMessageId(report.originalMailFrom, bounceDomain);
    if (fromReport) return fromReport;
  }
  const header = report.original.sendarixMessageId?.toLowerCase();
  if (header && MESSAGE_ID.test(header)) return header;
  return messageIdHeaderId(report.original.messageId, bounceDomain);
}

/** `<msg_…@bounce domain>`, the Message-ID Sendarix gives the messages it composes. */
function messageIdHeaderId(messageId: string | undefined, bounceDomain: string): string | undefined {
  const match = /^<?(msg_[a-z2-7]{26})@([^>]+)>?$/i.exec(messageId?.trim() ?? '');
  if (!match || asciiLower(match[2] ?? '') !== asciiLower(bounceDomain)) return undefined;
  return match[1]?.toLowerCase();
}

function asciiLower(domain: string): string {
  return (domainToASCII(domain) || domain).toLowerCase();
}
