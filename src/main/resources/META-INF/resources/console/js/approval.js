// Multi-admin approval on the action dialogs: whether a policy covers what is about to be sent (so the
// dialog asks for a justification), sending it (and asking again if the API says a justification is
// needed after all), and the message for a request that now waits for another administrator.
import { api, ApiError } from './api.js';
import { confirm } from './confirm.js';
import { h } from './dom.js';
import { okBox } from './text.js';

export const JUSTIFICATION = {
  name: 'justification', label: 'Justification', max: 500, multiline: true, required: true,
  hint: 'An approval policy covers this: another administrator must approve it, and sees why.',
};

/**
 * Whether an approval policy covers `action` on `devices` devices. A token that may not read the
 * policies (403) is asked for a justification only when the API asks for one.
 */
export async function covered(action, devices, signal) {
  try {
    const policies = await api('/api/v1/approval-policies', { signal });
    return policies.some((p) => p.actions.includes(action) && devices >= p.minimumDevices);
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) return false;
    throw e;
  }
}

/**
 * Asks (confirm options, plus a justification when covered) and sends `body(answer)` to `path`.
 * Resolves with the API's answer, or null on "No". A 422 justificationRequired (a policy created
 * meanwhile) asks again with the justification field.
 */
export async function askAndSend(path, question, body, isCovered, signal) {
  let needs = isCovered;
  for (;;) {
    const fields = [...(question.fields ?? []), ...(needs ? [JUSTIFICATION] : [])];
    const answer = await confirm({ ...question, fields });
    if (!answer) return null;
    const sent = body(answer);
    if (needs) sent.justification = answer.justification;
    try {
      return await api(path, { method: 'POST', body: sent, signal });
    } catch (e) {
      if (needs || e.problem?.code !== 'justificationRequired') throw e;
      needs = true;
    }
  }
}

/** The message for a request held for approval. */
export function heldBox(label, request) {
  return okBox(
    h('p', { class: 'ok-title' }, `${label} sent for approval.`),
    h('p', {}, 'Another administrator must approve it before anything is sent to a device; until then it waits in Approvals.'),
    h('p', {}, h('a', { href: `#/approvals` }, 'See it in Approvals')));
}
