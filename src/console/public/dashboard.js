import { apiRequest, describeError } from './api.js';
import { announce, byId, element, replaceChildren } from './dom.js';
import { setUpSession } from './session.js';

/**
 * The outcome analytics dashboard: one request to `GET /v1/admin/analytics`, drawn as charts with
 * Chart.js (loaded from the console's own assets as `window.Chart`) and written out as tables, so
 * every figure a chart shows can also be read (and checked) as text.
 */

const DAY_MS = 86_400_000;
const charts = new Map();
const errorRegion = byId('dashboard-error');

const percent = (value) => (value === null || value === undefined ? '–' : `${(value * 100).toFixed(1)}%`);
const duration = (seconds) =>
  seconds === null || seconds === undefined
    ? '–'
    : seconds < 90
      ? `${Math.round(seconds)} s`
      : `${(seconds / 60).toFixed(1)} min`;
const label = (name) => name.replaceAll('_', ' ');
const utcDay = (time) => new Date(time).toISOString().slice(0, 10);

/** Sums counts over buckets by name (and detail), largest first. */
function totalsByName(counts, withDetail = false) {
  const totals = new Map();
  for (const row of counts) {
    const key = withDetail ? `${row.name}\u0000${row.detail ?? ''}` : row.name;
    const existing = totals.get(key) ?? { name: row.name, detail: row.detail, count: 0 };
    existing.count += row.count;
    totals.set(key, existing);
  }
  return [...totals.values()].sort(
    (left, right) => right.count - left.count || left.name.localeCompare(right.name),
  );
}

function drawChart(id, configuration) {
  charts.get(id)?.destroy();
  const chart = new window.Chart(byId(id), {
    ...configuration,
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      ...configuration.options,
    },
  });
  charts.set(id, chart);
}

function kpi(name, value, key) {
  return element('div', { dataset: { kpi: key } }, element('dt', {}, name), element('dd', {}, value));
}

function render(analytics) {
  const { totals, buckets } = analytics;
  replaceChildren(
    byId('kpis'),
    kpi('Turns', String(totals.turns), 'turns'),
    kpi('Containment', percent(totals.containmentRate), 'containment'),
    kpi('Handoff rate', percent(totals.handoffRate), 'handoff-rate'),
    kpi('Honest declines', String(totals.kinds.declined), 'declined'),
    kpi('Clarifying questions', String(totals.kinds.clarify), 'clarify'),
    kpi('Refused', String(totals.kinds.refused), 'refused'),
    kpi('Found helpful', percent(totals.ratings.helpfulShare), 'helpful-share'),
    kpi('Average queue wait', duration(totals.queue.averageWaitSeconds), 'wait'),
    kpi('Average handling', duration(totals.queue.averageHandlingSeconds), 'handling'),
  );

  const periods = buckets.map((bucket) => bucket.start);
  drawChart('containment-chart', {
    type: 'line',
    data: {
      labels: periods,
      datasets: [
        {
          label: 'Containment %',
          data: buckets.map((bucket) =>
            bucket.containmentRate === null ? null : bucket.containmentRate * 100,
          ),
          borderColor: '#1d4ed8',
          backgroundColor: '#1d4ed8',
        },
      ],
    },
    options: { scales: { y: { min: 0, max: 100 } } },
  });
  const reasons = totalsByName(analytics.handoffReasons);
  drawChart('handoff-chart', {
    type: 'bar',
    data: {
      labels: reasons.map((row) => label(row.name)),
      datasets: [{ label: 'Handoffs', data: reasons.map((row) => row.count), backgroundColor: '#b45309' }],
    },
  });
  const rules = totalsByName(analytics.refusalRules).slice(0, 10);
  drawChart('refusal-chart', {
    type: 'bar',
    data: {
      labels: rules.map((row) => row.name),
      datasets: [{ label: 'Refused turns', data: rules.map((row) => row.count), backgroundColor: '#b91c1c' }],
    },
    options: { indexAxis: 'y' },
  });
  drawChart('ratings-chart', {
    type: 'bar',
    data: {
      labels: periods,
      datasets: [
        {
          label: 'Helpful',
          data: buckets.map((bucket) => bucket.ratings.helpful),
          backgroundColor: '#15803d',
        },
        {
          label: 'Not helpful',
          data: buckets.map((bucket) => bucket.ratings.notHelpful),
          backgroundColor: '#9ca3af',
        },
      ],
    },
    options: { scales: { x: { stacked: true }, y: { stacked: true } } },
  });
  const minutes = (seconds) => (seconds === null ? null : seconds / 60);
  drawChart('queue-chart', {
    type: 'bar',
    data: {
      labels: periods,
      datasets: [
        {
          label: 'Average wait',
          data: buckets.map((bucket) => minutes(bucket.queue.averageWaitSeconds)),
          backgroundColor: '#7c3aed',
        },
        {
          label: 'Average handling',
          data: buckets.map((bucket) => minutes(bucket.queue.averageHandlingSeconds)),
          backgroundColor: '#0e7490',
        },
      ],
    },
  });

  replaceChildren(
    byId('periods').tBodies[0],
    buckets.map((bucket) =>
      element(
        'tr',
        { dataset: { period: bucket.start } },
        element('th', { scope: 'row' }, bucket.start),
        element('td', { dataset: { figure: 'turns' } }, String(bucket.turns)),
        element('td', { dataset: { figure: 'containment' } }, percent(bucket.containmentRate)),
        element('td', { dataset: { figure: 'handoffs' } }, String(bucket.kinds.handoff)),
        element('td', { dataset: { figure: 'declined' } }, String(bucket.kinds.declined)),
        element('td', { dataset: { figure: 'clarify' } }, String(bucket.kinds.clarify)),
        element('td', { dataset: { figure: 'refused' } }, String(bucket.kinds.refused)),
        element('td', { dataset: { figure: 'helpful' } }, String(bucket.ratings.helpful)),
        element('td', { dataset: { figure: 'not-helpful' } }, String(bucket.ratings.notHelpful)),
        element('td', { dataset: { figure: 'wait' } }, duration(bucket.queue.averageWaitSeconds)),
        element('td', { dataset: { figure: 'handling' } }, duration(bucket.queue.averageHandlingSeconds)),
      ),
    ),
  );
  replaceChildren(
    byId('handoff-reasons').tBodies[0],
    totalsByName(analytics.handoffReasons, true).map((row) =>
      element(
        'tr',
        { dataset: { reason: row.name } },
        element('td', {}, label(row.name)),
        element('td', {}, row.detail ?? '–'),
        element('td', {}, String(row.count)),
      ),
    ),
  );
  replaceChildren(
    byId('refusal-rules').tBodies[0],
    totalsByName(analytics.refusalRules).map((row) =>
      element(
        'tr',
        { dataset: { rule: row.name } },
        element('td', {}, row.name),
        element('td', {}, String(row.count)),
      ),
    ),
  );
  replaceChildren(
    byId('rating-reasons').tBodies[0],
    totalsByName(analytics.ratingReasons).map((row) =>
      element('tr', {}, element('td', {}, label(row.name)), element('td', {}, String(row.count))),
    ),
  );
  replaceChildren(
    byId('intents').tBodies[0],
    [
      ...totalsByName(analytics.intents).map((row) => ['intent', row]),
      ...totalsByName(analytics.topics).map((row) => ['topic', row]),
    ].map(([kind, row]) =>
      element('tr', {}, element('td', {}, `${kind}: ${row.name}`), element('td', {}, String(row.count))),
    ),
  );
}

