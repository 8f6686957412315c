// The signed-in session of this tab: the access token, and after a provider sign-in its ID token,
// refresh token and when to renew it. It lives in sessionStorage (this tab only, gone when the tab closes,
// never localStorage), and the access token is only ever sent in the Authorization header.

const KEY = 'device-actions.session';

function read() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY)) || {};
  } catch {
    return {};
  }
}

export const session = {
  token: () => read().access || null,
  /** The ID token of a provider sign-in, for the end-session request's id_token_hint. */
  idToken: () => read().id || null,
  refreshToken: () => read().refresh || null,
  /** When the access token is due for renewal (ms since the epoch), after a provider sign-in. */
  renewAt: () => read().renewAt || null,
  /** A provider sign-in ({ access, id, refresh, renewAt }) or a pasted token ({ access }). */
  set: (tokens) => sessionStorage.setItem(KEY, JSON.stringify(tokens)),
  clear: () => sessionStorage.removeItem(KEY),
  /** Who the token names (upn, preferred_username or sub, as the API's audit does); display only. */
  who() {
    const claims = decodeClaims(this.token());
    return claims ? claims.upn || claims.preferred_username || claims.sub || '' : '';
  },
};

function decodeClaims(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}
