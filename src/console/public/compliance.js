import { apiRequest, describeError } from './api.js';
import { announce, byId, element, formatTime, replaceChildren } from './dom.js';
import { renderMarkdown, splitFrontMatter } from './markdown.js';
import { setUpSession } from './session.js';

/** Validation runs this long after the last keystroke, so typing is not a request per key. */
const VALIDATE_AFTER_MILLISECONDS = 400;

const ACTION_DONE = { approve: 'Approved.', publish: 'Published.', retire: 'Retired.' };
const BASE_PATHS = { document: '/v1/admin/documents', policy: '/v1/admin/policies' };

const state = {
  kind: 'document',
  id: undefined,
  detail: undefined,
  validateTimer: undefined,
  validationRun: 0,
  documents: [],
};

const source = byId('source');
const actionError = byId('action-error');

/** The first present field of `record` among `names`: the list and read shapes name text differently. */
function field(record, ...names) {
  if (!record || typeof record !== 'object') return undefined;
  for (const name of names) if (record[name] !== undefined && record[name] !== null) return record[name];
  return undefined;
}

function listFrom(body, ...names) {
  if (Array.isArray(body)) return body;
  const list = field(body, ...names);
  return Array.isArray(list) ? list : [];
}

function textOf(version) {
  return typeof version === 'string' ? version : field(version, 'markdown', 'content', 'text', 'source');
}

function documentStatus(item) {
  return field(item, 'status', 'publishedStatus') ?? (field(item, 'draft') ? 'draft' : 'unknown');
}

function listItem(kind, item) {
  const id = field(item, 'id', 'documentId', 'policyId');
  const status = documentStatus(item);
  const hasDraft = Boolean(field(item, 'hasDraft', 'draft', 'draftRevision'));
  return element(
    'li',
    {},
    element(
      'button',
      {
        type: 'button',
        'aria-current': String(kind === state.kind && id === state.id),
        dataset: { artifactId: id, kind },
        onclick: () => void openArtifact(kind, id),
      },
      element('span', { className: `badge ${status}` }, status),
      hasDraft && status !== 'draft'
        ? element('span', { className: 'badge draft' }, 'draft pending')
        : undefined,
      ` ${field(item, 'title') ?? id}`,
      field(item, 'version') ? ` (v${field(item, 'version')})` : '',
    ),
  );
}

async function loadLists() {
  try {
    const [documents, policies] = await Promise.all([
      apiRequest('GET', BASE_PATHS.document),
      apiRequest('GET', BASE_PATHS.policy),
    ]);
    state.documents = listFrom(documents, 'documents', 'items');
    renderDocumentList();
    replaceChildren(
      byId('policies'),
      listFrom(policies, 'policies', 'items').map((item) => listItem('policy', item)),
    );
  } catch (error) {
    announce(byId('library-status'), describeError(error));
  }
}

function renderDocumentList() {
  const filter = byId('status-filter').value;
  const visible = state.documents.filter((item) => {
    if (!filter) return true;
    return (
      documentStatus(item) === filter || (filter === 'draft' && Boolean(field(item, 'hasDraft', 'draft')))
    );
  });
  byId('library-status').textContent = `${visible.length} of ${state.documents.length} documents`;
  replaceChildren(
    byId('documents'),
    visible.map((item) => listItem('document', item)),
  );
}

function renderPreview() {
  const preview = byId('preview');
  if (state.kind === 'policy') {
    replaceChildren(preview, element('pre', { className: 'front-matter' }, source.value));
    return;
  }
  const { frontMatter, body } = splitFrontMatter(source.value);
  // renderMarkdown escapes all source text before adding its own tags, so nothing in a document runs.
  preview.innerHTML = renderMarkdown(body);
  if (frontMatter !== undefined) {
    preview.prepend(element('pre', { className: 'front-matter', 'aria-label': 'Front matter' }, frontMatter));
  }
}

