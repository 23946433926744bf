import { apiRequest, describeError } from './api.js';
import { announce, byId, element, formatTime, replaceChildren } from './dom.js';
import { renderMarkdown } from './markdown.js';
import { setUpSession } from './session.js';

/** How often to look for a staff reply while a person has the conversation. */
const POLL_MILLISECONDS = 4000;

const AUTHOR_LABELS = { customer: 'You', assistant: 'Teller', agent: 'Teller team member', system: 'Teller' };
const REASON_LABELS = {
  explicit_request: 'you asked to speak to a person',
  low_confidence: 'we want a person to check this answer',
  emotional_distress: 'this sounds difficult and a person can help',
  vulnerability: 'a person can give you extra support',
  repeated_failure: 'we could not answer well enough',
  sensitive_topic: 'this topic needs a person',
  guardrail: 'this request needs a person',
  tool_requested: 'this request needs a person',
};

/** The reasons the API accepts with a rating (`RATING_REASONS` in src/store/turn-records.ts). */
const RATING_REASON_LABELS = {
  not_accurate: 'It was not accurate',
  not_relevant: 'It did not answer my question',
  too_vague: 'It was too vague',
  hard_to_understand: 'It was hard to understand',
  wanted_a_person: 'I wanted to speak to a person',
  other: 'Something else',
};

const state = {
  subject: undefined,
  conversationId: undefined,
  status: undefined,
  rendered: new Set(),
  /** Citations from turn responses, by message id, in case the transcript omits them. */
  citations: new Map(),
  pollTimer: undefined,
  refreshing: false,
  /** Why the latest handoff happened, as the turn reported it. */
  handoffReason: undefined,
};

const messagesList = byId('messages');
const input = byId('message-input');
const chatError = byId('chat-error');

const conversationKey = () => `teller.console.conversation.${state.subject}`;

function citationList(citations) {
  if (!citations?.length) return undefined;
  return element(
    'div',
    {},
    element('span', { className: 'muted' }, 'Sources:'),
    element(
      'ul',
      { className: 'citations' },
      citations.map((citation) =>
        element(
          'li',
          {},
          element(
            'a',
            {
              href: `#document=${encodeURIComponent(citation.documentId)}`,
              dataset: { documentId: citation.documentId },
              onclick: (event) => {
                event.preventDefault();
                void openDocument(citation.documentId);
              },
            },
            `${citation.title} (version ${citation.version})`,
          ),
          citation.section ? ` – ${citation.section}` : '',
        ),
      ),
    ),
  );
}

function messageItem(message) {
  const citations = message.citations?.length ? message.citations : state.citations.get(message.id);
  return element(
    'li',
    { className: `message ${message.author}`, dataset: { messageId: message.id, author: message.author } },
    element(
      'span',
      { className: 'author' },
      `${AUTHOR_LABELS[message.author] ?? message.author} · ${formatTime(message.createdAt)}`,
    ),
    element('p', {}, message.text),
    citationList(citations),
    message.author === 'assistant' ? feedbackControls(message.id) : undefined,
  );
}

/**
 * Thumbs up or down under an answer, and for "not helpful" an optional reason from the API's
 * list. Rating again replaces the earlier rating, so the buttons can be pressed in any order.
 */
function feedbackControls(messageId) {
  const status = element('span', { className: 'muted feedback-status', role: 'status' });
  const reason = element(
    'select',
    { 'aria-label': 'What was wrong with this answer? (optional)', hidden: true },
    element('option', { value: '' }, 'What was wrong? (optional)'),
    Object.entries(RATING_REASON_LABELS).map(([value, label]) => element('option', { value }, label)),
  );
  const helpful = element(
    'button',
    { type: 'button', className: 'secondary', 'aria-pressed': 'false' },
    '👍 Helpful',
  );
  const notHelpful = element(
    'button',
    { type: 'button', className: 'secondary', 'aria-pressed': 'false' },
    '👎 Not helpful',
  );
  const rate = async (rating, reasonValue) => {
    try {
      await apiRequest('POST', `/v1/conversations/${state.conversationId}/turns/${messageId}/feedback`, {
        rating,
        ...(reasonValue && { reason: reasonValue }),
      });
      helpful.setAttribute('aria-pressed', String(rating === 'helpful'));
      notHelpful.setAttribute('aria-pressed', String(rating === 'not_helpful'));
      reason.hidden = rating !== 'not_helpful';
      status.textContent = 'Thank you for your feedback.';
    } catch (error) {
      status.textContent = describeError(error);
    }
  };
  helpful.addEventListener('click', () => void rate('helpful'));
  notHelpful.addEventListener('click', () => void rate('not_helpful', reason.value));
  reason.addEventListener('change', () => void rate('not_helpful', reason.value));
  return element(
    'div',
    { className: 'feedback', role: 'group', 'aria-label': 'Was this answer helpful?' },
    helpful,
    notHelpful,
    reason,
    status,
  );
}

