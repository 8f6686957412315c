// Sign-in with the OpenID Connect provider that issues the API's tokens: the Authorization Code flow
// with PKCE (S256), the console a public client without a secret, through oauth4webapi (vendor/).
// The provider's endpoints come from its discovery document; the tokens are kept in session.js.
import * as oauth from './vendor/oauth4webapi.js';
import { session } from './session.js';

const PENDING = 'device-actions.oidc.pending';
let provider = null;
let server = null;
let renewing = null;
let timer = 0;

/** Reads /console/settings: { oidc: { issuer, clientId, scope } or null, tokenPaste }. */
export async function loadSettings() {
  const response = await fetch('/console/settings', { cache: 'no-store', credentials: 'omit' });
  if (!response.ok) throw new Error(`The console's settings did not load (HTTP ${response.status}).`);
  const settings = await response.json();
  provider = settings.oidc || null;
  return settings;
}

const client = () => ({ client_id: provider.clientId });
const redirectUri = () => new URL('/console/', location.href).href;

// Plain http only for a provider on this machine (a development Keycloak): anywhere else the codes and
// tokens would cross the network in clear text.
function options() {
  const { protocol, hostname } = new URL(provider.issuer);
  const local = protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(hostname);
  return local ? { [oauth.allowInsecureRequests]: true } : {};
}

async function discover() {
  if (!server) {
    const issuer = new URL(provider.issuer);
    server = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, options()));
  }
  return server;
}

/** Sends the browser to the provider's login page; it comes back to /console/ with a code. */
export async function signIn(returnTo) {
  const as = await discover();
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint);
  const params = {
    client_id: provider.clientId, redirect_uri: redirectUri(), response_type: 'code', scope: provider.scope,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state, nonce,
  };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, nonce, returnTo }));
  location.assign(url.href);
}

/** Whether this page load is the provider's answer to a sign-in of this tab. */
export function isCallback() {
  const answer = new URLSearchParams(location.search);
  return provider !== null && sessionStorage.getItem(PENDING) !== null && (answer.has('code') || answer.has('error'));
}

/** Trades the provider's code for tokens (with the PKCE verifier) and keeps them; the code leaves the address bar. */
export async function completeSignIn() {
  const pending = JSON.parse(sessionStorage.getItem(PENDING));
  sessionStorage.removeItem(PENDING);
  const answer = new URL(location.href);
  history.replaceState(null, '', `${location.pathname}${pending.returnTo || '#/devices'}`);
  const as = await discover();
  const params = oauth.validateAuthResponse(as, client(), answer, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as, client(), oauth.None(), params, redirectUri(), pending.verifier, options());
  keep(await oauth.processAuthorizationCodeResponse(
    as, client(), response, { expectedNonce: pending.nonce, requireIdToken: true }));
}

// Renewal is due when three quarters of the access token's lifetime have passed: a margin for a slow
// provider, and for a background tab whose timer the browser delays.
function keep(tokens) {
  const lifetime = (tokens.expires_in || 0) * 1000;
  session.set({
    access: tokens.access_token,
    id: tokens.id_token || session.idToken(),
    refresh: tokens.refresh_token || session.refreshToken(),
    renewAt: lifetime ? Date.now() + lifetime * 0.75 : null,
  });
  scheduleRenewal();
}

/** Renews the access token of a provider sign-in when it is due (a pasted token is not renewed). */
export function scheduleRenewal() {
  clearTimeout(timer);
  const renewAt = session.renewAt();
  if (provider && session.idToken() && renewAt) {
    timer = setTimeout(() => renew().catch(() => {}), Math.max(0, renewAt - Date.now()));
  }
}

/** The session's access token, renewed first if that is due and its timer has not fired yet. */
export async function freshToken() {
  const renewAt = session.renewAt();
  if (provider && session.idToken() && renewAt && Date.now() >= renewAt) await renew().catch(() => {});
  return session.token();
}

function renew() {
  renewing ??= refresh().finally(() => { renewing = null; });
  return renewing;
}

// With a refresh token, the refresh_token grant; without one, or once the provider refuses it (its
// session ended), a new sign-in, which the provider's session usually answers without a login form.
async function refresh() {
  const token = session.refreshToken();
  if (token) {
    try {
      const as = await discover();
      const response = await oauth.refreshTokenGrantRequest(as, client(), oauth.None(), token, options());
      keep(await oauth.processRefreshTokenResponse(as, client(), response));
      return;
    } catch {
      // fall through to a new sign-in
    }
  }
  await signIn(location.hash);
}

/**
 * Forgets the session. After a provider sign-in it also ends the provider's session at its
 * end_session_endpoint, which sends the browser back to /console/; returns whether it went there.
 */
export async function signOut() {
  clearTimeout(timer);
  const idToken = session.idToken();
  session.clear();
  if (!provider || !idToken) return false;
  const as = await discover();
  if (!as.end_session_endpoint) return false;
  const url = new URL(as.end_session_endpoint);
  url.searchParams.set('id_token_hint', idToken);
  url.searchParams.set('client_id', provider.clientId);
  url.searchParams.set('post_logout_redirect_uri', redirectUri());
  location.assign(url.href);
  return true;
}
