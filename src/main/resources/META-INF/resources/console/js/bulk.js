// Bulk restart of the devices selected in a table: POST /api/v1/device-actions/bulk.
import { api } from './api.js';
import { askAndSend, covered, heldBox } from './approval.js';
import { h } from './dom.js';
import { okBox, problemBox } from './text.js';

/**
 * A bar with the selection count and the restart button. selected: Map of device id to name.
 * afterwards(): called once the request is answered, e.g. to reload the table.
 */
export function bulkRestartBar(selected, afterwards) {
  const count = h('span', { class: 'count', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'secondary', onclick: run }, 'Restart selected devices');
  const result = h('div', { class: 'messages', role: 'status' });
  const element = h('div', { class: 'bulk-bar' }, h('div', { class: 'bulk-controls' }, button, count), result);

  function update() {
    count.textContent = selected.size === 0 ? 'Select devices in the table to restart them together.'
      : `${selected.size} ${selected.size === 1 ? 'device' : 'devices'} selected`;
    button.disabled = selected.size === 0;
  }

  async function run() {
    const ids = [...selected.keys()];
    const question = {
      title: 'Restart devices',
      question: `Are you sure you want to restart ${ids.length === 1 ? 'this device' : `these ${ids.length} devices`}?`,
      note: 'Each restarts within 5 minutes and its user is not warned. Devices that cannot restart are left out.',
    };
    try {
      const isCovered = await covered('rebootNow', ids.length);
      const answered = await askAndSend('/api/v1/device-actions/bulk', question,
        () => ({ action: 'rebootNow', deviceIds: ids }), isCovered);
      if (!answered) return;
      result.replaceChildren(answered.approvalRequest ? heldBox('Restart', answered.approvalRequest)
        : summary(answered, new Map(selected)));
      selected.clear();
    } catch (e) {
      result.replaceChildren(problemBox(e));
    }
    update();
    afterwards();
  }

  update();
  return { element, update };
}

function summary(r, names) {
  const list = (ids) => ids.map((id) => names.get(id) || id).join(', ');
  const sent = r.successfulDeviceIds.length;
  return okBox(
    h('p', { class: 'ok-title' }, `Restart sent to ${sent} ${sent === 1 ? 'device' : 'devices'}.`),
    r.notSupportedDeviceIds.length ? h('p', {}, `Not supported, left out: ${list(r.notSupportedDeviceIds)}.`) : null,
    r.notFoundDeviceIds.length ? h('p', {}, `Not found (removed?): ${list(r.notFoundDeviceIds)}.`) : null,
    r.failedDeviceIds.length ? h('p', {}, `Refused: ${list(r.failedDeviceIds)}.`) : null,
    sent ? h('p', {}, h('a', { href: `#/actions?bulkActionId=${r.bulkActionId}` }, 'Follow this bulk restart in Device actions')) : null);
}
