// The JSON API with the session's bearer token, which is only ever sent in the Authorization header,
// never in a URL.
import { freshToken } from './oidc.js';
/** A refusal from the API: the HTTP status and its problem+json body (title, detail, code, ...). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

let onUnauthorized = () => {};

/** What to do when the API refuses the session's token (401): the app signs the user out. */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

/**
 * Calls the API. options: method, body (sent as JSON), signal, token (instead of the session's,
 * for checking a token before it is kept).
 */
export async function api(path, { method = 'GET', body, signal, token } = {}) {
  const bearer = token ?? await freshToken();
  if (!bearer) {
    throw new ApiError(401, { title: 'Not signed in', detail: 'Sign in with a token first.', code: 'unauthorized' });
  }
  const headers = { Accept: 'application/json, application/problem+json', Authorization: `Bearer ${bearer}` };
  const init = { method, headers, signal, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await send(path, init);
  const data = await readJson(response);
  if (!response.ok) {
    const error = new ApiError(response.status, data ?? { title: response.statusText || `HTTP ${response.status}` });
    if (response.status === 401 && token === undefined) onUnauthorized(error);
    throw error;
  }
  return data;
}

/**
 * POSTs to an endpoint that answers a file, and saves it under the name its Content-Disposition
 * gives (the enrollment profile): the bearer token stays in the header, never in a link.
 */
export async function download(path, { signal } = {}) {
  const bearer = await freshToken();
  const headers = { Accept: '*/*', Authorization: `Bearer ${bearer}` };
  const response = await send(path, { method: 'POST', headers, signal, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' });
  if (!response.ok) {
    const data = await readJson(response);
    const error = new ApiError(response.status, data ?? { title: response.statusText || `HTTP ${response.status}` });
    if (response.status === 401) onUnauthorized(error);
    throw error;
  }
  const disposition = response.headers.get('Content-Disposition') || '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'download';
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}

async function send(path, init) {
  try {
    return await fetch(path, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, { title: 'Service not reachable', detail: 'The device-actions service did not answer; check your connection and retry.' });
  }
}

async function readJson(response) {
  const type = response.headers.get('Content-Type') || '';
  if (response.status === 204 || !type.includes('json')) return null;
  return response.json().catch(() => null);
}

/** Device names by id, filled by every device the console reads, for tables that list ids. */
export const deviceNames = new Map();

export function remember(devices) {
  for (const d of devices) deviceNames.set(d.id, d.name);
}

/** The names of these devices, reading the overviews of those not seen yet ("" once removed). */
export async function namesOf(ids, signal) {
  const unknown = [...new Set(ids)].filter((id) => !deviceNames.has(id));
  await Promise.all(unknown.map(async (id) => {
    try {
      remember([await api(`/api/v1/devices/${id}`, { signal })]);
    } catch (e) {
      if (e.status === 404) deviceNames.set(id, '');
      else throw e;
    }
  }));
  return deviceNames;
}

/** A query string from the non-empty entries of an object. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') q.set(key, value);
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}
