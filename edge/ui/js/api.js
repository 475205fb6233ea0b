/**
 * The appliance API as the tablet uses it. The session token lives in memory only: a reload,
 * a lock or an idle timeout means logging in again, and nothing of the patient is kept on
 * the tablet.
 */

/** A problem answer from the appliance (RFC 9457), or the appliance out of reach (code OFFLINE). */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} detail
   * @param {Array<{field: string, problem: string}>} [issues]
   */
  constructor(status, code, detail, issues = []) {
    super(detail);
    this.status = status;
    this.code = code;
    this.issues = issues;
  }
}

/** @type {{ token: string | null, onUnauthenticated: () => void, onReachability: (reachable: boolean) => void }} */
const session = { token: null, onUnauthenticated: () => {}, onReachability: () => {} };

/** @param {{ onUnauthenticated?: () => void, onReachability?: (reachable: boolean) => void }} handlers */
export function configureApi(handlers) {
  Object.assign(session, handlers);
}

/** @param {string | null} token */
export function setToken(token) {
  session.token = token;
}

export function token() {
  return session.token;
}

/**
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body] JSON body, or FormData for uploads
 * @returns {Promise<{ data: any, headers: Headers }>}
 */
export async function request(method, path, body) {
  /** @type {Record<string, string>} */
  const headers = {};
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  const isForm = typeof FormData !== 'undefined' && body instanceof FormData;
  if (body !== undefined && !isForm) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : isForm ? /** @type {FormData} */ (body) : JSON.stringify(body), cache: 'no-store' });
  } catch {
    session.onReachability(false);
    throw new ApiError(0, 'OFFLINE', 'The appliance cannot be reached');
  }
  session.onReachability(true);
  if (response.status === 204) return { data: null, headers: response.headers };
  const type = response.headers.get('content-type') ?? '';
  const data = type.includes('json') ? await response.json() : await response.blob();
  if (!response.ok) {
    const problem = /** @type {{ code?: string, detail?: string, issues?: [] }} */ (data ?? {});
    const error = new ApiError(response.status, problem.code ?? 'INTERNAL', problem.detail ?? `HTTP ${response.status}`, problem.issues ?? []);
    if (response.status === 401 && path !== '/api/v1/sessions') session.onUnauthenticated();
    throw error;
  }
  return { data, headers: response.headers };
}

export const api = {
  /** @param {string} path */
  get: async (path) => (await request('GET', path)).data,
  /** @param {string} path @param {unknown} [body] */
  post: async (path, body) => (await request('POST', path, body ?? {})).data,
  /** @param {string} path @param {unknown} body */
  put: async (path, body) => (await request('PUT', path, body)).data,
  /** @param {string} path @param {unknown} body */
  patch: async (path, body) => (await request('PATCH', path, body)).data,
  /** @param {string} path */
  del: async (path) => (await request('DELETE', path)).data,
};

/**
 * Follows a case's live stream. EventSource cannot send headers, so the token rides in the query;
 * it reconnects by itself when the link drops.
 * @param {string} caseId
 * @param {(event: any) => void} onEvent
 * @param {(connected: boolean) => void} onState
 * @returns {() => void} closes the stream
 */
export function followCase(caseId, onEvent, onState) {
  const source = new EventSource(`/api/v1/cases/${caseId}/live?access_token=${encodeURIComponent(session.token ?? '')}`);
  source.onopen = () => onState(true);
  source.onerror = () => onState(false);
  source.onmessage = (message) => onEvent(JSON.parse(message.data));
  return () => source.close();
}
