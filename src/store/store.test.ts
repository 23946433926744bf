import { describe, expect, it } from 'vitest';
import { SqliteAuditLog } from './audit-log.js';
import { ConversationStore } from './conversation-store.js';
import { openDatabase } from './database.js';
import { HandoffQueue, HandoffTransitionError } from './handoff-queue.js';

describe('audit log', () => {
  it('when someone tries to change or delete a record then the database refuses', () => {
    const database = openDatabase(':memory:');
    const audit = new SqliteAuditLog(database);
    audit.record({ actor: 'c_1', action: 'turn.completed', subject: 'conv_1' });
    expect(() => database.prepare("UPDATE audit_log SET actor = 'someone else'").run()).toThrow(
      /append-only/,
    );
    expect(() => database.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
  });

  it('when a record is altered behind the triggers then the hash chain shows where', () => {
    const database = openDatabase(':memory:');
    const audit = new SqliteAuditLog(database);
    for (let index = 0; index < 5; index += 1)
      audit.record({ actor: 'c_1', action: `step.${index}`, details: { index } });
    expect(audit.verifyChain()).toBeUndefined();
    database.exec('DROP TRIGGER audit_log_no_update');
    database.prepare('UPDATE audit_log SET details = \'{"index":99}\' WHERE sequence = 3').run();
    expect(audit.verifyChain()).toBe(3);
  });
});

describe('handoff queue', () => {
  function queueWithConversation() {
    const database = openDatabase(':memory:');
    const conversations = new ConversationStore(database);
    const conversation = conversations.create('c_1');
    const handoff = (priority: 'low' | 'normal' | 'high' | 'urgent') => ({
      conversationId: conversation.id,
      customerId: 'c_1',
      reason: 'explicit_request' as const,
      priority,
      explanation: 'asked for a person',
      summary: 'summary',
      intent: null,
      emotions: [],
    });
    return { queue: new HandoffQueue(database), handoff };
  }

  it('lists the most urgent first, then the oldest', () => {
    const { queue, handoff } = queueWithConversation();
    const low = queue.open(handoff('low'));
    const urgent = queue.open(handoff('urgent'));
    const normal = queue.open(handoff('normal'));
    expect(queue.list('open').map((record) => record.id)).toEqual([urgent.id, normal.id, low.id]);
  });

  it('when two agents claim the same handoff then the second gets a conflict', () => {
    const { queue, handoff } = queueWithConversation();
    const record = queue.open(handoff('high'));
    expect(queue.claim(record.id, 'agent_1').agentId).toBe('agent_1');
    expect(() => queue.claim(record.id, 'agent_2')).toThrow(HandoffTransitionError);
  });

  it('when an agent who did not claim it resolves a handoff then it is refused', () => {
    const { queue, handoff } = queueWithConversation();
    const record = queue.open(handoff('normal'));
    queue.claim(record.id, 'agent_1');
    expect(() => queue.resolve(record.id, 'agent_2')).toThrow(/not claimed by you/);
    expect(queue.resolve(record.id, 'agent_1').status).toBe('resolved');
    expect(() => queue.claim('hnd_missing', 'agent_1')).toThrow(/does not exist/);
  });
});

describe('conversation store', () => {
  it('keeps messages in order and only shows a conversation to its owner', () => {
    const database = openDatabase(':memory:');
    const store = new ConversationStore(database);
    const conversation = store.create('c_1');
    store.appendMessage(conversation.id, 'customer', 'first');
    store.appendMessage(conversation.id, 'assistant', 'second', { outcome: 'answer' });
    expect(store.messages(conversation.id).map((message) => message.text)).toEqual(['first', 'second']);
    expect(store.messages(conversation.id, 1).map((message) => message.text)).toEqual(['second']);
    expect(store.findForCustomer(conversation.id, 'c_1')?.id).toBe(conversation.id);
    expect(store.findForCustomer(conversation.id, 'c_2')).toBeUndefined();
  });
});