/** How many gaps the panel lists (largest first, as the API orders them). */
const GAPS_SHOWN = 10;

function renderGaps(gaps) {
  const shown = gaps.slice(0, GAPS_SHOWN);
  byId('gaps-status').textContent =
    gaps.length === 0
      ? 'No knowledge gaps in the last 14 days.'
      : `${shown.length} of ${gaps.length} gaps, largest first.`;
  replaceChildren(
    byId('knowledge-gaps').tBodies[0],
    shown.map((gap) =>
      element(
        'tr',
        { dataset: { gap: gap.id } },
        element('th', { scope: 'row' }, gap.label || '–'),
        element('td', { dataset: { figure: 'count' } }, String(gap.count)),
        element('td', { dataset: { figure: 'customers' } }, String(gap.customers)),
        element('td', { dataset: { figure: 'trend' } }, `${gap.trend} (${gap.thisWeek} / ${gap.lastWeek})`),
        element(
          'td',
          { dataset: { figure: 'examples' } },
          // The API sends examples only when enough customers are behind a gap; say why when it does not.
          gap.examples.length > 0
            ? element(
                'ul',
                {},
                gap.examples.map((example) => element('li', {}, example)),
              )
            : element('span', { className: 'muted' }, 'Hidden: fewer than three customers'),
        ),
      ),
    ),
  );
}

async function loadGaps() {
  byId('gaps-status').textContent = 'Loading…';
  try {
    const { gaps } = await apiRequest('GET', '/v1/admin/knowledge-gaps');
    renderGaps(gaps);
  } catch (error) {
    byId('gaps-status').textContent = '';
    replaceChildren(byId('knowledge-gaps').tBodies[0]);
    announce(errorRegion, describeError(error));
  }
}

async function load() {
  const from = byId('from').value;
  const to = byId('to').value;
  const bucket = byId('bucket').value;
  errorRegion.textContent = '';
  byId('dashboard-status').textContent = 'Loading…';
  try {
    const query = new URLSearchParams({ from, to, bucket });
    const analytics = await apiRequest('GET', `/v1/admin/analytics?${query}`);
    render(analytics);
    byId('dashboard-status').textContent = `${analytics.totals.turns} turns from ${from} to ${to}`;
  } catch (error) {
    byId('dashboard-status').textContent = '';
    announce(errorRegion, describeError(error));
  }
}

byId('filters').addEventListener('submit', (event) => {
  event.preventDefault();
  void load();
});

// The window can be given in the address (`?from=…&to=…&bucket=week`); by default the last 7 days.
const linked = new URLSearchParams(window.location.search);
const today = Date.now();
byId('from').value = linked.get('from') ?? utcDay(today - 6 * DAY_MS);
byId('to').value = linked.get('to') ?? utcDay(today);
byId('bucket').value = linked.get('bucket') === 'week' ? 'week' : 'day';

setUpSession({
  requiredRole: ['analyst', 'compliance'],
  onSignedIn: () => Promise.all([load(), loadGaps()]),
  onSignedOut: () => {
    for (const chart of charts.values()) chart.destroy();
    charts.clear();
  },
});
