// Device actions: the fleet-wide status view with filters by state, action and device, refreshed
// while anything is pending or active (every second while pending: a device holding a waiting
// check-in gets its command within milliseconds, and the row should say so), and bulk restart of
// the selected rows' devices.
import { api, deviceNames, namesOf, query } from './api.js';
import { bulkRestartBar } from './bulk.js';
import { add, field, h, keepFocus, select, when } from './dom.js';
import { ACTION_LABELS, FAILURES, STATES, problemBox, stateBadge } from './text.js';

const PAGE_SIZE = 50;
const REFRESH_MS = 5000;
const PENDING_REFRESH_MS = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function render(main, ctx) {
  const filters = {
    state: ctx.params.get('state') ?? '',
    action: ctx.params.get('action') ?? '',
    device: ctx.params.get('device') ?? '',
    bulkActionId: ctx.params.get('bulkActionId') ?? '',
  };
  const state = select('state', 'Any state', STATES, filters.state);
  const action = select('action', 'Any action', ACTION_LABELS, filters.action);
  const device = h('input', { id: 'device', type: 'search', name: 'device', value: filters.device });
  const form = h('form', { class: 'filters card', 'aria-label': 'Filter actions', onsubmit: apply },
    field('State', state), field('Action', action), field('Device', device, 'Name, serial number or device ID'),
    h('button', { type: 'submit', class: 'primary' }, 'Apply filters'),
    h('a', { href: '#/actions', class: 'clear' }, 'Clear filters'));
  const status = h('p', { class: 'status', role: 'status' });
  const refresh = h('p', { class: 'refresh hint' });
  const messages = h('div', { class: 'messages' });
  const table = h('div', { class: 'table-wrap', role: 'region', tabindex: -1, 'aria-label': 'Device actions' });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Action pages' });
  const selected = new Map();
  const bulk = bulkRestartBar(selected, () => load());
  const cursors = [null];
  let timer = null;
  let shown = '';
  ctx.signal.addEventListener('abort', () => clearTimeout(timer));

  add(main, h('h1', { tabindex: -1 }, 'Device actions'),
    h('p', { class: 'lead' }, 'Every remote action across the fleet, newest first.'),
    form, filters.bulkActionId ? bulkFilterNote(filters.bulkActionId) : null,
    bulk.element, messages, status, refresh, table, pager);
  load();

  function apply(e) {
    e.preventDefault();
    Object.assign(filters, { state: state.value, action: action.value, device: device.value.trim(), bulkActionId: '' });
    history.replaceState(null, '', `#/actions${query(filters)}`);
    cursors.length = 1;
    shown = '';
    load();
  }

  async function load(focusTable = false) {
    clearTimeout(timer);
    try {
      const deviceId = await resolveDevice(filters.device, ctx.signal);
      const params = { state: filters.state, action: filters.action, deviceId, bulkActionId: filters.bulkActionId };
      const page = await api(`/api/v1/device-actions${query({ ...params, limit: PAGE_SIZE, cursor: cursors.at(-1) })}`, { signal: ctx.signal });
      await namesOf(page.items.map((a) => a.deviceId), ctx.signal);
      messages.replaceChildren();
      show(page, focusTable);
    } catch (e) {
      if (e.name === 'AbortError') return;
      // Rows of an earlier filter would read as the answer to this one.
      status.textContent = '';
      refresh.textContent = '';
      shown = '';
      table.replaceChildren();
      pager.replaceChildren();
      messages.replaceChildren(problemBox(e));
    }
  }

  function show(page, focusTable) {
    const pending = page.items.some((a) => a.state === 'pending');
    const live = pending || page.items.some((a) => a.state === 'active');
    refresh.textContent = `Updated ${new Date().toLocaleTimeString()}. `
      + (pending ? 'Refreshing every second while an action is pending, so that its delivery shows at once.'
        : live ? `Refreshing every ${REFRESH_MS / 1000} seconds while actions are active.` : 'Nothing pending or active: not refreshing.');
    // Redraw only when something changed, so a refresh does not disturb the reader.
    const json = JSON.stringify(page);
    if (json !== shown) {
      shown = json;
      status.textContent = summary(page.items.length, cursors.length);
      keepFocus(table, () => table.replaceChildren(page.items.length ? actionsTable(page.items) : ''));
      renderPager(page.nextCursor);
    }
    if (focusTable) table.focus();
    if (live && !ctx.signal.aborted) timer = setTimeout(() => load(), pending ? PENDING_REFRESH_MS : REFRESH_MS);
  }

  function renderPager(nextCursor) {
    const previous = h('button', { type: 'button', class: 'secondary', disabled: cursors.length === 1, onclick: () => { cursors.pop(); shown = ''; load(true); } }, 'Previous page');
    const next = h('button', { type: 'button', class: 'secondary', disabled: !nextCursor, onclick: () => { cursors.push(nextCursor); shown = ''; load(true); } }, 'Next page');
    pager.replaceChildren(previous, h('span', {}, `Page ${cursors.length}`), next);
  }

  function actionsTable(items) {
    return h('table', {},
      h('caption', { class: 'visually-hidden' }, 'Device actions, newest first'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Select device')),
        ['Device', 'Action', 'State', 'Requested', 'Initiated by', 'Last update', 'Details'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, items.map(row)));
  }

  function row(a) {
    const name = deviceNames.get(a.deviceId) || 'Removed device';
    const box = h('input', { type: 'checkbox', 'data-key': `select-${a.id}`, 'data-device': a.deviceId, 'aria-label': `Select ${name} for restart`, checked: selected.has(a.deviceId) });
    box.addEventListener('change', () => toggle(a.deviceId, name, box.checked));
    return h('tr', { 'data-state': a.state },
      h('td', {}, box),
      h('th', { scope: 'row' }, deviceNames.get(a.deviceId) ? h('a', { href: `#/devices/${a.deviceId}` }, name) : name),
      h('td', {}, ACTION_LABELS[a.action] ?? a.action),
      h('td', {}, stateBadge(a.state)),
      h('td', {}, when(a.requestedAt)),
      h('td', {}, a.initiatedBy),
      h('td', {}, when(a.lastUpdatedAt)),
      h('td', {}, details(a)));
  }

  function toggle(deviceId, name, on) {
    if (on) selected.set(deviceId, name);
    else selected.delete(deviceId);
    // One device can have several rows: keep their boxes in step.
    for (const other of table.querySelectorAll(`input[data-device="${deviceId}"]`)) other.checked = on;
    bulk.update();
  }
}

/** The device filter: an id as it is, a name or serial number looked up (one match needed). */
async function resolveDevice(text, signal) {
  if (!text || UUID.test(text)) return text;
  const found = await api(`/api/v1/devices${query({ q: text, limit: 2 })}`, { signal });
  if (found.items.length === 1) return found.items[0].id;
  const detail = found.items.length === 0
    ? `No device matches “${text}”.`
    : `Several devices match “${text}”: type more of the name, or use the device ID from its overview.`;
  throw Object.assign(new Error(detail), { problem: { title: 'Device filter', detail } });
}

function details(a) {
  const parts = [];
  if (a.failureReason) parts.push(FAILURES[a.failureReason] ?? a.failureReason);
  if (a.detail) parts.push(a.detail);
  if (a.notNowCount) parts.push(`deferred ${a.notNowCount}×`);
  if (a.bulkActionId) parts.push(h('a', { href: `#/actions?bulkActionId=${a.bulkActionId}` }, 'bulk'));
  return parts.length ? parts.flatMap((p, i) => (i ? [' · ', p] : [p])) : '—';
}

function bulkFilterNote(bulkActionId) {
  return h('p', { class: 'filter-note' }, 'Showing one bulk action: ', h('code', {}, bulkActionId), ' · ', h('a', { href: '#/actions' }, 'Show all actions'));
}

function summary(count, page) {
  if (count === 0) return page === 1 ? 'No actions match.' : 'No more actions.';
  return `${count} ${count === 1 ? 'action' : 'actions'} on page ${page}.`;
}
