// Sign-in: paste a bearer token, or in dev mode take the app's dev token. The token is checked
// against the API before it is kept.
import { api, ApiError } from './api.js';
import { add, field, h } from './dom.js';
import { problemBox } from './text.js';

export function render(main, ctx) {
  const input = h('input', { id: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true });
  const messages = h('div', { class: 'messages' });
  const devBox = h('section', { class: 'card dev', hidden: true, 'aria-labelledby': 'dev-title' },
    h('h2', { id: 'dev-title' }, 'Dev mode'),
    h('p', {}, 'This app runs in dev mode and can mint an admin token signed with its dev key.'),
    h('button', { type: 'button', class: 'secondary', onclick: useDevToken }, 'Use the dev token'));
  const form = h('form', { class: 'card signin', onsubmit: (e) => { e.preventDefault(); signIn(input.value.trim()); } },
    field('Bearer token', input,
      'A JWT from your identity provider with the roles in its groups claim (devices.read, actions.…, secrets.read). '
      + 'It is kept in this browser tab only and sent only in the Authorization header.'),
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'));

  add(main, 
    h('h1', { tabindex: -1 }, 'Sign in'),
    h('p', { class: 'lead' }, 'The console shows devices and sends remote actions with your token; nothing is shown without one.'),
    ctx.notice ? problemBox(ctx.notice) : null,
    messages, form, devBox);
  showDevTokenIfDevMode(devBox, ctx.signal);

  async function signIn(token) {
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
    ctx.signedIn(token);
  }

  async function useDevToken() {
    const response = await fetch('/dev/token', { cache: 'no-store', signal: ctx.signal });
    if (response.ok) await signIn((await response.text()).trim());
  }
}

/** /dev/token exists only in dev mode (quarkus:dev); elsewhere the button stays hidden. */
async function showDevTokenIfDevMode(devBox, signal) {
  try {
    const response = await fetch('/dev/token', { method: 'HEAD', cache: 'no-store', signal });
    devBox.hidden = !response.ok;
  } catch {
    devBox.hidden = true;
  }
}
