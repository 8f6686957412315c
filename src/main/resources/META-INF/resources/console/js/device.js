// Device overview: facts, the remote actions the support matrix allows (the others disabled with
// the reason), a Yes/No step before each, the latest action, and the audited reveal of a PIN.
import { api, download, remember } from './api.js';
import { askAndSend, covered, heldBox } from './approval.js';
import { facts, h, keepFocus, when } from './dom.js';
import { ACTIONS, FAILURES, MODES, PLATFORMS, STATES, okBox, problemBox, reasonText, stateBadge } from './text.js';

const LOCK_FIELDS = [
  { name: 'message', label: 'Message on the lock screen (optional)', max: 500, multiline: true, hint: 'Shown where the platform can.' },
  { name: 'phoneNumber', label: 'Phone number on the lock screen (optional)', max: 50 },
];

export function render(main, ctx) {
  const title = h('h1', { tabindex: -1 }, 'Device');
  const crumbs = h('nav', { 'aria-label': 'Breadcrumb', class: 'crumbs' },
    h('ol', {}, h('li', {}, h('a', { href: '#/devices' }, 'All devices')), h('li', { 'aria-current': 'page' }, title.textContent)));
  const body = h('div', { class: 'overview' }, h('p', { class: 'status', role: 'status' }, 'Loading device…'));
  const result = h('div', { class: 'messages', role: 'status' });
  let device = null;

  main.append(crumbs, title, result, body);
  load();

  async function load() {
    try {
      device = await api(`/api/v1/devices/${ctx.id}`, { signal: ctx.signal });
    } catch (e) {
      if (e.name !== 'AbortError') body.replaceChildren(problemBox(e));
      return;
    }
    remember([device]);
    title.textContent = device.name;
    crumbs.querySelector('[aria-current]').textContent = device.name;
    document.title = `${device.name} · device-actions console`;
    keepFocus(body, () => body.replaceChildren(
      section('Device facts', factsOf(device)),
      section('Management', managementOf(device), enrollButton(device)),
      section('Remote actions', actionList(device)),
      secretSection(device),
      section('Latest action', latestOf(device))));
  }

  function actionList(d) {
    const offered = new Set(d.supportedActions);
    return h('ul', { class: 'action-list' }, Object.entries(ACTIONS).map(([action, spec]) => {
      const why = offered.has(action) ? spec.about : reasonText(d.unsupportedActions?.[action], d);
      return h('li', { class: offered.has(action) ? '' : 'unavailable' },
        h('button', {
          type: 'button', class: 'action', 'data-key': `action-${action}`, disabled: !offered.has(action),
          'aria-describedby': `why-${action}`, onclick: () => run(action),
        }, spec.label),
        h('span', { id: `why-${action}`, class: 'why' }, why));
    }));
  }

  function enrollButton(d) {
    if (!APPLE.has(d.platform)) return null;
    const area = h('div', { class: 'messages', role: 'status' });
    const button = h('button', {
      type: 'button', 'data-key': 'enrollment-profile', onclick: () => enroll(area),
    }, 'Download enrollment profile');
    return [h('p', { class: 'hint' },
      'Open the profile on the device to enroll it in Apple MDM. Each download gets a new one-time challenge, good for 7 days by default, and voids the one before.'),
    button, area];
  }

  async function enroll(area) {
    try {
      const name = await download(`/api/v1/devices/${device.id}/appleEnrollmentProfile`, { signal: ctx.signal });
      area.replaceChildren(okBox(h('p', { class: 'ok-title' }, `Enrollment profile ${name} downloaded.`)));
    } catch (e) {
      if (e.name !== 'AbortError') area.replaceChildren(problemBox(e, device));
    }
  }

  async function run(action) {
    const spec = ACTIONS[action];
    const question = { title: spec.label, question: spec.ask(device.name), fields: action === 'remoteLock' ? LOCK_FIELDS : [] };
    try {
      const isCovered = await covered(action, 1, ctx.signal);
      const sent = await askAndSend(`/api/v1/devices/${device.id}/${action}`, question,
        (answer) => (action === 'remoteLock' ? lockBody(answer) : {}), isCovered, ctx.signal);
      if (!sent) return;
      if (sent.approvalRequest) {
        result.replaceChildren(heldBox(spec.label, sent.approvalRequest));
        return;
      }
      result.replaceChildren(okBox(
        h('p', { class: 'ok-title' }, `${spec.label} sent. State: ${STATES[sent.state] ?? sent.state}.`),
        h('p', {}, h('a', { href: `#/actions?device=${device.id}` }, 'Follow it in Device actions'))));
      await load();
    } catch (e) {
      if (e.name !== 'AbortError') result.replaceChildren(problemBox(e, device));
    }
  }

  function secretSection(d) {
    const kind = d.recoveryPinAvailable ? 'recoveryPin' : d.temporaryPasscodeAvailable ? 'temporaryPasscode' : null;
    if (!kind && d.platform !== 'macOS') return null;
    const label = kind === 'temporaryPasscode'
      ? (d.latestAction?.action === 'resetPin' ? 'New PIN' : 'Temporary passcode') : 'Recovery PIN';
    const area = h('div', { class: 'secret-area' });
    const note = kind === 'temporaryPasscode'
      ? `The ${lowerFirst(label)} is kept for 7 days and shown here until another action is sent to this device.`
      : 'A remote lock gives this Mac a 6-digit recovery PIN. It is kept for 30 days and shown here until another action is sent to this device.';
    const reveal = h('button', { type: 'button', class: 'primary', 'data-key': 'reveal', onclick: () => revealInto(area, kind, label, reveal) }, `Reveal ${lowerFirst(label)}`);
    return section(label,
      h('p', {}, note),
      kind ? [h('p', { class: 'hint' }, 'Each reveal is recorded in the audit log.'), reveal, area]
        : h('p', { class: 'empty' }, 'No recovery PIN to show.'));
  }

  async function revealInto(area, kind, label, button) {
    try {
      const secrets = await api(`/api/v1/devices/${device.id}/secrets`, { signal: ctx.signal });
      const secret = secrets[kind];
      if (!secret) {
        area.replaceChildren(h('p', { class: 'empty', tabindex: -1 }, `No ${lowerFirst(label)} to show any more.`));
      } else {
        area.replaceChildren(h('div', { class: 'secret', tabindex: -1 },
          h('output', { class: 'secret-value', 'aria-label': label }, secret.value),
          h('p', {}, 'Issued ', when(secret.issuedAt), ', expires ', when(secret.expiresAt), '.')));
        button.hidden = true;
      }
      area.firstChild.focus();
    } catch (e) {
      if (e.name !== 'AbortError') area.replaceChildren(problemBox(e, device));
    }
  }
}