async function validate() {
  const run = ++state.validationRun;
  try {
    const result = await apiRequest('POST', '/v1/admin/validate', {
      markdown: source.value,
      kind: state.kind,
    });
    if (run !== state.validationRun) return;
    const errors = listFrom(result, 'errors', 'issues');
    byId('validation-summary').textContent = result.ok
      ? 'Front matter and body are valid.'
      : `${errors.length} problem${errors.length === 1 ? '' : 's'} to fix before approval:`;
    byId('validation-summary').className = result.ok ? 'ok-text' : 'error-text';
    replaceChildren(
      byId('validation-errors'),
      errors.map((issue) =>
        element('li', {}, issue.line ? `Line ${issue.line}: ${issue.message}` : issue.message),
      ),
    );
  } catch (error) {
    if (run === state.validationRun) byId('validation-summary').textContent = describeError(error);
  }
}

function onSourceInput() {
  renderPreview();
  window.clearTimeout(state.validateTimer);
  state.validateTimer = window.setTimeout(() => void validate(), VALIDATE_AFTER_MILLISECONDS);
}

function describeState(detail) {
  const published = field(detail, 'published');
  const draft = field(detail, 'draft');
  const parts = [];
  parts.push(published ? `Published version ${field(published, 'version') ?? '?'}` : 'Never published');
  if (draft) {
    const approvedBy = field(draft, 'approvedBy', 'approved_by');
    const revision = field(draft, 'revision');
    parts.push(
      `draft${revision ? ` revision ${revision}` : ''} by ${field(draft, 'author') ?? 'unknown'}` +
        (approvedBy ? `, approved by ${approvedBy}` : ', awaiting approval'),
    );
  } else {
    parts.push('no open draft');
  }
  return parts.join(' · ');
}

async function openArtifact(kind, id) {
  state.kind = kind;
  state.id = id;
  actionError.textContent = '';
  byId('diff-section').hidden = true;
  byId('history-section').hidden = true;
  try {
    const detail = await apiRequest('GET', `${BASE_PATHS[kind]}/${encodeURIComponent(id)}`);
    state.detail = detail;
    byId('document-detail').hidden = false;
    const published = field(detail, 'published');
    const draft = field(detail, 'draft');
    byId('document-heading').textContent =
      `${kind === 'policy' ? 'Policy' : 'Document'}: ${field(published, 'title') ?? field(draft, 'title') ?? id}`;
    byId('document-state').textContent = describeState(detail);
    source.value = textOf(draft) ?? textOf(published) ?? '';
    renderPreview();
    void validate();
    for (const button of document.querySelectorAll('#documents button, #policies button')) {
      button.setAttribute(
        'aria-current',
        String(button.dataset.kind === kind && button.dataset.artifactId === id),
      );
    }
  } catch (error) {
    announce(actionError, describeError(error));
  }
}

async function runAction(label, work) {
  actionError.textContent = '';
  try {
    await work();
    announce(byId('action-status'), label);
    await openArtifact(state.kind, state.id);
    await loadLists();
  } catch (error) {
    announce(actionError, describeError(error));
  }
}

function basePath() {
  return `${BASE_PATHS[state.kind]}/${encodeURIComponent(state.id)}`;
}

function draftRevision() {
  return field(field(state.detail, 'draft'), 'revision');
}

byId('save-draft').addEventListener('click', () =>
  runAction('Draft saved.', () => {
    const revision = draftRevision();
    return apiRequest('PUT', `${basePath()}/draft`, {
      markdown: source.value,
      ...(revision !== undefined && { revision }),
    });
  }),
);
for (const action of ['approve', 'publish', 'retire']) {
  byId(action).addEventListener('click', () => {
    if (
      action === 'retire' &&
      !window.confirm('Retire this document? Customers will no longer get answers from it.')
    )
      return;
    void runAction(ACTION_DONE[action], () => apiRequest('POST', `${basePath()}/${action}`, {}));
  });
}

