// The dashboard in a real headless Chromium against a real Sendarix: messages are delivered and bounced by the
// SMTP peer, then a person signs in with an API key, reads the chart, the latest messages and the suppression
// list, and opens a timeline. Screenshots are kept in .test-artifacts/ to be looked at.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { eventually, startSendarix, type SendarixProcess } from '../support/sendarix';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve(__dirname, '../../.test-artifacts');
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

let peer: SmtpPeer;
let sx: SendarixProcess;
let context: BrowserContext;
let page: Page;
let profileDir = '';
const problems: string[] = [];
const tag = randomUUID().slice(0, 8);
const bounced = `bounce-${tag}@example.com`;
const hostile = '<img src=x onerror="window.pwned=1">';

async function finalState(id: string, status: string) {
  return eventually(async () => {
    const res = await sx.api('GET', `/v1/messages/${id}`);
    return res.body.status === status ? res.body : undefined;
  }, 30_000, `message ${id} to become ${status}`);
}

beforeAll(async () => {
  peer = await startSmtpPeer();
  sx = await startSendarix({ smtpUrl: peer.url });
  peer.setBehaviour(bounced, { code: 550, enhanced: '5.1.1', message: 'No such user' });
  const plan: [string, string, string][] = [
    [`ada-${tag}@example.com`, 'Your receipt', 'delivered'],
    [`grace-${tag}@example.com`, hostile, 'delivered'],
    [bounced, 'Password reset', 'bounced'],
    [`linus-${tag}@example.com`, 'Welcome aboard', 'delivered'],
  ];
  for (const [recipient, subject, status] of plan) {
    const res = await sx.api('POST', '/v1/messages', { recipient, subject, text: 'Hello' });
    expect(res.status).toBe(202);
    await finalState(res.body.message_id, status);
  }

  fs.mkdirSync(ARTIFACTS, { recursive: true });
  profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sendarix-chromium-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
});

afterAll(async () => {
  await context?.close();
  if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
  await sx?.stop();
  await peer?.stop();
});

describe('the dashboard', () => {
  it('is served with a same-origin Content-Security-Policy and asks for a key', async () => {
    const res = await page.goto(`${sx.url}/dashboard`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("default-src 'self'");
    await page.locator('#sign-in').waitFor({ state: 'visible' });
    expect(await page.locator('#view').textContent()).toBe('');
  });

  it('refuses a wrong key', async () => {
    await page.fill('#api-key', 'sk_live_not_a_real_key_0000000000000');
    await page.click('#sign-in-form button[type=submit]');
    await page.waitForFunction(() => document.getElementById('sign-in-error')?.textContent?.includes('not valid'));
  });

  it('signs in and draws the volume chart from /v1/analytics', async () => {
    await page.fill('#api-key', sx.apiKey);
    await page.click('#sign-in-form button[type=submit]');
    await page.locator('svg.chart rect.bar').first().waitFor();
    expect(await page.locator('svg.chart rect.bar-delivered').count()).toBeGreaterThan(0);
    expect(await page.locator('svg.chart rect.bar-bounced').count()).toBeGreaterThan(0);
    expect(await page.locator('svg.chart circle.rate-point').count()).toBeGreaterThan(0);
    await page.waitForFunction(() => document.querySelector('.tile-value')?.textContent === '4');
    expect(await page.locator('.tile-good .tile-value').textContent()).toBe('75.0 %');
    expect(await page.evaluate(() => sessionStorage.getItem('sendarix.apiKey'))).toBe(sx.apiKey);
  });

  it('lists the latest messages with their statuses, rendering every text as text', async () => {
    const rows = page.locator('table.messages-table tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(4);
    const statuses = await page.locator('table.messages-table .badge').allTextContents();
    expect(statuses.sort()).toEqual(['bounced', 'delivered', 'delivered', 'delivered']);
    expect(await page.locator('table.messages-table').textContent()).toContain(hostile);
    expect(await page.locator('table.messages-table img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  });

  it('shows the suppression list with the hard-bounced recipient', async () => {
    await page.locator('table.suppressions-table').waitFor();
    const text = await page.locator('table.suppressions-table').textContent();
    expect(text).toContain(bounced);
    expect(text?.toLowerCase()).toContain('hard bounce');
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });
  });

  it('switches the chart to the last 24 hours, by the hour', async () => {
    await page.locator('.segmented button', { hasText: '24 hours' }).click();
    await page.waitForFunction(() => document.querySelector('.segmented .active')?.textContent === '24 hours');
    await page.locator('svg.chart rect.bar-delivered').first().waitFor();
    expect(await page.locator('.tile-sub').first().textContent()).toBe('in the last 24 hours');
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-24h.png') });
  });

  it("opens a message's timeline from the list", async () => {
    await page.locator('a.message-link', { hasText: bounced }).click();
    await page.locator('ol.timeline li').first().waitFor();
    expect(page.url()).toMatch(/#\/messages\/msg_/);
    const types = await page.locator('ol.timeline .event-type').allTextContents();
    expect(types).toEqual(['message.queued', 'message.accepted', 'message.bounced']);
    expect(await page.locator('.detail-head .badge').textContent()).toBe('bounced');
    expect(await page.locator('.facts').textContent()).toContain('550');
    expect(await page.locator('.facts').textContent()).toMatch(/message-msg_/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-message.png'), fullPage: true });
    await page.click('a.back');
    await page.locator('svg.chart').waitFor();
  });

  it('signs out, forgetting the key', async () => {
    await page.click('#sign-out');
    await page.locator('#sign-in').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => sessionStorage.getItem('sendarix.apiKey'))).toBeNull();
  });

  it('ran without script errors or CSP violations', () => {
    // The wrong key's 401 is the one error the console reports by itself.
    expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
  });
});
