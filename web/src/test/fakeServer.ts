// An in-memory stand-in for the accounts API, for component tests: same paths, status codes
// and error format as the real services, with a cookie-like session flag. More of the API is
// plugged in through `handlers` (see fakeApplications.ts); `upload` is an XMLHttpRequest
// stand-in that reports progress and hands the multipart body to the same fetch.
import type { AppConfig } from '../api/config';
import type { UploadRequest } from '../api/client';

// A request as the plugged-in handlers see it.
export interface FakeRequest {
  method: string;
  // The path below api_base, without the query.
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  // The parsed JSON body ({} when none).
  body: Record<string, unknown>;
  // The multipart body of an upload.
  form: FormData | null;
  csrf: string | null;
}

// Answers a request it knows, or null to let the next one try.
export type FakeHandler = (req: FakeRequest, server: FakeServer) => Response | null | Promise<Response | null>;

interface Account {
  email: string;
  phone: string;
  password: string;
  display_name: string;
  role: string;
  // The account's saved language; zh-CN when absent, as on the server.
  locale?: string;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });

export const fail = (status: number, code: string, message: string, details: unknown[] = []) =>
  json(status, { error: { code, message, details } });

export class FakeServer {
  readonly accounts: Account[] = [];
  session: Account | null = null;
  csrf = 'csrf-0';
  // When set, every login answers 429 account_locked with this Retry-After.
  lockedFor: number | null = null;
  lastRegistration: Record<string, unknown> | null = null;
  // When set, every request fails the way fetch does when the network is down.
  offline = false;
  // When set, GET /me answers this status (a 5xx: the service is in trouble).
  meStatus: number | null = null;
  // GET /things: a stand-in for any logged-in page's data; 401 without a session.
  things = ['first thing'];
  loggedOutEverywhere = false;
  // When set, answers to GET /me are decided when asked but delivered only once this settles
  // (a check still on its way while the user does something else).
  holdMe: Promise<void> | null = null;
  readonly requests: Array<{
    method: string;
    path: string;
    csrf: string | null;
    headers: Record<string, string>;
  }> = [];
  // Further routes, tried in order before the final 404.
  readonly handlers: FakeHandler[] = [];

  constructor(readonly config: AppConfig) {}

  addAccount(a: Account): void {
    this.accounts.push(a);
  }

  // A new session gets a new CSRF token; GET /me repeats the session's own (like the server),
  // issuing one only when none was issued yet (a test that set `session` directly).
  private sessionBody(a: Account, fresh = true) {
    if (fresh) this.csrf = `csrf-${this.requests.length}`;
    return {
      user: {
        id: this.accounts.indexOf(a) + 1,
        email: a.email,
        phone: a.phone,
        display_name: a.display_name,
        role: a.role,
        locale: a.locale ?? 'zh-CN',
      },
      csrf_token: this.csrf,
    };
  }

  readonly fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    if (this.offline) throw new TypeError('Failed to fetch');
    const method = (init.method ?? 'GET').toUpperCase();
    const url = String(input);
    const headers = (init.headers ?? {}) as Record<string, string>;
    const csrf = headers['X-CSRF-Token'] ?? null;
    const base = this.config.api_base;
    this.requests.push({ method, path: url, csrf, headers });
    if (!url.startsWith(base)) return fail(404, 'not_found', 'no route');
    const path = url.slice(base.length);
    const form = init.body instanceof FormData ? init.body : null;
    const body = typeof init.body === 'string' && init.body ? JSON.parse(init.body) : {};

