import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, type TestBrowser } from './support/browser.js';
import { type RunningTeller, startTeller } from './support/teller-server.js';

/**
 * The console in a real browser against a whole Teller: customer chat with citations, the
 * compliance four-eyes edit → approve → publish loop changing the next answer, and an agent
 * answering a handoff. The flows share one server and run in order.
 */

const WIRE_QUESTION = 'What is the fee for an international wire transfer?';
const FEES_DOCUMENT = 'fees-international-payments';

let teller: RunningTeller;
let browser: TestBrowser;

beforeAll(async () => {
  mkdirSync('test-results/screenshots', { recursive: true });
  teller = await startTeller();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await teller?.close();
});

async function signedInPage(path: string, who: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${teller.baseUrl}${path}`);
  await page.getByRole('button', { name: `Sign in as ${who}` }).click();
  await page.getByText(/^Signed in as /).waitFor();
  return page;
}

/** Sends with the keyboard (Enter) and waits for the reply to the message just sent. */
async function ask(page: Page, question: string) {
  const before = await page.locator('#messages > li[data-message-id]').count();
  const input = page.getByLabel('Your message');
  await input.fill(question);
  await input.press('Enter');
  await page
    .locator('#messages > li[data-message-id]')
    .nth(before + 1)
    .waitFor({ timeout: 60_000 });
  return page.locator('#messages > li[data-author="assistant"]').last();
}

describe.sequential('Teller console in Chromium', () => {
  it('when a customer asks about wire fees then the answer cites the policy and the citation opens its text', async () => {
    const page = await signedInPage('/console/chat', 'Customer c_123');
    const answer = await ask(page, WIRE_QUESTION);
    await expect.poll(() => answer.innerText()).toContain('£15');
    const citation = answer.locator(`a[data-document-id="${FEES_DOCUMENT}"]`);
    expect(await citation.count()).toBeGreaterThan(0);
    await screenshot(page, 'chat-citation');

    await citation.first().click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.getByRole('heading', { level: 2 }).first().innerText()).toContain(
      'International Payment Fees',
    );
    expect(await dialog.innerText()).toContain('We charge £15 per outgoing international (SWIFT) payment');
    await screenshot(page, 'chat-policy-document');
    await page.keyboard.press('Escape');
    expect(await dialog.isVisible()).toBe(false);
    await page.close();
  });

  it('when an edit is approved by a second compliance user and published then the next answer changes', async () => {
    const author = await signedInPage('/console/compliance', 'Compliance compliance_1');
    await author.locator(`#documents button[data-artifact-id="${FEES_DOCUMENT}"]`).click();
    const source = author.getByLabel('Markdown source (front matter and body)');
    await expect.poll(() => source.inputValue()).toContain('We charge £15 per outgoing');
    const original = await source.inputValue();

    // The preview shows HTML from a document as text and never runs it.
    await source.fill(`${original}\n\n<img src=x onerror="window.previewInjected = true">`);
    const preview = author.locator('#preview');
    await expect.poll(() => preview.innerText()).toContain('<img src=x onerror=');
    expect(await preview.locator('img').count()).toBe(0);
    expect(
      await author.evaluate(() => (window as { previewInjected?: boolean }).previewInjected),
    ).toBeUndefined();

    // Front matter problems are reported inline with their line.
    await source.fill(original.replace(/^version: .*$/m, 'version: soon'));
    await author.locator('#validation-errors li').first().waitFor();
    expect(await author.locator('#validation-errors').innerText()).toMatch(/Line \d+: .*version/i);
    await screenshot(author, 'compliance-validation-error');

    await source.fill(original.replace('We charge £15 per outgoing', 'We charge £18 per outgoing'));
    await author.getByRole('button', { name: 'Save draft', exact: true }).click();
    await author.getByText('Draft saved.').waitFor();
    await author.getByRole('button', { name: 'Diff against published', exact: true }).click();
    await expect
      .poll(() => author.locator('#diff .added').allInnerTexts())
      .toEqual(expect.arrayContaining([expect.stringContaining('£18')]));
    await screenshot(author, 'compliance-diff');

    // Four eyes: the author cannot approve their own change.
    await author.getByRole('button', { name: 'Approve', exact: true }).click();
    await expect.poll(() => author.locator('#action-error').innerText()).not.toBe('');

    const reviewer = await signedInPage('/console/compliance', 'Compliance compliance_2');
    await reviewer.locator(`#documents button[data-artifact-id="${FEES_DOCUMENT}"]`).click();
    await expect
      .poll(() => reviewer.getByLabel('Markdown source (front matter and body)').inputValue())
      .toContain('£18 per outgoing');
    await reviewer.getByRole('button', { name: 'Approve', exact: true }).click();
    await reviewer.getByText('Approved.').waitFor();
    await reviewer.getByRole('button', { name: 'Publish', exact: true }).click();
    await reviewer.getByText('Published.').waitFor();
    await reviewer.getByRole('button', { name: 'History and audit', exact: true }).click();
    await reviewer.locator('#versions table').waitFor();
    expect(await reviewer.locator('#versions').innerText()).toContain('compliance_2');
    await screenshot(reviewer, 'compliance-history');

    await reviewer.getByLabel('Customer question').fill(WIRE_QUESTION);
    await reviewer.getByRole('button', { name: 'Search the index', exact: true }).click();
    await reviewer.locator('#search-results table').waitFor();
    expect(await reviewer.locator('#search-results').innerText()).toContain('£18');
    await screenshot(reviewer, 'compliance-retrieval-inspector');

    const customer = await signedInPage('/console/chat', 'Customer c_456');
    const answer = await ask(customer, WIRE_QUESTION);
    await expect.poll(() => answer.innerText()).toContain('£18');
    expect(await answer.innerText()).not.toContain('£15 per');
    await screenshot(customer, 'chat-after-publish');
    await Promise.all([author.close(), reviewer.close(), customer.close()]);
  });

  it('when a customer asks for a human then an agent claims the handoff and the reply reaches the chat', async () => {
    const customer = await signedInPage('/console/chat', 'Customer c_789');
    await ask(customer, 'I want to speak to a human');
    await customer.locator('#handoff-banner').waitFor({ state: 'visible' });
    await screenshot(customer, 'chat-handoff');

    const agent = await signedInPage('/console/agent', 'Agent agent_1');
    const item = agent.locator('#queue button', { hasText: 'c_789' }).first();
    await item.waitFor();
    expect(await item.innerText()).toMatch(/explicit request/);
    await item.click();
    await expect.poll(() => agent.locator('#transcript').innerText()).toContain('I want to speak to a human');
    await agent.getByRole('button', { name: 'Claim', exact: true }).click();
    await agent.getByText('Handoff claimed; you can reply now.').waitFor();
    const reply = agent.getByLabel('Reply to the customer');
    await reply.fill('Hello, this is Sam from the payments team. How can I help?');
    await reply.press('Enter');
    await agent.getByText('Reply sent.').waitFor();
    await screenshot(agent, 'agent-inbox');

    // The chat page polls while a person has the conversation.
    const agentMessage = customer.locator('#messages > li[data-author="agent"]');
    await agentMessage.waitFor({ timeout: 20_000 });
    expect(await agentMessage.innerText()).toContain('payments team');
    await screenshot(customer, 'chat-agent-reply');

    await agent.getByRole('button', { name: 'Resolve', exact: true }).click();
    await agent.getByText('Handoff resolved; Teller resumes the conversation.').waitFor();
    await customer.locator('#handoff-banner').waitFor({ state: 'hidden', timeout: 20_000 });
    await Promise.all([agent.close(), customer.close()]);
  });

  it('when a customer token is used on staff pages then the API refuses and the page says so', async () => {
    const page = await signedInPage('/console/agent', 'Customer c_999');
    expect(await page.locator('#role-hint').innerText()).toContain('agent role');
    await expect.poll(() => page.locator('#queue-status').innerText()).toMatch(/permission/i);
    await page.close();
  });

  it.each([
    ['/console/chat', 'Customer c_999'],
    ['/console/compliance', 'Compliance compliance_1'],
    ['/console/agent', 'Agent agent_1'],
  ])('when %s is used by keyboard then every control is labelled and focus is visible', async (path, who) => {
    const page = await signedInPage(path, who);
    // Landmarks a screen reader can jump to.
    expect(await page.locator('header').count()).toBe(1);
    expect(await page.locator('nav[aria-label]').count()).toBe(1);
    expect(await page.locator('main').count()).toBe(1);
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, textarea, select')]
        .filter(
          (control) =>
            (control as HTMLInputElement).labels?.length === 0 && !control.getAttribute('aria-label'),
        )
        .map((control) => control.id),
    );
    expect(unlabelled).toEqual([]);
    // Tab from the top of the page: every stop shows an outline, until focus leaves the page.
    // Start at the skip link with keyboard modality (a mouse click signed in, which hides :focus-visible).
    await page.locator('.skip-link').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await page.locator('.skip-link').isVisible()).toBe(true);
    const stops: string[] = [];
    for (let step = 0; step < 12; step += 1) {
      if (step > 0) await page.keyboard.press('Tab');
      const stop = await page.evaluate(() => {
        const active = document.activeElement;
        if (!active || active === document.body) return undefined;
        const style = getComputedStyle(active);
        return {
          name: active.id || active.textContent?.trim() || active.tagName,
          outline: `${style.outlineStyle} ${style.outlineWidth}`,
        };
      });
      if (!stop) break;
      expect(stop.outline, stop.name).not.toMatch(/^none| 0px$/);
      stops.push(stop.name);
    }
    expect(stops[0]).toBe('Skip to content');
    expect(stops.length).toBeGreaterThanOrEqual(6);
    await screenshot(page, `keyboard-${path.split('/').pop()}`);
    await page.close();
  });

  it('when the pages ran then no script error or CSP violation was reported', () => {
    expect(browser.pageErrors.filter((message) => !/status of 40[39]/.test(message))).toEqual([]);
  });
});