function renderDiff(body) {
  const diff = byId('diff');
  const text = typeof body === 'string' ? body : field(body, 'diff', 'unified', 'patch');
  const lines = typeof text === 'string' ? text.split('\n') : listFrom(body, 'lines', 'changes', 'hunks');
  if (lines.length === 0 || (lines.length === 1 && lines[0] === '')) {
    diff.textContent = 'No differences from the published version.';
    return;
  }
  replaceChildren(
    diff,
    lines.map((line) => {
      const lineText =
        typeof line === 'string'
          ? line
          : `${line.type === 'added' ? '+' : line.type === 'removed' ? '-' : ' '} ${field(line, 'text', 'value', 'line') ?? ''}`;
      const kind = /^\+(?!\+\+)/.test(lineText) ? 'added' : /^-(?!--)/.test(lineText) ? 'removed' : '';
      return element('span', { className: kind || 'context' }, lineText, '\n');
    }),
  );
}

byId('show-diff').addEventListener('click', async () => {
  try {
    renderDiff(await apiRequest('GET', `${basePath()}/diff`));
    byId('diff-section').hidden = false;
  } catch (error) {
    announce(actionError, describeError(error));
  }
});

function table(rows, columns) {
  if (rows.length === 0) return element('p', { className: 'muted' }, 'Nothing recorded yet.');
  return element(
    'table',
    {},
    element(
      'thead',
      {},
      element(
        'tr',
        {},
        columns.map(([label]) => element('th', { scope: 'col' }, label)),
      ),
    ),
    element(
      'tbody',
      {},
      rows.map((row) =>
        element(
          'tr',
          {},
          columns.map(([, read]) => element('td', {}, read(row) ?? '')),
        ),
      ),
    ),
  );
}

byId('show-history').addEventListener('click', async () => {
  try {
    const history = await apiRequest('GET', `${basePath()}/history`);
    replaceChildren(
      byId('versions'),
      table(listFrom(history, 'versions', 'history'), [
        ['Version', (row) => field(row, 'version')],
        ['Action', (row) => field(row, 'action')],
        ['Drafted by', (row) => field(row, 'draftedBy')],
        ['Approved by', (row) => field(row, 'approvedBy')],
        ['By', (row) => field(row, 'actor')],
        ['When', (row) => formatTime(field(row, 'at', 'createdAt'))],
      ]),
    );
    replaceChildren(
      byId('audit'),
      table(listFrom(history, 'audit', 'auditTrail', 'events'), [
        ['When', (row) => formatTime(field(row, 'at', 'createdAt', 'timestamp'))],
        ['Who', (row) => field(row, 'actor')],
        ['What', (row) => field(row, 'action')],
        [
          'Details',
          (row) => {
            const details = field(row, 'details');
            return details ? JSON.stringify(details) : '';
          },
        ],
      ]),
    );
    byId('history-section').hidden = false;
  } catch (error) {
    announce(actionError, describeError(error));
  }
});

byId('search-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const query = byId('search-query').value.trim();
  if (!query) return;
  try {
    const result = await apiRequest('POST', '/v1/admin/search', { query });
    const hits = listFrom(result, 'hits', 'chunks', 'results');
    byId('search-status').textContent = `${hits.length} passages retrieved, best first.`;
    replaceChildren(
      byId('search-results'),
      table(hits, [
        ['Score', (hit) => (typeof hit.score === 'number' ? hit.score.toFixed(4) : hit.score)],
        [
          'Document',
          (hit) =>
            `${field(hit, 'title') ?? ''} (${field(hit, 'documentId')} v${field(hit, 'version') ?? '?'})`,
        ],
        ['Section', (hit) => field(hit, 'section')],
        [
          'Why',
          (hit) => {
            const why = field(hit, 'why');
            if (!why) return '';
            const parts = [];
            if (why.sparseRank) parts.push(`keyword rank ${why.sparseRank}`);
            if (why.denseRank) parts.push(`meaning rank ${why.denseRank}`);
            if (why.notes?.length) parts.push(why.notes.join('; '));
            return parts.join(', ');
          },
        ],
        ['Passage', (hit) => field(hit, 'text')],
      ]),
    );
  } catch (error) {
    announce(byId('search-status'), describeError(error));
  }
});

source.addEventListener('input', onSourceInput);
byId('status-filter').addEventListener('change', renderDocumentList);

setUpSession({
  requiredRole: 'compliance',
  onSignedIn: async () => {
    await loadLists();
  },
  onSignedOut: () => {
    byId('document-detail').hidden = true;
    state.id = undefined;
  },
});
