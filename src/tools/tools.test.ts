import { describe, expect, it } from 'vitest';
import { createToolHarness } from '../testing/tool-harness.js';
import { handoffRequestOf } from './define-tool.js';
import { executeToolCall, resolvePendingAction } from './registry.js';

describe('read tools on the demo bank', () => {
  it('when accounts are listed then numbers are masked to the last four digits', async () => {
    const harness = createToolHarness();
    const outcome = await executeToolCall(
      { name: 'list_accounts', arguments: {} },
      harness.contextFor('c_123'),
      harness.registry,
    );
    expect(outcome.status).toBe('ok');
    expect(outcome.facts).toEqual([
      'Everyday Current: current account ••••4567 in GBP',
      'Easy Saver: savings account ••••9876 in GBP',
    ]);
    expect(JSON.stringify(outcome)).not.toContain('41234567');
    expect(harness.auditEvents.at(-1)).toMatchObject({
      type: 'tool.executed',
      tool: 'list_accounts',
      subject: 'c_123',
    });
  });

  it('when a balance is asked then it equals opening balance plus booked transactions', async () => {
    const harness = createToolHarness();
    const accounts = await harness.bank.listAccounts('c_123');
    const page = await harness.bank.listTransactions('c_123', { accountIds: [accounts[0]!.id], limit: 100 });
    let booked = 182_450;
    let all = page.transactions;
    let cursor = page.nextCursor;
    while (cursor) {
      const next = await harness.bank.listTransactions('c_123', {
        accountIds: [accounts[0]!.id],
        limit: 100,
        cursor,
      });
      all = all.concat(next.transactions);
      cursor = next.nextCursor;
    }
    for (const transaction of all) if (transaction.status === 'booked') booked += transaction.amount.minor;
    const balance = await harness.bank.getBalance('c_123', accounts[0]!.id);
    expect(balance.booked.minor).toBe(booked);
    const outcome = await executeToolCall(
      { name: 'account_balance', arguments: { account: 'current' } },
      harness.contextFor('c_123'),
      harness.registry,
    );
    expect(outcome.facts[0]).toMatch(
      /^Everyday Current ••••4567: balance £[\d,]+\.\d{2}, available £[\d,]+\.\d{2}$/,
    );
  });

  it('when transactions are filtered by merchant, date and amount then only matches are returned', async () => {
    const harness = createToolHarness();
    const outcome = await executeToolCall(
      {
        name: 'recent_transactions',
        arguments: { merchant: 'Tesco', from: '2026-05-01', to: '2026-05-19', minAmount: '20', limit: 50 },
      },
      harness.contextFor('c_123'),
      harness.registry,
    );
    expect(outcome.status).toBe('ok');
    const data = outcome.data as {
      transactions: Array<{ date: string; merchant: string; amount: string }>;
      total: number;
    };
    expect(data.total).toBe(data.transactions.length);
    expect(data.total).toBeGreaterThan(0);
    for (const transaction of data.transactions) {
      expect(transaction.merchant).toBe('Tesco');
      expect(transaction.date >= '2026-05-01' && transaction.date <= '2026-05-19').toBe(true);
      expect(Number.parseInt(transaction.amount.replace(/[^\d]/g, ''), 10)).toBeGreaterThanOrEqual(2000);
    }
    expect(outcome.facts[0]).toMatch(
      /^\d+ transactions matching "Tesco" between 2026-05-01 and 2026-05-19: money out £/,
    );
  });

  it('when "last 5" is asked then five are shown with a cursor to the next page', async () => {
    const harness = createToolHarness();
    const context = harness.contextFor('c_123');
    const first = await executeToolCall(
      { name: 'recent_transactions', arguments: { limit: 5 } },
      context,
      harness.registry,
    );
    const firstData = first.data as { transactions: Array<{ ref: string }>; nextCursor: string };
    expect(firstData.transactions).toHaveLength(5);
    const second = await executeToolCall(
      { name: 'recent_transactions', arguments: { limit: 5, cursor: firstData.nextCursor } },
      context,
      harness.registry,
    );
    const secondData = second.data as { transactions: Array<{ ref: string }> };
    expect(secondData.transactions).toHaveLength(5);
    const refs = new Set(
      [...firstData.transactions, ...secondData.transactions].map((transaction) => transaction.ref),
    );
    expect(refs.size).toBe(10);
    expect(first.facts.some((fact) => fact.includes('(pending)'))).toBe(true);
  });

  it('when card status is asked then every card and its state is listed', async () => {
    const harness = createToolHarness();
    const outcome = await executeToolCall(
      { name: 'card_status', arguments: {} },
      harness.contextFor('c_456'),
      harness.registry,
    );
    expect(outcome.facts).toEqual([
      'Visa debit card ending 5512: active, expires 11/27',
      'Visa credit card ending 9021: frozen (temporarily), expires 06/28',
    ]);
  });

  it('when scheduled payments are asked then standing orders and direct debits are listed', async () => {
    const harness = createToolHarness();
    const outcome = await executeToolCall(
      { name: 'scheduled_payments', arguments: {} },
      harness.contextFor('c_123'),
      harness.registry,
    );
    expect(outcome.facts).toContain(
      'Standing order to Harbour Lettings: £1,150.00 monthly, next on 2026-06-01',
    );
    expect(
      outcome.facts.some((fact) => fact.startsWith('Direct debit to City Council, last paid £168.50')),
    ).toBe(true);
  });

  it('when contact details are asked then they are masked', async () => {
    const harness = createToolHarness();
    const outcome = await executeToolCall(
      { name: 'contact_details', arguments: {} },
      harness.contextFor('c_123'),
      harness.registry,
    );
    expect(outcome.facts).toEqual([
      'Email on file: a••••@example.com',
      'Phone on file: ••••0123',
      'Postcode on file: SW1A •••',
    ]);
  });
});

