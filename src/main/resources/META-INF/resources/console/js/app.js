// The console shell: the sign-in settings, the provider's answer to a sign-in, hash routes, the
// signed-in state, and focus on each new page.
import { whenUnauthorized } from './api.js';
import { h } from './dom.js';
import * as actions from './actions.js';
import * as approvals from './approvals.js';
import * as device from './device.js';
import * as devices from './devices.js';
import * as oidc from './oidc.js';
import { session } from './session.js';
import * as signin from './signin.js';

const main = document.getElementById('main');
const RETURN_KEY = 'device-actions.return';
let current = null;
let notice = null;
let moveFocus = false;
let settings = { oidc: null, tokenPaste: false };

const notFound = {
  render(root) {
    root.append(h('h1', { tabindex: -1 }, 'Page not found'), h('p', {}, h('a', { href: '#/devices' }, 'Go to All devices')));
  },
};

function route(path) {
  if (path === '/signin') return { view: signin };
  if (path === '/devices') return { view: devices, nav: 'devices' };
  const overview = /^\/devices\/([0-9a-fA-F-]{36})$/.exec(path);
  if (overview) return { view: device, nav: 'devices', id: overview[1] };
  if (path === '/actions') return { view: actions, nav: 'actions' };
  if (path === '/approvals') return { view: approvals, nav: 'approvals' };
  return { view: notFound };
}

function show() {
  if (!location.hash.startsWith('#/')) {
    if (!location.hash) location.replace('#/devices');
    return;
  }
  const [path, search = ''] = location.hash.slice(1).split(/\?(.*)/s);
  const target = route(path);
  if (target.view !== signin && !session.token()) {
    sessionStorage.setItem(RETURN_KEY, location.hash);
    location.replace('#/signin');
    return;
  }
  current?.abort();
  current = new AbortController();
  shell(target.nav);
  main.replaceChildren();
  const ctx = {
    params: new URLSearchParams(search), id: target.id, signal: current.signal, notice, signedIn, settings, returnTo,
  };
  notice = null;
  target.view.render(main, ctx);
  // Move focus to the new page's heading on navigation, not on the first load.
  if (moveFocus) main.querySelector('h1')?.focus();
  moveFocus = true;
}

function shell(nav) {
  const signedIn = Boolean(session.token());
  document.getElementById('whoami').textContent = signedIn ? `Signed in as ${session.who() || 'token holder'}` : '';
  document.getElementById('sign-out').hidden = !signedIn;
  document.querySelector('nav[aria-label="Main"]').hidden = !signedIn;
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === nav) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/** Where to go once signed in: the page that asked for sign-in, or All devices. */
function returnTo() {
  const back = sessionStorage.getItem(RETURN_KEY);
  sessionStorage.removeItem(RETURN_KEY);
  return back && back !== '#/signin' ? back : '#/devices';
}

function signedIn(tokens) {
  session.set(tokens);
  location.hash = returnTo();
}

function signOut(message) {
  session.clear();
  notice = message;
  if (location.hash === '#/signin') show();
  else location.hash = '#/signin';
}

async function start() {
  try {
    settings = await oidc.loadSettings();
  } catch (e) {
    notice = signin.signInProblem(e);
  }
  if (oidc.isCallback()) {
    try {
      await oidc.completeSignIn();
    } catch (e) {
      session.clear();
      notice = signin.signInProblem(e);
    }
  } else if (location.search) {
    // An answer this tab did not ask for (another tab's, or a bookmark of one): nothing to finish, and no
    // code stays in the address bar. The console's own routes keep their parameters in the hash.
    history.replaceState(null, '', `${location.pathname}${location.hash}`);
  }
  oidc.scheduleRenewal();
  window.addEventListener('hashchange', show);
  show();
}

whenUnauthorized((error) => {
  if (location.hash !== '#/signin') sessionStorage.setItem(RETURN_KEY, location.hash);
  signOut(error);
});
document.getElementById('sign-out').addEventListener('click', async () => {
  // After a provider sign-in the provider ends its session too, and sends the browser back here.
  if (!(await oidc.signOut().catch(() => false))) signOut(null);
});
document.getElementById('skip-link').addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
});
start();
