import { InMemoryPendingActionStore } from '../store/pending-action-store.js';
import { createDemoBank } from '../tools/core-banking/demo-bank.js';
import { createDefaultToolRegistry } from '../tools/default-tools.js';
import type { ToolAuditEvent, ToolContext } from '../tools/define-tool.js';
import type { Principal } from '../turn/types.js';

/**
 * A demo bank plus a context factory and a recorded audit trail, shared by the tools' tests and
 * the tools eval. Everything is in memory and deterministic.
 */
export function createToolHarness(options: { today?: string } = {}) {
  const { bank, now: fixedNow, today } = createDemoBank(options);
  let clock = fixedNow();
  const now = () => clock;
  const auditEvents: ToolAuditEvent[] = [];
  const pendingActions = new InMemoryPendingActionStore();
  const registry = createDefaultToolRegistry();
  const contextFor = (
    customerId: string,
    conversationId = `conv_${customerId}`,
    overrides: Partial<Principal> = {},
  ): ToolContext => ({
    principal: { subject: customerId, roles: ['customer'], stepUp: false, ...overrides },
    conversationId,
    adapter: bank,
    audit: (event) => auditEvents.push(event),
    pendingActions,
    now,
  });
  return {
    bank,
    today,
    registry,
    pendingActions,
    auditEvents,
    contextFor,
    /** Moves the shared clock forward, e.g. past a confirmation's expiry. */
    advance(milliseconds: number) {
      clock = new Date(clock.getTime() + milliseconds);
    },
  };
}
