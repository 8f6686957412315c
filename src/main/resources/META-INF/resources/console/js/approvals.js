// Approvals: the requests that wait for a second administrator (with requester, devices, action and
// justification; approve or reject with a justification, never one's own), one's own requests with
// cancel, and the policies in force.
import { api, deviceNames, namesOf, query } from './api.js';
import { confirm } from './confirm.js';
import { add, h, keepFocus, when } from './dom.js';
import { session } from './session.js';
import { ACTION_LABELS, okBox, problemBox } from './text.js';

const OPERATIONS = { ...ACTION_LABELS, updateApprovalPolicy: 'Change approval policy', deleteApprovalPolicy: 'Delete approval policy' };
const STATUSES = {
  needsApproval: 'Needs approval', approved: 'Approved', completed: 'Completed', rejected: 'Rejected',
  cancelled: 'Cancelled', expired: 'Expired',
};
const REFRESH_MS = 5000;

export function render(main, ctx) {
  const me = session.who();
  const messages = h('div', { class: 'messages', role: 'status' });
  const waiting = h('div', { class: 'table-wrap', role: 'region', tabindex: -1, 'aria-label': 'Waiting for approval' });
  const mine = h('div', { class: 'table-wrap', role: 'region', tabindex: -1, 'aria-label': 'Your requests' });
  const policies = h('div', { class: 'policies' });
  const status = h('p', { class: 'status', role: 'status' }, 'Loading approval requests…');
  let timer = null;
  ctx.signal.addEventListener('abort', () => clearTimeout(timer));

  add(main, h('h1', { tabindex: -1 }, 'Approvals'),
    h('p', { class: 'lead' }, 'Requests that an approval policy holds until another administrator approves them. Approving runs the request at once, as its requester’s.'),
    messages, status,
    h('h2', { class: 'part' }, 'Waiting for approval'), waiting,
    h('h2', { class: 'part' }, 'Your requests'), mine,
    h('h2', { class: 'part' }, 'Policies'), policies);
  load();

  async function load() {
    clearTimeout(timer);
    try {
      const [open, own, rules] = await Promise.all([
        api(`/api/v1/approval-requests${query({ status: 'needsApproval', limit: 100 })}`, { signal: ctx.signal }),
        api(`/api/v1/approval-requests${query({ requestedBy: me, limit: 20 })}`, { signal: ctx.signal }),
        api('/api/v1/approval-policies', { signal: ctx.signal }),
      ]);
      await namesOf([...open.items, ...own.items].flatMap((r) => r.deviceIds.slice(0, 3)), ctx.signal);
      status.textContent = `${open.items.length} ${open.items.length === 1 ? 'request waits' : 'requests wait'} for approval.`;
      keepFocus(waiting, () => waiting.replaceChildren(open.items.length ? table(open.items, waitingRow, 'Requests waiting for approval, newest first')
        : h('p', { class: 'empty' }, 'Nothing waits for approval.')));
      keepFocus(mine, () => mine.replaceChildren(own.items.length ? table(own.items, ownRow, 'Your requests, newest first')
        : h('p', { class: 'empty' }, 'You have made no request that needed approval.')));
      policies.replaceChildren(policyList(rules));
      if (!ctx.signal.aborted) timer = setTimeout(load, REFRESH_MS);
    } catch (e) {
      if (e.name === 'AbortError') return;
      status.textContent = '';
      messages.replaceChildren(problemBox(e));
    }
  }

  function table(items, row, caption) {
    return h('table', {},
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, ['Action', 'Devices', 'Requested by', 'Justification', 'Requested', 'Status', ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, items.map(row)));
  }

  function cells(r) {
    return [
      h('th', { scope: 'row' }, OPERATIONS[r.action] ?? r.action),
      h('td', {}, devicesOf(r)),
      h('td', {}, r.requestedBy),
      h('td', { class: 'justification' }, r.justification),
      h('td', {}, when(r.requestedAt), h('br'), h('span', { class: 'hint' }, 'expires ', when(r.expiresAt))),
    ];
  }

  function waitingRow(r) {
    const own = r.requestedBy === me;
    const decide = own ? h('span', { class: 'hint' }, 'Your request: another administrator decides it.')
      : h('div', { class: 'buttons' },
        h('button', { type: 'button', class: 'primary', 'data-key': `approve-${r.id}`, onclick: () => decideOn(r, 'approve') }, 'Approve'),
        h('button', { type: 'button', class: 'secondary', 'data-key': `reject-${r.id}`, onclick: () => decideOn(r, 'reject') }, 'Reject'));
    return h('tr', { 'data-request': r.id }, cells(r), h('td', {}, statusBadge(r.status)), h('td', {}, decide));
  }

  function ownRow(r) {
    const cancel = r.status === 'needsApproval'
      ? h('button', { type: 'button', class: 'secondary', 'data-key': `cancel-${r.id}`, onclick: () => cancelIt(r) }, 'Cancel request')
      : outcome(r);
    return h('tr', { 'data-request': r.id }, cells(r), h('td', {}, statusBadge(r.status)), h('td', {}, cancel));
  }

  async function decideOn(r, decision) {
    const label = OPERATIONS[r.action] ?? r.action;
    const answer = await confirm({
      title: decision === 'approve' ? `Approve: ${label}` : `Reject: ${label}`,
      question: decision === 'approve'
        ? `Approve ${r.requestedBy}’s request? ${label} runs at once on ${count(r)}.`
        : `Reject ${r.requestedBy}’s request? Nothing is sent.`,
      note: `Their justification: “${r.justification}”`,
      fields: [{ name: 'justification', label: 'Your justification', max: 500, multiline: true, required: true }],
    });
    if (!answer) return;
    try {
      const done = await api(`/api/v1/approval-requests/${r.id}/${decision}`, { method: 'POST', body: { justification: answer.justification }, signal: ctx.signal });
      messages.replaceChildren(decided(done));
    } catch (e) {
      if (e.name !== 'AbortError') messages.replaceChildren(problemBox(e));
    }
    load();
  }

  async function cancelIt(r) {
    const label = OPERATIONS[r.action] ?? r.action;
    if (!await confirm({ title: 'Cancel request', question: `Cancel your request: ${label} on ${count(r)}?` })) return;
    try {
      await api(`/api/v1/approval-requests/${r.id}/cancel`, { method: 'POST', signal: ctx.signal });
      messages.replaceChildren(okBox(h('p', { class: 'ok-title' }, `Request cancelled: ${label} on ${count(r)}.`)));
    } catch (e) {
      if (e.name !== 'AbortError') messages.replaceChildren(problemBox(e));
    }
    load();
  }
}

