// Sign-in: with the OpenID Connect provider when one is configured; in dev and test mode also by
// pasting a token or taking the app's dev token, which is checked against the API before it is kept.
import { api, ApiError } from './api.js';
import { add, field, h } from './dom.js';
import * as oidc from './oidc.js';
import { problemBox } from './text.js';

export function render(main, ctx) {
  const messages = h('div', { class: 'messages' });
  add(main,
    h('h1', { tabindex: -1 }, 'Sign in'),
    h('p', { class: 'lead' }, 'The console shows devices and sends remote actions with your token; nothing is shown without one.'),
    ctx.notice ? problemBox(ctx.notice) : null,
    messages,
    ctx.settings.oidc ? providerBox(ctx, messages) : null,
    ctx.settings.tokenPaste ? pasteBox(ctx, messages) : null,
    !ctx.settings.oidc && !ctx.settings.tokenPaste ? noSignIn() : null);
}

function providerBox(ctx, messages) {
  const issuer = new URL(ctx.settings.oidc.issuer);
  async function go() {
    messages.replaceChildren();
    try {
      await oidc.signIn(ctx.returnTo());
    } catch (e) {
      messages.append(problemBox(signInProblem(e)));
    }
  }
  return h('section', { class: 'card signin', 'aria-labelledby': 'provider-title' },
    h('h2', { id: 'provider-title' }, 'Your organization\'s account'),
    h('p', {}, `You sign in at your identity provider, ${issuer.host}, and come back here.`),
    h('button', { type: 'button', class: 'primary', onclick: go }, 'Sign in'));
}

function pasteBox(ctx, messages) {
  const input = h('input', { id: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true });
  const devToken = h('p', { hidden: true },
    'This app runs in dev mode and can mint an admin token signed with its dev key. ',
    h('button', { type: 'button', class: 'secondary', onclick: useDevToken }, 'Use the dev token'));
  const form = h('form', { class: 'card signin', 'aria-labelledby': 'paste-title', onsubmit: (e) => { e.preventDefault(); useToken(input.value.trim()); } },
    h('h2', { id: 'paste-title' }, 'Dev mode: paste a token'),
    field('Bearer token', input,
      'A JWT with the roles in one of its role claims (devices.read, actions.…, secrets.read). '
      + 'It is kept in this browser tab only and sent only in the Authorization header. Offered in dev and test mode only.'),
    h('button', { type: 'submit', class: ctx.settings.oidc ? 'secondary' : 'primary' }, 'Use this token'),
    devToken);
  showDevTokenIfDevMode(devToken, ctx.signal);
  return form;

  async function useToken(token) {
    messages.replaceChildren();
    if (!token) {
      messages.append(problemBox(new ApiError(0, { title: 'No token', detail: 'Paste a bearer token first.' })));
      input.focus();
      return;
    }
    try {
      await api('/api/v1/devices?limit=1', { token, signal: ctx.signal });
    } catch (e) {
      // A token without devices.read (403) is still a valid token: the pages say what it lacks.
      if (e.status !== 403) {
        messages.append(problemBox(e));
        input.focus();
        return;
      }
    }
    ctx.signedIn({ access: token });
  }

  async function useDevToken() {
    const response = await fetch('/dev/token', { cache: 'no-store', signal: ctx.signal });
    if (response.ok) await useToken((await response.text()).trim());
  }
}

function noSignIn() {
  return h('section', { class: 'card', role: 'alert' },
    h('h2', {}, 'No sign-in is configured'),
    h('p', {}, 'Set device-actions.console.oidc.client-id (DEVICE_ACTIONS_CONSOLE_OIDC_CLIENT_ID) to the console\'s '
      + 'client id at your identity provider; deploy/README says how to register it.'));
}

/** A failed provider sign-in as a problem box's error: the provider's error, or why the answer was refused. */
export function signInProblem(e) {
  return new ApiError(0, { title: 'Sign-in failed', detail: e.error_description || e.error || e.message });
}

/** /dev/token exists only in dev mode (quarkus:dev); elsewhere the button stays hidden. */
async function showDevTokenIfDevMode(devToken, signal) {
  try {
    const response = await fetch('/dev/token', { method: 'HEAD', cache: 'no-store', signal });
    devToken.hidden = !response.ok;
  } catch {
    devToken.hidden = true;
  }
}
