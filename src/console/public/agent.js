import { apiRequest, describeError } from './api.js';
import { announce, byId, element, formatTime, replaceChildren } from './dom.js';
import { setUpSession } from './session.js';

/**
 * How often the queue (and a handoff you hold) is refreshed: two requests per tick at most, which
 * stays well inside the default limit of 30 requests a minute per person with room for actions.
 */
const POLL_MILLISECONDS = 8000;

const state = {
  subject: undefined,
  selectedId: undefined,
  handoff: undefined,
  pollTimer: undefined,
  rendered: new Set(),
};
const errorRegion = byId('handoff-error');

async function loadQueue() {
  const filter = byId('queue-filter').value;
  try {
    const { handoffs } = await apiRequest('GET', `/v1/agent/handoffs${filter ? `?status=${filter}` : ''}`);
    byId('queue-status').textContent = handoffs.length === 1 ? '1 handoff' : `${handoffs.length} handoffs`;
    replaceChildren(
      byId('queue'),
      handoffs.map((handoff) =>
        element(
          'li',
          {},
          element(
            'button',
            {
              type: 'button',
              'aria-current': handoff.id === state.selectedId ? 'true' : 'false',
              dataset: { handoffId: handoff.id },
              onclick: () => void selectHandoff(handoff.id),
            },
            element('span', { className: `badge ${handoff.priority}` }, handoff.priority),
            element('span', { className: 'badge' }, handoff.status),
            ` ${handoff.reason.replaceAll('_', ' ')} · ${handoff.customerId} · ${formatTime(handoff.createdAt)}`,
          ),
        ),
      ),
    );
  } catch (error) {
    announce(byId('queue-status'), describeError(error));
  }
}

function fact(term, value) {
  return [element('dt', {}, term), element('dd', {}, value)];
}

function showHandoff(handoff) {
  state.handoff = handoff;
  byId('handoff-detail').hidden = false;
  byId('handoff-heading').textContent = `Handoff for ${handoff.customerId}`;
  replaceChildren(
    byId('handoff-facts'),
    fact('Priority', handoff.priority),
    fact('Reason', handoff.reason.replaceAll('_', ' ')),
    fact('Why', handoff.explanation),
    fact('Status', handoff.agentId ? `${handoff.status} by ${handoff.agentId}` : handoff.status),
    handoff.intent ? fact('Intent', handoff.intent) : [],
    handoff.emotions.length ? fact('Emotional cues', handoff.emotions.join(', ')) : [],
  );
  byId('handoff-summary').textContent = handoff.summary;
  const transcript = byId('transcript');
  for (const message of handoff.transcript ?? []) {
    if (state.rendered.has(message.id)) continue;
    state.rendered.add(message.id);
    transcript.append(
      element(
        'li',
        { dataset: { author: message.author } },
        element('strong', {}, `${message.author} · ${formatTime(message.createdAt)}: `),
        message.text,
      ),
    );
  }
  const mine = handoff.status === 'claimed' && handoff.agentId === state.subject;
  byId('claim').disabled = handoff.status !== 'open';
  byId('resolve').disabled = !mine;
  byId('send-reply').disabled = !mine;
  byId('reply-input').disabled = !mine;
}

async function selectHandoff(id) {
  if (id !== state.selectedId) {
    state.rendered.clear();
    replaceChildren(byId('transcript'));
    errorRegion.textContent = '';
  }
  state.selectedId = id;
  try {
    showHandoff(await apiRequest('GET', `/v1/agent/handoffs/${id}`));
    for (const button of byId('queue').querySelectorAll('button')) {
      button.setAttribute('aria-current', String(button.dataset.handoffId === id));
    }
  } catch (error) {
    announce(errorRegion, describeError(error));
  }
}

async function act(path, body, success) {
  errorRegion.textContent = '';
  try {
    await apiRequest('POST', `/v1/agent/handoffs/${state.selectedId}/${path}`, body);
    announce(byId('handoff-status'), success);
    await selectHandoff(state.selectedId);
    await loadQueue();
    return true;
  } catch (error) {
    announce(errorRegion, describeError(error));
    return false;
  }
}

byId('claim').addEventListener(
  'click',
  () => void act('claim', undefined, 'Handoff claimed; you can reply now.'),
);
byId('resolve').addEventListener(
  'click',
  () => void act('resolve', undefined, 'Handoff resolved; Teller resumes the conversation.'),
);
byId('reply-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = byId('reply-input');
  const text = input.value.trim();
  if (!text) return;
  if (await act('messages', { text }, 'Reply sent.')) input.value = '';
  input.focus();
});
byId('reply-input').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    byId('reply-form').requestSubmit();
  }
});
byId('queue-filter').addEventListener('change', () => void loadQueue());
byId('refresh-queue').addEventListener('click', () => void loadQueue());

setUpSession({
  requiredRole: 'agent',
  onSignedIn: async (principal) => {
    state.subject = principal.subject;
    await loadQueue();
    window.clearInterval(state.pollTimer);
    state.pollTimer = window.setInterval(() => {
      if (document.hidden) return;
      void loadQueue();
      // Only a handoff you hold can change under you in ways you must see (new customer messages).
      if (state.handoff?.status === 'claimed' && state.handoff.agentId === state.subject) {
        void selectHandoff(state.selectedId);
      }
    }, POLL_MILLISECONDS);
  },
  onSignedOut: () => {
    window.clearInterval(state.pollTimer);
    state.selectedId = undefined;
    byId('handoff-detail').hidden = true;
  },
});