function decided(r) {
  const label = OPERATIONS[r.action] ?? r.action;
  if (r.status === 'rejected') return okBox(h('p', { class: 'ok-title' }, `Rejected: ${label} on ${count(r)}.`));
  return okBox(h('p', { class: 'ok-title' }, `Approved: ${label} on ${count(r)}.`), h('p', {}, outcome(r)));
}

/** What the approved operation gave, in words. */
function outcome(r) {
  const x = r.result;
  if (!x) return '—';
  if (x.code) return `Refused when it ran: ${x.detail ?? x.code}`;
  if (x.actionIds) return ['Sent. ', h('a', { href: `#/actions?device=${r.deviceIds[0]}` }, 'Follow it in Device actions')];
  if (x.bulkActionId) {
    return [`Sent to ${x.successfulDeviceIds.length} of ${r.deviceIds.length} devices. `,
      h('a', { href: `#/actions?bulkActionId=${x.bulkActionId}` }, 'Follow it in Device actions')];
  }
  if (x.deletedPolicyId) return 'Policy deleted.';
  return x.policy ? `Policy changed: ${x.policy.displayName}.` : 'Done.';
}

function devicesOf(r) {
  if (!r.deviceIds.length) return '—';
  const names = r.deviceIds.slice(0, 3).map((id) => deviceNames.get(id) || id);
  const more = r.deviceIds.length > 3 ? ` and ${r.deviceIds.length - 3} more` : '';
  return names.join(', ') + more;
}

function count(r) {
  if (!r.deviceIds.length) return 'the policy';
  return r.deviceIds.length === 1 ? (deviceNames.get(r.deviceIds[0]) || 'one device') : `${r.deviceIds.length} devices`;
}

function statusBadge(status) {
  return h('span', { class: `badge approval-${status}` }, STATUSES[status] ?? status);
}

function policyList(rules) {
  if (!rules.length) return h('p', { class: 'empty' }, 'No approval policy: every request runs at once.');
  return h('ul', { class: 'policy-list' }, rules.map((p) => h('li', {},
    h('strong', {}, p.displayName), ': ',
    p.actions.map((a) => ACTION_LABELS[a] ?? a).join(', '),
    p.minimumDevices === 1 ? ', every request' : `, requests for ${p.minimumDevices} devices or more`)));
}
