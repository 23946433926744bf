import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/store/database.js';
import { sqliteBackend } from '../src/store/sqlite-backend.js';
import type { TurnAnalytics } from '../src/store/turn-analytics.js';
import { type SeededTraffic, SettableClock, seedTurnTraffic } from '../src/testing/turn-traffic-seeder.js';
import { launchBrowser, screenshot, type TestBrowser } from './support/browser.js';
import { type RunningTeller, startTeller } from './support/teller-server.js';

/**
 * The analytics dashboard in Chromium over a seeded week of traffic: the charts are drawn, and the
 * figures the page shows are the API's; then a customer's rating in the chat shows up in them.
 */

const DAY_MS = 86_400_000;
const utcDay = (time: number) => new Date(time).toISOString().slice(0, 10);
const TO = utcDay(Date.now());
const FROM = utcDay(Date.now() - 6 * DAY_MS);
const GAP_QUESTIONS = [
  'do you rent safe deposit boxes',
  'can I rent a safe deposit box',
  'do you rent safe deposit boxes at your branches',
];

let teller: RunningTeller;
let browser: TestBrowser;
let seeded: SeededTraffic;

beforeAll(async () => {
  mkdirSync('test-results/screenshots', { recursive: true });
  teller = await startTeller(async (home) => {
    const database = openDatabase(home.config.paths.databasePath);
    try {
      const clock = new SettableClock(new Date(`${FROM}T00:00:00.000Z`));
      seeded = await seedTurnTraffic(sqliteBackend(database, clock.now), clock, {
        start: new Date(`${FROM}T00:00:00.000Z`),
        days: 7,
        conversationsPerDay: 10,
        // Made-up questions on a subject no shipped document covers, from four customers.
        knowledgeGap: { questions: GAP_QUESTIONS, customers: 4 },
      });
    } finally {
      database.close();
    }
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await teller?.close();
});

async function staffToken(subject: string, roles: string[]): Promise<string> {
  const response = await fetch(`${teller.baseUrl}/console/dev-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ subject, roles }),
  });
  return ((await response.json()) as { token: string }).token;
}

async function analyticsFromApi(): Promise<TurnAnalytics> {
  const token = await staffToken('analyst_1', ['analyst']);
  const response = await fetch(`${teller.baseUrl}/v1/admin/analytics?from=${FROM}&to=${TO}&bucket=day`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as TurnAnalytics;
}

async function signedInPage(path: string, who: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${teller.baseUrl}${path}`);
  await page.getByRole('button', { name: `Sign in as ${who}` }).click();
  await page.getByText(/^Signed in as /).waitFor();
  return page;
}

const cellText = (page: Page, period: string, figure: string) =>
  page.locator(`#periods tr[data-period="${period}"] td[data-figure="${figure}"]`).innerText();

describe.sequential('analytics dashboard in Chromium', () => {
  it('when an analyst opens the dashboard over a seeded week then the charts are drawn and the figures are the API’s', async () => {
    const api = await analyticsFromApi();
    expect(api.totals.turns).toBe(seeded.turns);
    const requested: string[] = [];
    const page = await browser.newPage();
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(`${teller.baseUrl}/console/dashboard?from=${FROM}&to=${TO}&bucket=day`);
    await page.getByRole('button', { name: 'Sign in as Analyst analyst_1' }).click();
    await page.locator('#periods tbody tr').nth(6).waitFor({ timeout: 30_000 });

    // Five charts, each a Chart.js chart drawn on a canvas of real size.
    const charts = await page.evaluate(() =>
      [...document.querySelectorAll('canvas')].map((canvas) => {
        const chart = (
          window as unknown as { Chart: { getChart(canvas: HTMLCanvasElement): unknown } }
        ).Chart.getChart(canvas) as { data: { datasets: Array<{ data: Array<number | null> }> } } | undefined;
        return {
          id: canvas.id,
          width: canvas.width,
          height: canvas.height,
          data: chart?.data.datasets[0]?.data,
        };
      }),
    );
    expect(charts.map((chart) => chart.id)).toEqual([
      'containment-chart',
      'handoff-chart',
      'refusal-chart',
      'ratings-chart',
      'queue-chart',
    ]);
    for (const chart of charts) {
      expect(chart.width, chart.id).toBeGreaterThan(100);
      expect(chart.height, chart.id).toBeGreaterThan(50);
      expect(chart.data, chart.id).toBeDefined();
    }
    expect(charts[0]?.data).toEqual(api.buckets.map((bucket) => (bucket.containmentRate ?? 0) * 100));

    // The table and the totals say what the API says.
    expect(await page.locator('#periods tbody tr').count()).toBe(api.buckets.length);
    for (const bucket of api.buckets) {
      expect(await cellText(page, bucket.start, 'turns')).toBe(String(bucket.turns));
      expect(await cellText(page, bucket.start, 'handoffs')).toBe(String(bucket.kinds.handoff));
      expect(await cellText(page, bucket.start, 'helpful')).toBe(String(bucket.ratings.helpful));
    }
    expect(await page.locator('[data-kpi="turns"] dd').innerText()).toBe(String(seeded.turns));
    expect(await page.locator('[data-kpi="containment"] dd').innerText()).toBe(
      `${((seeded.contained / seeded.turns) * 100).toFixed(1)}%`,
    );
    for (const [reason, count] of Object.entries(seeded.handoffReasons)) {
      expect(await page.locator(`#handoff-reasons tr[data-reason="${reason}"] td`).last().innerText()).toBe(
        String(count),
      );
    }
    for (const [rule, count] of Object.entries(seeded.refusalRules)) {
      expect(await page.locator(`#refusal-rules tr[data-rule="${rule}"] td`).last().innerText()).toBe(
        String(count),
      );
    }
    await screenshot(page, 'analytics-dashboard');
    // Everything the page loaded came from Teller itself.
    expect(requested.filter((url) => !url.startsWith(teller.baseUrl))).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
    await page.close();
  });

  it('when an analyst opens the dashboard then the top knowledge gaps are listed as the API lists them, with examples only where three or more customers asked', async () => {
    const token = await staffToken('analyst_1', ['analyst']);
    const response = await fetch(`${teller.baseUrl}/v1/admin/knowledge-gaps`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    const { gaps } = (await response.json()) as {
      gaps: Array<{ id: string; label: string; count: number; customers: number; examples: string[] }>;
    };
    const seededGap = gaps.find((gap) => gap.label.includes('deposit'));
    expect(seededGap, JSON.stringify(gaps.map((gap) => gap.label))).toBeDefined();
    expect(seededGap!.customers).toBe(seeded.gapCustomers);
    expect(seededGap!.count).toBe(seeded.gapTurns);

    const page = await browser.newPage();
    await page.goto(`${teller.baseUrl}/console/dashboard?from=${FROM}&to=${TO}&bucket=day`);
    await page.getByRole('button', { name: 'Sign in as Analyst analyst_1' }).click();
    const row = page.locator(`#knowledge-gaps tr[data-gap="${seededGap!.id}"]`);
    await row.waitFor({ timeout: 30_000 });
    await row.scrollIntoViewIfNeeded();
    expect(await row.locator('th').innerText()).toBe(seededGap!.label);
    expect(await row.locator('td[data-figure="count"]').innerText()).toBe(String(seeded.gapTurns));
    expect(await row.locator('td[data-figure="customers"]').innerText()).toBe(String(seeded.gapCustomers));
    expect(await row.locator('td[data-figure="trend"]').innerText()).toMatch(
      /^(new|rising|steady|falling) \(\d+ \/ \d+\)$/,
    );
    const examples = await row.locator('td[data-figure="examples"] li').allInnerTexts();
    expect(examples.length).toBeGreaterThan(0);
    expect(examples).toEqual(seededGap!.examples);
    for (const example of examples) expect(GAP_QUESTIONS).toContain(example);
    // Every gap row of the page is one of the API's, in the API's order; none shows examples the API withheld.
    const rows = await page.locator('#knowledge-gaps tbody tr').evaluateAll((elements) =>
      elements.map((element) => ({
        id: (element as HTMLElement).dataset.gap,
        examples: element.querySelectorAll('li').length,
      })),
    );
    expect(rows.map((shown) => shown.id)).toEqual(gaps.slice(0, rows.length).map((gap) => gap.id));
    for (const shown of rows) {
      expect(shown.examples).toBe(gaps.find((gap) => gap.id === shown.id)!.examples.length);
    }
    await screenshot(page, 'analytics-dashboard-knowledge-gaps');
    expect(browser.pageErrors).toEqual([]);
    await page.close();
  });

  it('when a customer marks an answer not helpful with a reason then the rating reaches the analytics', async () => {
    const before = await analyticsFromApi();
    const reasonCount = (analytics: TurnAnalytics) =>
      analytics.ratingReasons
        .filter((row) => row.name === 'not_relevant')
        .reduce((total, row) => total + row.count, 0);
    const page = await signedInPage('/console/chat', 'Customer c_123');
    const input = page.getByLabel('Your message');
    await input.fill('What is the fee for an international wire transfer?');
    await input.press('Enter');
    const answer = page.locator('#messages > li[data-author="assistant"]').last();
    await answer.waitFor({ timeout: 60_000 });
    await answer.getByRole('button', { name: /Not helpful/ }).click();
    await answer.getByLabel('What was wrong with this answer? (optional)').selectOption('not_relevant');
    await expect.poll(() => answer.getByRole('status').innerText()).toBe('Thank you for your feedback.');
    expect(await answer.getByRole('button', { name: /Not helpful/ }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    await screenshot(page, 'chat-feedback');
    await page.close();

    const after = await analyticsFromApi();
    expect(after.totals.ratings.notHelpful).toBe(before.totals.ratings.notHelpful + 1);
    expect(reasonCount(after)).toBe(reasonCount(before) + 1);
  });
});
