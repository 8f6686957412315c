// All devices: search, platform filter, keyset pages, latest action state, bulk restart.
import { api, query, remember } from './api.js';
import { bulkRestartBar } from './bulk.js';
import { field, h, keepFocus, select, when } from './dom.js';
import { ACTION_LABELS, MODES, PLATFORMS, problemBox, stateBadge } from './text.js';

const PAGE_SIZE = 25;

export function render(main, ctx) {
  const filters = { q: ctx.params.get('q') ?? '', platform: ctx.params.get('platform') ?? '' };
  const search = h('input', { id: 'q', type: 'search', name: 'q', value: filters.q });
  const platform = select('platform', 'All platforms', PLATFORMS, filters.platform);
  const form = h('form', { class: 'filters card', role: 'search', 'aria-label': 'Devices', onsubmit: apply },
    field('Search', search, 'Name, serial number or owner'),
    field('Platform', platform),
    h('button', { type: 'submit', class: 'primary' }, 'Search'));
  const status = h('p', { class: 'status', role: 'status' });
  const table = h('div', { class: 'table-wrap', role: 'region', tabindex: -1, 'aria-label': 'Devices' });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Device pages' });
  const selected = new Map();
  const bulk = bulkRestartBar(selected, () => load());
  const cursors = [null];

  main.append(h('h1', { tabindex: -1 }, 'All devices'), form, bulk.element, status, table, pager);
  load();

  function apply(e) {
    e.preventDefault();
    filters.q = search.value.trim();
    filters.platform = platform.value;
    // The filters go in the address so that a reload or a shared link keeps them.
    history.replaceState(null, '', `#/devices${query(filters)}`);
    cursors.length = 1;
    load();
  }

  async function load(focusTable = false) {
    status.textContent = 'Loading devices…';
    try {
      const page = await api(`/api/v1/devices${query({ ...filters, limit: PAGE_SIZE, cursor: cursors.at(-1) })}`, { signal: ctx.signal });
      remember(page.items);
      status.textContent = summary(page.items.length, cursors.length, filters);
      keepFocus(table, () => table.replaceChildren(page.items.length ? devicesTable(page.items) : ''));
      renderPager(page.nextCursor);
      if (focusTable) table.focus();
    } catch (e) {
      if (e.name === 'AbortError') return;
      status.textContent = '';
      table.replaceChildren(problemBox(e));
    }
  }

  function renderPager(nextCursor) {
    const previous = h('button', { type: 'button', class: 'secondary', disabled: cursors.length === 1, onclick: () => { cursors.pop(); load(true); } }, 'Previous page');
    const next = h('button', { type: 'button', class: 'secondary', disabled: !nextCursor, onclick: () => { cursors.push(nextCursor); load(true); } }, 'Next page');
    pager.replaceChildren(previous, h('span', {}, `Page ${cursors.length}`), next);
  }

  function devicesTable(items) {
    return h('table', {},
      h('caption', { class: 'visually-hidden' }, 'Devices, newest enrollment first'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Select')),
        ['Device', 'Platform', 'OS version', 'Management mode', 'Owner', 'Last check-in', 'Latest action'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, items.map(row)));
  }

  function row(d) {
    const box = h('input', { type: 'checkbox', 'data-key': `select-${d.id}`, 'aria-label': `Select ${d.name}`, checked: selected.has(d.id) });
    box.addEventListener('change', () => {
      if (box.checked) selected.set(d.id, d.name);
      else selected.delete(d.id);
      bulk.update();
    });
    return h('tr', {},
      h('td', {}, box),
      h('th', { scope: 'row' }, h('a', { href: `#/devices/${d.id}`, 'data-key': `open-${d.id}` }, d.name)),
      h('td', {}, PLATFORMS[d.platform] ?? d.platform),
      h('td', {}, d.osVersion),
      h('td', {}, MODES[d.managementMode] ?? '—'),
      h('td', {}, d.owner ?? '—'),
      h('td', {}, when(d.lastCheckInAt, 'Never')),
      h('td', {}, d.latestAction
        ? [h('span', { class: 'action-name' }, ACTION_LABELS[d.latestAction.action]), ' ', stateBadge(d.latestAction.state)]
        : '—'));
  }
}

/** What the table shows, naming the search so that a reader knows which one answered. */
function summary(count, page, { q, platform }) {
  const what = `${q ? ` matching “${q}”` : ''}${platform ? ` on ${PLATFORMS[platform]}` : ''}`;
  if (count === 0) return page === 1 ? `No devices${what}.` : 'No more devices.';
  return `${count} ${count === 1 ? 'device' : 'devices'}${what}, page ${page}.`;
}
