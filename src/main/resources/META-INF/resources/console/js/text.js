// What the console calls things: the API's enum values in words, and refusals as messages.
import { h } from './dom.js';

/** The remote actions, in the API's order, as Intune names them. */
export const ACTIONS = {
  remoteLock: {
    label: 'Remote lock',
    about: 'Locks the device now. A Mac gets a 6-digit recovery PIN that unlocks it.',
    ask: (name) => `Are you sure you want to lock “${name}”?`,
  },
  resetPasscode: {
    label: 'Reset passcode',
    about: 'Replaces the passcode with a temporary one, shown on this page.',
    ask: (name) => `Are you sure you want to reset the passcode of “${name}”?`,
  },
  removePasscode: {
    label: 'Remove passcode',
    about: 'Removes the passcode from the device.',
    ask: (name) => `Are you sure you want to remove the passcode from “${name}”?`,
  },
  resetPin: {
    label: 'Reset PIN',
    about: 'Windows 10 Mobile: the device sets a new PIN and reports it here.',
    ask: (name) => `Are you sure you want to reset the PIN of “${name}”?`,
  },
  rebootNow: {
    label: 'Restart',
    about: 'Restarts the device within 5 minutes. Its user is not warned.',
    ask: (name) => `Are you sure you want to restart “${name}”?`,
  },
};

export const ACTION_LABELS = Object.fromEntries(Object.entries(ACTIONS).map(([k, v]) => [k, v.label]));

export const STATES = {
  pending: 'Pending',
  active: 'Active',
  done: 'Done',
  failed: 'Failed',
  canceled: 'Canceled',
  notSupported: 'Not supported',
};

export const PLATFORMS = {
  android: 'Android',
  iOS: 'iOS',
  iPadOS: 'iPadOS',
  macOS: 'macOS',
  windows: 'Windows',
  windowsPhone: 'Windows Phone',
};

export const MODES = {
  deviceAdministrator: 'Device administrator',
  dedicated: 'Dedicated (kiosk)',
  fullyManaged: 'Fully managed',
  workProfileCorporate: 'Work profile, corporate-owned',
  workProfilePersonal: 'Work profile, personally owned',
};

export const FAILURES = { timedOut: 'Timed out', deviceError: 'Device error' };

/** Why the support matrix refuses an action on this device (support-matrix.md's reasons). */
export function reasonText(reason, device = {}) {
  switch (reason) {
    case 'platform': return `Not supported on ${PLATFORMS[device.platform] ?? 'this platform'}.`;
    case 'managementMode': return `Not supported for ${MODES[device.managementMode] ?? 'this management mode'} devices.`;
    case 'osVersion': return `Not supported on OS version ${device.osVersion ?? 'of this device'}.`;
    case 'notSupervised': return 'Only supervised devices support this.';
    case 'azureAdJoined': return 'Not supported on Azure AD joined devices before the Creators Update (10.0.15063).';
    case 'noPasscode': return 'The device has no passcode: devices without a PIN or password can’t be remotely locked.';
    case 'noUnlockToken': return 'The device never sent Apple MDM its unlock token, which clearing its passcode needs.';
    default: return `Not supported (${reason}).`;
  }
}

/** A state as a coloured badge whose text says it (the colour only repeats it). */
export function stateBadge(state) {
  return h('span', { class: `badge state-${state}` }, STATES[state] ?? state);
}

/** An API refusal as an alert: its title and detail, and what follows for the user. */
export function problemBox(error, device) {
  const p = error.problem ?? {};
  return h('div', { class: 'problem', role: 'alert' },
    h('p', { class: 'problem-title' }, p.title || 'Request failed'),
    p.detail ? h('p', {}, p.detail) : null,
    p.code === 'actionNotSupported' && p.reason ? h('p', {}, `Why: ${reasonText(p.reason, device)}`) : null,
    Array.isArray(p.errors) ? h('ul', {}, p.errors.map((e) => h('li', {}, `${e.field}: ${e.message}`))) : null,
    error.status === 403 ? h('p', {}, 'Your token lacks the role for this; ask an administrator for it.') : null,
    error.status === 401 ? h('p', {}, 'Sign in again.') : null,
    error.status ? h('p', { class: 'problem-code' }, `HTTP ${error.status}${p.code ? ` · ${p.code}` : ''}`) : null);
}

/** A success message for a region with role=status. */
export function okBox(...children) {
  return h('div', { class: 'ok' }, ...children);
}