function showStatus(status) {
  state.status = status;
  const banner = byId('handoff-banner');
  if (status === 'handed_off') {
    banner.hidden = false;
    const because = state.handoffReason
      ? ` because ${REASON_LABELS[state.handoffReason] ?? 'a person can help'}`
      : '';
    banner.textContent = `A member of our team has been asked to join${because}. Their replies will appear here.`;
  } else {
    banner.hidden = true;
  }
  byId('conversation-status').textContent = state.conversationId
    ? `Conversation ${status === 'handed_off' ? 'with our team' : status}`
    : 'No conversation yet';
}

/** Fetches the transcript and appends messages not shown yet, so live regions announce only new ones. */
async function refresh() {
  if (!state.conversationId || state.refreshing) return;
  state.refreshing = true;
  try {
    const conversation = await apiRequest('GET', `/v1/conversations/${state.conversationId}`);
    for (const pending of messagesList.querySelectorAll('[data-pending]')) pending.remove();
    for (const message of conversation.messages) {
      if (state.rendered.has(message.id)) continue;
      state.rendered.add(message.id);
      messagesList.append(messageItem(message));
    }
    messagesList.scrollTop = messagesList.scrollHeight;
    showStatus(conversation.status);
  } catch (error) {
    if (error.status === 404) forgetConversation();
    else announce(chatError, describeError(error));
  } finally {
    state.refreshing = false;
  }
}

function forgetConversation() {
  state.conversationId = undefined;
  state.rendered.clear();
  state.citations.clear();
  window.sessionStorage.removeItem(conversationKey());
  replaceChildren(messagesList);
  showStatus(undefined);
}

async function startConversation() {
  const conversation = await apiRequest('POST', '/v1/conversations');
  forgetConversation();
  state.conversationId = conversation.id;
  window.sessionStorage.setItem(conversationKey(), conversation.id);
  showStatus(conversation.status);
}

async function send(text) {
  const sendButton = byId('send');
  sendButton.disabled = true;
  chatError.textContent = '';
  try {
    if (!state.conversationId) await startConversation();
    messagesList.append(
      element(
        'li',
        { className: 'message customer', dataset: { pending: 'true' } },
        element('span', { className: 'author' }, 'You · sending…'),
        element('p', {}, text),
      ),
    );
    input.value = '';
    const result = await apiRequest('POST', `/v1/conversations/${state.conversationId}/messages`, { text });
    if (result.citations?.length) state.citations.set(result.messageId, result.citations);
    if (result.handoff) state.handoffReason = result.handoff.reason;
    await refresh();
  } catch (error) {
    for (const pending of messagesList.querySelectorAll('[data-pending]')) pending.remove();
    if (!input.value) input.value = text;
    announce(chatError, describeError(error));
  } finally {
    sendButton.disabled = false;
    input.focus();
  }
}

async function openDocument(documentId) {
  const dialog = byId('document-dialog');
  try {
    const document = await apiRequest('GET', `/console/api/documents/${encodeURIComponent(documentId)}`);
    byId('document-title').textContent = document.title;
    byId('document-version').textContent = `Version ${document.version} · ${document.id}`;
    // The renderer escapes all source text before adding its own tags, so this cannot inject markup.
    byId('document-body').innerHTML = renderMarkdown(document.body);
  } catch (error) {
    byId('document-title').textContent = 'Policy document unavailable';
    byId('document-version').textContent = '';
    byId('document-body').textContent = describeError(error);
  }
  if (!dialog.open) dialog.showModal();
}

function startPolling() {
  window.clearInterval(state.pollTimer);
  state.pollTimer = window.setInterval(() => {
    // Poll only while a person has the conversation and someone is looking, to stay within rate limits.
    if (state.status === 'handed_off' && !document.hidden) void refresh();
  }, POLL_MILLISECONDS);
}

byId('composer').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (text) void send(text);
});
input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    byId('composer').requestSubmit();
  }
});
byId('new-conversation').addEventListener('click', async () => {
  try {
    await startConversation();
    input.focus();
  } catch (error) {
    announce(chatError, describeError(error));
  }
});

setUpSession({
  requiredRole: 'customer',
  onSignedIn: async (principal) => {
    state.subject = principal.subject;
    forgetConversationView();
    state.conversationId = window.sessionStorage.getItem(conversationKey()) ?? undefined;
    showStatus(undefined);
    await refresh();
    startPolling();
    const linked = /^#document=([a-z0-9-]+)$/.exec(window.location.hash);
    if (linked) void openDocument(linked[1]);
  },
  onSignedOut: () => {
    window.clearInterval(state.pollTimer);
    forgetConversationView();
    state.conversationId = undefined;
  },
});

function forgetConversationView() {
  state.rendered.clear();
  state.citations.clear();
  replaceChildren(messagesList);
}