describe('state-changing tools need confirmation', () => {
  it('when freeze is requested then nothing changes until the customer says yes', async () => {
    const harness = createToolHarness();
    const context = harness.contextFor('c_123');
    const asked = await executeToolCall(
      { name: 'freeze_card', arguments: { card: 'debit' } },
      context,
      harness.registry,
    );
    expect(asked.status).toBe('needs_confirmation');
    expect(asked.message).toContain('freeze your Visa debit card ending 4821');
    expect((await harness.bank.listCards('c_123'))[0]!.state).toBe('active');

    const confirmed = await resolvePendingAction({ text: 'yes freeze it' }, context, harness.registry);
    expect(confirmed.kind).toBe('executed');
    expect(confirmed.kind === 'executed' && confirmed.outcome.facts[0]).toBe(
      'Your Visa debit card ending 4821 is now frozen. You can unfreeze it at any time.',
    );
    expect((await harness.bank.listCards('c_123'))[0]!.state).toBe('frozen');

    const replay = await resolvePendingAction({ text: 'yes' }, context, harness.registry);
    expect(replay.kind).toBe('none');
  });

  it('when the customer says no then the action is cancelled', async () => {
    const harness = createToolHarness();
    const context = harness.contextFor('c_456');
    await executeToolCall(
      { name: 'unfreeze_card', arguments: { card: 'credit' } },
      context,
      harness.registry,
    );
    const declined = await resolvePendingAction({ text: 'no, leave it' }, context, harness.registry);
    expect(declined.kind).toBe('declined');
    expect((await harness.bank.listCards('c_456'))[1]!.state).toBe('frozen');
    expect(await harness.pendingActions.latestFor(context.conversationId)).toBeUndefined();
  });

  it('when a frozen card is unfrozen after confirmation then it is active', async () => {
    const harness = createToolHarness();
    const context = harness.contextFor('c_999');
    const asked = await executeToolCall({ name: 'unfreeze_card', arguments: {} }, context, harness.registry);
    expect(asked.message).toContain('Mastercard debit card ending 6640');
    const confirmed = await resolvePendingAction({ text: 'Yes please' }, context, harness.registry);
    expect(confirmed.kind === 'executed' && confirmed.outcome.status).toBe('ok');
    expect((await harness.bank.listCards('c_999'))[0]!.state).toBe('active');
  });

  it('when a card is reported stolen with step-up and confirmation then it is blocked', async () => {
    const harness = createToolHarness();
    const context = harness.contextFor('c_123', 'conv_a', { stepUp: true });
    const asked = await executeToolCall(
      { name: 'report_card_lost', arguments: { cardLast4: '7734', circumstance: 'stolen' } },
      context,
      harness.registry,
    );
    expect(asked.status).toBe('needs_confirmation');
    const confirmed = await resolvePendingAction({ text: 'confirm' }, context, harness.registry);
    expect(confirmed.kind === 'executed' && confirmed.outcome.status).toBe('ok');
    expect((await harness.bank.listCards('c_123'))[1]!.state).toBe('blocked_stolen');
  });

  it('when a dispute is confirmed then it is opened and asks the pipeline for a handoff', async () => {
    const harness = createToolHarness();
    const context = harness.contextFor('c_123');
    const listed = await executeToolCall(
      { name: 'recent_transactions', arguments: { merchant: 'Amazon', limit: 1, direction: 'out' } },
      context,
      harness.registry,
    );
    const ref = (listed.data as { transactions: Array<{ ref: string }> }).transactions[0]!.ref.slice(-4);
    const asked = await executeToolCall(
      { name: 'dispute_transaction', arguments: { transactionRef: ref, reason: 'not_recognised' } },
      context,
      harness.registry,
    );
    expect(asked.status).toBe('needs_confirmation');
    const confirmed = await resolvePendingAction({ text: 'yes' }, context, harness.registry);
    expect(confirmed.kind).toBe('executed');
    if (confirmed.kind !== 'executed') return;
    expect(confirmed.outcome.facts[0]).toMatch(/^Dispute opened on .* AMAZON|^Dispute opened on .*Amazon/);
    expect(handoffRequestOf(confirmed.outcome)).toMatchObject({
      reason: 'sensitive_topic',
      priority: 'normal',
    });
  });
});