    if (method === 'GET' && path === '/me') {
      if (this.meStatus !== null) return fail(this.meStatus, 'unavailable', 'service unavailable');
      const answer = this.session
        ? json(200, this.sessionBody(this.session, this.csrf === 'csrf-0'))
        : fail(401, 'unauthenticated', 'login required');
      if (this.holdMe) await this.holdMe;
      return answer;
    }
    if (method === 'POST' && path === '/auth/register' && this.config.service === 'agent') {
      const details = [];
      if (!body.email) details.push({ field: 'email', code: 'required', message: 'required' });
      if (!/^1[3-9]\d{9}$/.test(body.phone ?? '') || body.phone === '19999999999') {
        details.push({ field: 'phone', code: 'invalid_mobile', message: 'not a mobile number' });
      }
      if ((body.password ?? '').length < 10) {
        details.push({ field: 'password', code: 'password_too_short', message: 'too short' });
      } else if (body.password === 'password1234') {
        details.push({ field: 'password', code: 'password_too_common', message: 'too common' });
      }
      if (details.length) return fail(400, 'validation_failed', 'invalid request', details);
      // The same 202 for a registered address (issue 9 item 8); nobody is signed in.
      if (this.accounts.some((a) => a.email === body.email)) return json(202, { status: 'accepted' });
      this.lastRegistration = body;
      const account = { ...body, role: 'applicant' } as Account;
      this.accounts.push(account);
      return json(202, { status: 'accepted' });
    }
    if (method === 'POST' && path === '/auth/login') {
      if (this.lockedFor !== null) {
        return json(
          429,
          { error: { code: 'account_locked', message: 'account locked', details: [] } },
          { 'Retry-After': String(this.lockedFor) },
        );
      }
      const a = this.accounts.find((x) => x.email === body.email && x.password === body.password);
      if (!a) return fail(401, 'invalid_credentials', 'wrong e-mail or password');
      this.session = a;
      return json(200, this.sessionBody(a));
    }
    if (method === 'POST' && path === '/auth/logout-all') {
      if (!this.session) return fail(401, 'unauthenticated', 'login required');
      if (csrf !== this.csrf) return fail(403, 'csrf_failed', 'csrf token missing');
      this.session = null;
      this.loggedOutEverywhere = true;
      return new Response(null, { status: 204 });
    }
    if (method === 'POST' && path === '/auth/logout') {
      if (csrf !== this.csrf) return fail(403, 'csrf_failed', 'csrf token missing');
      this.session = null;
      return new Response(null, { status: 204 });
    }
    if (method === 'GET' && path.split('?')[0] === '/things') {
      return this.session
        ? json(200, { things: this.things })
        : fail(401, 'unauthenticated', 'login required');
    }
    const [bare, search] = path.split('?');
    const req: FakeRequest = {
      method,
      path: bare,
      query: new URLSearchParams(search ?? ''),
      headers,
      body,
      form,
      csrf,
    };
    for (const handler of this.handlers) {
      const answer = await handler(req, this);
      if (answer) return answer;
    }
    return fail(404, 'not_found', 'no route');
  };

  // When set, uploads stop half-way until it settles.
  holdUploads: Promise<void> | null = null;

  // An XMLHttpRequest stand-in for ApiClient's uploads: reports progress in two steps (half,
  // then all of the body's size) and answers through `fetch`.
  readonly upload = (): UploadRequest => {
    const server = this;
    let method = 'GET';
    let url = '';
    const headers: Record<string, string> = {};
    let answer: Response | null = null;
    let text = '';
    let aborted = false;
    const xhr: UploadRequest = {
      withCredentials: false,
      get status() {
        return answer?.status ?? 0;
      },
      get responseText() {
        return text;
      },
      upload: { onprogress: null },
      onload: null,
      onerror: null,
      onabort: null,
      open(m: string, u: string) {
        method = m;
        url = u;
      },
      setRequestHeader(name: string, value: string) {
        headers[name] = value;
      },
      getResponseHeader(name: string) {
        return answer?.headers.get(name) ?? null;
      },
      abort() {
        if (aborted) return;
        aborted = true;
        xhr.onabort?.();
      },
      send(body: FormData) {
        const file = body.get('file');
        const total = file instanceof Blob ? file.size : 0;
        void (async () => {
          const progress = (loaded: number) =>
            xhr.upload.onprogress?.({ lengthComputable: true, loaded, total } as ProgressEvent);
          await Promise.resolve();
          progress(Math.floor(total / 2));
          if (server.holdUploads) await server.holdUploads;
          if (aborted) return;
          progress(total);
          try {
            answer = await server.fetch(url, { method, headers, body });
            text = await answer.text();
          } catch {
            if (!aborted) xhr.onerror?.();
            return;
          }
          if (!aborted) xhr.onload?.();
        })();
      },
    };
    return xhr;
  };
}