function lockBody({ message, phoneNumber }) {
  const body = {};
  if (message) body.message = message;
  if (phoneNumber) body.phoneNumber = phoneNumber;
  return body;
}

let sections = 0;

function section(heading, ...content) {
  const id = `section-${++sections}`;
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, heading), ...content);
}

function lowerFirst(text) {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function yesNo(value) {
  return value ? 'Yes' : 'No';
}

function factsOf(d) {
  return facts([
    ['Platform', PLATFORMS[d.platform] ?? d.platform],
    ['OS version', d.osVersion],
    d.managementMode ? ['Management mode', MODES[d.managementMode] ?? d.managementMode] : null,
    ['Supervised', yesNo(d.supervised)],
    ['Passcode set', yesNo(d.passcodeSet)],
    ['Azure AD joined', yesNo(d.azureAdJoined)],
    ['Serial number', d.serialNumber ?? '—'],
    ['Owner', d.owner ?? '—'],
    ['Enrolled', when(d.enrolledAt)],
    ['Last check-in', when(d.lastCheckInAt, 'Never')],
    ['Device ID', h('code', {}, d.id)],
  ].filter(Boolean));
}

const APPLE = new Set(['macOS', 'iOS', 'iPadOS']);

function managementOf(d) {
  const mdm = d.appleMdm;
  return facts([
    ['Channel', d.managementChannel === 'appleMdm' ? 'Apple MDM' : 'device-actions agent'],
    mdm ? ['UDID', h('code', {}, mdm.udid)] : null,
    mdm ? ['Apple MDM enrollment', mdm.enrolled ? ['Enrolled ', when(mdm.enrolledAt)] : 'Not enrolled (checked out or not finished)'] : null,
    mdm ? ['Last MDM contact', when(mdm.lastSeenAt, 'Never')] : null,
    mdm ? ['Push', mdm.pushConfigured ? 'Commands are pushed at once' : 'No push: the device collects commands when it next connects'] : null,
  ].filter(Boolean));
}

function latestOf(d) {
  const a = d.latestAction;
  if (!a) return h('p', { class: 'empty' }, 'No action has been sent to this device yet.');
  return [
    facts([
      ['Action', ACTIONS[a.action]?.label ?? a.action],
      ['State', stateBadge(a.state)],
      ['Requested', [when(a.requestedAt), ` by ${a.initiatedBy}`]],
      ['Last update', when(a.lastUpdatedAt)],
      a.completedAt ? ['Completed', when(a.completedAt)] : null,
      a.failureReason ? ['Failure', FAILURES[a.failureReason] ?? a.failureReason] : null,
      a.detail ? ['Detail', a.detail] : null,
      a.notNowCount ? ['Deferred by the user', `${a.notNowCount} ${a.notNowCount === 1 ? 'time' : 'times'}`] : null,
    ].filter(Boolean)),
    h('p', {}, h('a', { href: `#/actions?device=${d.id}` }, 'All actions of this device in Device actions')),
  ];
}
