// The API client: same-origin cookies, the CSRF token on every state-changing request, errors
// surfaced with the server's message (already in the user's language).
import { lang } from './i18n';

let csrf = '';
export function setCsrf(token: string) {
  csrf = token;
}

export class ApiError extends Error {
  constructor(public status: number, public key: string, message: string, public field?: string) {
    super(message);
  }
}

export async function api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { 'X-Mamori-Lang': lang() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : {};
  if (!res.ok) {
    const e = data.error || {};
    throw new ApiError(res.status, e.key || 'unknown', e.message || res.statusText, e.field);
  }
  return data as T;
}
