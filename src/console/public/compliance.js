import { apiRequest, describeError } from './api.js';
import { announce, byId, element, formatTime, replaceChildren } from './dom.js';
import { renderMarkdown, splitFrontMatter } from './markdown.js';
import { setUpSession } from './session.js';

/** Validation runs this long after the last keystroke, so typing is not a request per key. */
const VALIDATE_AFTER_MILLISECONDS = 700;

const ACTION_DONE = {
  approve: 'Approved.',
  published: 'Published.',
  retired: 'Retired.',
  retire: 'Retirement requested: another compliance officer must approve it, then Publish applies it.',
};
const BASE_PATHS = { document: '/v1/admin/documents', policy: '/v1/admin/policies' };
/** The body field that carries the text, per kind, in the admin API. */
const CONTENT_FIELDS = { document: 'markdown', policy: 'yaml' };

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

/** Published status, or `new` for something that exists only as a draft. */
function documentStatus(item) {
  return field(item, 'status') ?? (item?.hasDraft ? 'new' : 'unknown');
}

const DRAFT_LABELS = { pending_approval: 'draft awaiting approval', approved: 'draft approved' };

function listItem(kind, item) {
  const id = field(item, 'id');
  const status = documentStatus(item);
  const draftStatus = item?.hasDraft ? (DRAFT_LABELS[item.draftStatus] ?? 'draft') : undefined;
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
      draftStatus ? element('span', { className: 'badge draft' }, draftStatus) : undefined,
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

const STATUS_GROUPS = [
  ['new', 'New (draft only)'],
  ['draft', 'Draft'],
  ['approved', 'Approved'],
  ['retired', 'Retired'],
  ['unknown', 'Unreadable'],
];

/** Documents grouped by published status, each group a headed list. */
function renderDocumentList() {
  const filter = byId('status-filter').value;
  const visible = state.documents.filter(
    (item) => !filter || documentStatus(item) === filter || (filter === 'draft' && item.hasDraft === true),
  );
  byId('library-status').textContent = `${visible.length} of ${state.documents.length} documents`;
  replaceChildren(
    byId('documents'),
    STATUS_GROUPS.map(([status, label]) => {
      const members = visible.filter((item) => documentStatus(item) === status);
      if (members.length === 0) return undefined;
      const headingId = `documents-${status}`;
      return [
        element('h3', { id: headingId }, `${label} (${members.length})`),
        element(
          'ul',
          { className: 'list', 'aria-labelledby': headingId },
          members.map((item) => listItem('document', item)),
        ),
      ];
    }),
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
      kind: state.kind,
      [CONTENT_FIELDS[state.kind]]: source.value,
      ...(state.id && { id: state.id }),
    });
    if (run === state.validationRun) showIssues(result.ok, listFrom(result, 'errors', 'issues'));
  } catch (error) {
    if (run === state.validationRun) byId('validation-summary').textContent = describeError(error);
  }
}

/** Lists line-numbered problems next to the editor. */
function showIssues(ok, errors) {
  const summary = byId('validation-summary');
  summary.textContent = ok
    ? 'Front matter and body are valid.'
    : `${errors.length} problem${errors.length === 1 ? '' : 's'} to fix before saving:`;
  summary.className = ok ? 'ok-text' : 'error-text';
  replaceChildren(
    byId('validation-errors'),
    errors.map((issue) =>
      element('li', {}, issue.line ? `Line ${issue.line}: ${issue.message}` : issue.message),
    ),
  );
}

function onSourceInput() {
  renderPreview();
  window.clearTimeout(state.validateTimer);
  state.validateTimer = window.setTimeout(() => void validate(), VALIDATE_AFTER_MILLISECONDS);
}

/**
 * A published text turned into the start of a new draft: the API requires `status: draft` and no
 * `approved_by` in a draft (publishing stamps both), so the editor starts from a saveable text.
 */
export function asDraft(text) {
  const lines = text.split('\n');
  // Documents wrap the header in `---` lines; policy files put it first and end it with `---`.
  const start = lines[0] === '---' ? 1 : 0;
  const end = lines.indexOf('---', start);
  if (end < 0) return text;
  const header = lines
    .slice(start, end)
    .filter((line) => !/^approved_by:/.test(line))
    .map((line) => (/^status:/.test(line) ? 'status: draft' : line));
  return [...lines.slice(0, start), ...header, ...lines.slice(end)].join('\n');
}

