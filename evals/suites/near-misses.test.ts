import { describe, expect, it } from 'vitest';
import { routerStage } from '../../src/composition/account-stages.js';
import {
  asksForAction,
  isStateChangingIntent,
  STATE_CHANGING_INTENTS,
} from '../../src/routing/action-request.js';
import { createIntentRouter } from '../../src/routing/intent-router.js';
import { createDefaultToolRegistry } from '../../src/tools/default-tools.js';
import { loadNearMisses } from './security.js';

/**
 * The near-miss table of the security suite, checked fast: the router stage as the server builds
 * it must not route any near miss to a state-changing tool, and the request check the LLM tool
 * loop uses must not let a model propose one either. Explicit requests must still get through.
 */
describe('near misses never propose a state change', () => {
  const table = loadNearMisses();
  const registry = createDefaultToolRegistry();
  const stage = routerStage(createIntentRouter({ now: () => new Date('2026-11-25T10:00:00Z') }), registry);
  const proposedTool = async (text: string) => {
    const route = await stage.route(text, []);
    return route.kind === 'tool' && route.tool && isStateChangingIntent(route.tool.name)
      ? route.tool.name
      : undefined;
  };

  it('when the table is loaded then it has at least 50 near misses of our own', () => {
    expect(table.near_misses.length).toBeGreaterThanOrEqual(50);
  });

  it.each(table.near_misses)('when "%s" then the router proposes nothing', async (text) => {
    expect(await proposedTool(text)).toBeUndefined();
  });

  it.each(table.near_misses)('when "%s" then a model could not propose a state change either', (text) => {
    expect(STATE_CHANGING_INTENTS.filter((intent) => asksForAction(text, intent))).toEqual([]);
  });

  it.each(table.true_requests)('when "$text" then it asks for $tool', ({ text, tool }) => {
    expect(asksForAction(text, tool)).toBe(true);
  });

  it('when explicit requests are routed then at least 90% propose their own action', async () => {
    const proposed = await Promise.all(table.true_requests.map(({ text }) => proposedTool(text)));
    const missed = table.true_requests.filter(({ tool }, index) => proposed[index] !== tool);
    expect(
      missed.length / table.true_requests.length,
      `missed: ${missed.map((row) => row.text).join(' | ')}`,
    ).toBeLessThanOrEqual(0.1);
  });
});
