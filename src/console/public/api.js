/**
 * Calls Teller's API with the bearer token held for this tab. The token lives in sessionStorage:
 * it ends with the tab and each tab can be a different person, which is how one browser can show a
 * customer and an agent side by side.
 */

const TOKEN_KEY = 'teller.console.token';

/** An API error with the stable code and message from the `{ error: { code, message } }` body. */
export class ApiRequestError extends Error {
  constructor(status, code, message, requestId, details = []) {
    super(message);
    this.name = 'ApiRequestError';
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    /** Line-by-line problems when a text failed validation: `[{ line, message }]`. */
    this.details = details;
  }
}

export function storedToken() {
  return window.sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

export function storeToken(token) {
  if (token) window.sessionStorage.setItem(TOKEN_KEY, token);
  else window.sessionStorage.removeItem(TOKEN_KEY);
}

/** Sends a JSON request; resolves with the parsed body or rejects with `ApiRequestError`. */
export async function apiRequest(method, path, body, token = storedToken()) {
  const headers = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
    });
  } catch {
    throw new ApiRequestError(
      0,
      'network',
      'Teller could not be reached. Check your connection and try again.',
    );
  }
  const text = await response.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = parsed && typeof parsed === 'object' ? parsed.error : undefined;
    throw new ApiRequestError(
      response.status,
      error?.code ?? 'http_error',
      error?.message ?? `The request failed with status ${response.status}.`,
      error?.requestId,
      Array.isArray(error?.details) ? error.details : [],
    );
  }
  return parsed;
}

/** A human sentence for an error, with the request id support staff need. */
export function describeError(error) {
  if (error instanceof ApiRequestError) {
    const reference = error.requestId ? ` (reference ${error.requestId})` : '';
    if (error.status === 401) return `Your sign-in has expired or is invalid; sign in again${reference}.`;
    if (error.status === 403)
      return `You are signed in without permission for this: ${error.message}${reference}`;
    if (error.status === 429) return `Too many requests; wait a moment and try again${reference}.`;
    return `${error.message}${reference}`;
  }
  return error instanceof Error ? error.message : String(error);
}