function describeState(detail) {
  const published = field(detail, 'published');
  const draft = field(detail, 'draft');
  const parts = [];
  parts.push(published ? `Published version ${field(published, 'version') ?? '?'}` : 'Never published');
  if (draft) {
    const approvedBy = field(draft, 'approvedBy');
    const editors = field(draft, 'editors') ?? [field(draft, 'author')];
    const retiring = field(draft, 'change') === 'retire';
    parts.push(
      (retiring
        ? `retirement requested by ${editors.join(', ')} (reason: ${field(draft, 'reason') ?? '?'})`
        : `draft revision ${field(draft, 'revision')} edited by ${editors.join(', ')}`) +
        (approvedBy ? `, approved by ${approvedBy}` : ', awaiting approval by someone else') +
        (field(draft, 'stale') ? ' (the published version changed since; review again)' : ''),
    );
  } else {
    parts.push('no open draft: editing starts a new one from the published text');
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
    const title = field(field(published, 'frontMatter'), 'title') ?? id;
    byId('document-heading').textContent = `${kind === 'policy' ? 'Policy' : 'Document'}: ${title}`;
    byId('document-state').textContent = describeState(detail);
    showGuardrailWarnings(field(draft, 'guardrailWarnings') ?? []);
    source.value = textOf(draft) ?? (textOf(published) ? asDraft(textOf(published)) : '');
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

/** Says, in words, which guardrails the open change turns off or weakens (policies only). */
function showGuardrailWarnings(warnings) {
  const box = byId('guardrail-warnings');
  box.hidden = warnings.length === 0;
  byId('acknowledge-guardrails').checked = false;
  replaceChildren(
    byId('guardrail-warning-list'),
    warnings.map((warning) => element('li', {}, [String(field(warning, 'message') ?? '')])),
  );
}

/** Runs `work`; `label` is the announcement, or a function of the result that chooses it. */
async function runAction(label, work) {
  actionError.textContent = '';
  try {
    const result = await work();
    announce(byId('action-status'), typeof label === 'function' ? label(result) : label);
    await openArtifact(state.kind, state.id);
    await loadLists();
  } catch (error) {
    announce(actionError, describeError(error));
  }
}

function basePath() {
  return `${BASE_PATHS[state.kind]}/${encodeURIComponent(state.id)}`;
}

/** The draft revision this editor started from: 0 when there was no draft (lost-update check). */
function draftRevision() {
  return field(field(state.detail, 'draft'), 'revision') ?? 0;
}

byId('save-draft').addEventListener('click', () =>
  runAction('Draft saved.', async () => {
    try {
      await apiRequest('PUT', `${basePath()}/draft`, {
        [CONTENT_FIELDS[state.kind]]: source.value,
        expectedRevision: draftRevision(),
      });
    } catch (error) {
      if (error.details?.length) showIssues(false, error.details);
      throw error;
    }
  }),
);
byId('approve').addEventListener('click', () =>
  // The revision on screen is the one reviewed; a draft changed since then is not approved.
  runAction(ACTION_DONE.approve, () =>
    apiRequest('POST', `${basePath()}/approve`, {
      expectedRevision: draftRevision(),
      ...(byId('acknowledge-guardrails').checked && { acknowledgeGuardrailsOff: true }),
    }),
  ),
);
byId('publish').addEventListener('click', () =>
  // Publishing applies whichever change was approved: a new version, or a retirement.
  runAction(
    (result) => (result?.action === 'retired' ? ACTION_DONE.retired : ACTION_DONE.published),
    () => apiRequest('POST', `${basePath()}/publish`),
  ),
);
byId('retire').addEventListener('click', () => {
  const reason = byId('retire-reason').value.trim();
  if (reason.length < 3) {
    announce(actionError, 'Give a reason for retiring (at least 3 characters) before retiring.');
    byId('retire-reason').focus();
    return;
  }
  void runAction(ACTION_DONE.retire, () => apiRequest('POST', `${basePath()}/retire`, { reason }));
});

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
            if (typeof why.fusedScore === 'number') parts.push(`fused ${why.fusedScore.toFixed(4)}`);
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