describe('failures become safe outcomes', () => {
  it('when the core system is down then the outcome is an error with a customer-safe message', async () => {
    const { UpstreamError } = await import('./core-banking/adapter.js');
    const harness = createToolHarness();
    const failing = new Proxy(harness.bank, {
      get: () => async () => {
        throw new UpstreamError('socket hang up at 10.0.0.5:8443', 'unavailable', 503);
      },
    });
    const context = { ...harness.contextFor('c_123'), adapter: failing };
    const outcome = await executeToolCall(
      { name: 'account_balance', arguments: {} },
      context,
      harness.registry,
    );
    expect(outcome.status).toBe('error');
    expect(outcome.message).toBe(
      'Our banking system is not responding right now. Please try again in a few minutes.',
    );
    expect(harness.auditEvents.at(-1)).toMatchObject({ type: 'tool.failed', reason: 'upstream_unavailable' });
  });

  it('when a tool crashes then no stack trace or internal detail reaches the outcome', async () => {
    const harness = createToolHarness();
    const broken = new Proxy(harness.bank, {
      get: () => async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'acc_123_1')");
      },
    });
    const outcome = await executeToolCall(
      { name: 'card_status', arguments: {} },
      { ...harness.contextFor('c_123'), adapter: broken },
      harness.registry,
    );
    expect(outcome).toEqual({
      tool: 'card_status',
      status: 'error',
      facts: [],
      message: 'Something went wrong while looking that up. Please try again.',
    });
  });
});

describe('ToolRegistry', () => {
  it('when a tool name is registered twice then construction fails fast', async () => {
    const { ToolRegistry } = await import('./registry.js');
    const { listAccountsTool } = await import('./list-accounts.js');
    expect(() => new ToolRegistry([listAccountsTool, listAccountsTool] as never)).toThrow(/registered twice/);
  });

  it('when execute and resolvePending are used then they behave like the free functions', async () => {
    const harness = createToolHarness();
    const context = harness.contextFor('c_123');
    expect((await harness.registry.execute({ name: 'freeze_card', arguments: {} }, context)).status).toBe(
      'needs_confirmation',
    );
    expect((await harness.registry.resolvePending({ text: 'yes' }, context)).kind).toBe('executed');
  });

  it('when specs are produced then they carry no identity or internal fields', () => {
    const harness = createToolHarness();
    const specs = harness.registry.specs();
    expect(specs.map((spec) => spec.name)).toHaveLength(10);
    for (const spec of specs)
      expect(Object.keys(spec.parameters.shape).join(',')).not.toMatch(/customer|user|Id\b/i);
  });
});
