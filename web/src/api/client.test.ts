// The API client: CSRF on unsafe requests only, errors parsed from any kind of answer.
import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError } from './client';
import { fetchMe, login, logout } from './auth';
import { loadAppConfig, parseAppConfig } from './config';

type Call = { url: string; init: RequestInit };

function fakeFetch(responses: Array<Response | Error>) {
  const calls: Call[] = [];
  const fn = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const next = responses.shift();
    if (!next) throw new Error('no more responses');
    if (next instanceof Error) throw next;
    return next;
  });
  return { fn: fn as unknown as typeof fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });

// The ApiError a request rejects with; fails the test if it resolves instead.
async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected the request to fail');
}

const kUser = { id: 1, email: 'a@b.cn', display_name: 'A', role: 'applicant', locale: 'zh-CN' };

describe('ApiClient', () => {
  it('sends the CSRF token from login on unsafe requests, never on GET', async () => {
    const f = fakeFetch([
      json(200, { user: kUser, csrf_token: 'tok-1' }),
      json(200, { user: kUser, csrf_token: 'tok-1' }),
      new Response(null, { status: 204 }),
    ]);
    const c = new ApiClient('/api/v1', f.fn);
    await login(c, { email: 'a@b.cn', password: 'demo-password-1' });
    const loginHeaders = f.calls[0].init.headers as Record<string, string>;
    expect(f.calls[0].url).toBe('/api/v1/auth/login');
    expect(loginHeaders['X-CSRF-Token']).toBeUndefined();
    expect(loginHeaders['Content-Type']).toBe('application/json');
    expect(JSON.parse(f.calls[0].init.body as string)).toEqual({
      email: 'a@b.cn',
      password: 'demo-password-1',
    });

    await fetchMe(c);
    const meHeaders = f.calls[1].init.headers as Record<string, string>;
    expect(f.calls[1].init.method).toBe('GET');
    expect(meHeaders['X-CSRF-Token']).toBeUndefined();

    await logout(c);
    const outHeaders = f.calls[2].init.headers as Record<string, string>;
    expect(f.calls[2].url).toBe('/api/v1/auth/logout');
    expect(outHeaders['X-CSRF-Token']).toBe('tok-1');
    expect(outHeaders['Content-Type']).toBe('application/json');
    expect(c.getCsrfToken()).toBeNull();
  });

  it('parses the error format with details and Retry-After', async () => {
    const f = fakeFetch([
      json(
        429,
        { error: { code: 'account_locked', message: 'locked', details: [] } },
        { 'Retry-After': '120' },
      ),
    ]);
    const c = new ApiClient('/api/v1', f.fn);
    const err = await failure(c.post('/auth/login', {}));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(429);
    expect(err.code).toBe('account_locked');
    expect(err.retryAfter).toBe(120);
  });

  it('keeps field details', async () => {
    const f = fakeFetch([
      json(400, {
        error: {
          code: 'validation_failed',
          message: 'invalid',
          details: [{ field: 'email', code: 'invalid_email', message: 'bad' }, 'junk'],
        },
      }),
    ]);
    const err = await failure(new ApiClient('/api/v1', f.fn).post('/auth/register', {}));
    expect(err.details).toEqual([{ field: 'email', code: 'invalid_email', message: 'bad' }]);
  });

  it('turns a non-JSON error page into bad_response', async () => {
    const f = fakeFetch([new Response('<html>502</html>', { status: 502 })]);
    const err = await failure(new ApiClient('/api/v1', f.fn).get('/me'));
    expect(err.code).toBe('bad_response');
    expect(err.status).toBe(502);
  });

  it('turns a failed fetch into network_error', async () => {
    const f = fakeFetch([new TypeError('Failed to fetch')]);
    const err = await failure(new ApiClient('/api/v1', f.fn).get('/me'));
    expect(err.code).toBe('network_error');
    expect(err.status).toBe(0);
  });

  it('treats 401 from /me as nobody logged in, and forgets the token', async () => {
    const f = fakeFetch([json(401, { error: { code: 'unauthenticated', message: 'no' } })]);
    const c = new ApiClient('/authority/v1', f.fn);
    c.setCsrfToken('old');
    expect(await fetchMe(c)).toBeNull();
    expect(c.getCsrfToken()).toBeNull();
    expect(f.calls[0].url).toBe('/authority/v1/me');
  });

  it('keeps the session when logout fails on the network', async () => {
    const f = fakeFetch([new TypeError('Failed to fetch')]);
    const c = new ApiClient('/api/v1', f.fn);
    c.setCsrfToken('tok');
    await expect(logout(c)).rejects.toBeInstanceOf(ApiError);
    expect(c.getCsrfToken()).toBe('tok');
  });
});

describe('app config', () => {
  it('accepts both services and trims a trailing slash', () => {
    expect(parseAppConfig({ service: 'authority', api_base: '/authority/v1/', version: '1' })).toEqual({
      service: 'authority',
      api_base: '/authority/v1',
      version: '1',
      demo: false,
    });
  });

  it('keeps the authority\u2019s public URL (http or https only, no trailing slash)', () => {
    const base = { service: 'agent', api_base: '/api/v1', version: '1' };
    expect(parseAppConfig({ ...base, authority_public_url: 'http://127.0.0.1:8090/' }).authority_public_url).toBe(
      'http://127.0.0.1:8090',
    );
    expect(parseAppConfig({ ...base, authority_public_url: 'javascript:alert(1)' }).authority_public_url).toBeUndefined();
    expect(parseAppConfig(base).authority_public_url).toBeUndefined();
  });

  it.each([null, {}, { service: 'x', api_base: '/api/v1' }, { service: 'agent', api_base: 'http://evil' }])(
    'rejects %j',
    (value) => {
      expect(() => parseAppConfig(value)).toThrow();
    },
  );

  it('loads /app-config.json', async () => {
    const f = fakeFetch([json(200, { service: 'agent', api_base: '/api/v1', version: '0.1' })]);
    expect((await loadAppConfig(f.fn)).api_base).toBe('/api/v1');
    expect(f.calls[0].url).toBe('/app-config.json');
  });
});

describe('session lost', () => {
  const err = (status: number, code: string) =>
    json(status, { error: { code, message: code, details: [] } });

  it('is signalled by a 401 on a call made while logged in, and drops the token', async () => {
    const f = fakeFetch([err(401, 'unauthenticated')]);
    const c = new ApiClient('/api/v1', f.fn);
    c.setCsrfToken('tok');
    const lost = vi.fn();
    c.onSessionLost(lost);
    await expect(c.get('/things')).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(lost).toHaveBeenCalledTimes(1);
    expect(c.getCsrfToken()).toBeNull();
  });

  it('is not signalled for wrong credentials, other statuses, or a visitor', async () => {
    const f = fakeFetch([err(401, 'invalid_credentials'), err(403, 'forbidden'), err(401, 'unauthenticated')]);
    const c = new ApiClient('/api/v1', f.fn);
    const lost = vi.fn();
    const off = c.onSessionLost(lost);
    c.setCsrfToken('tok');
    await expect(c.post('/auth/login', {})).rejects.toBeInstanceOf(ApiError);
    await expect(c.get('/things')).rejects.toBeInstanceOf(ApiError);
    c.setCsrfToken(null);
    await expect(c.get('/me')).rejects.toBeInstanceOf(ApiError);
    expect(lost).not.toHaveBeenCalled();
    off();
  });
});

describe('upload', () => {
  // An XMLHttpRequest stand-in that answers `status` with `body` once sent.
  function stubXhr(status: number, body: string, headers: Record<string, string> = {}) {
    const sent: Array<{ url: string; headers: Record<string, string>; form: FormData }> = [];
    const factory = () => {
      const reqHeaders: Record<string, string> = {};
      let url = '';
      const xhr = {
        withCredentials: false,
        status: 0,
        responseText: '',
        upload: { onprogress: null as ((e: ProgressEvent) => void) | null },
        onload: null as (() => void) | null,
        onerror: null as (() => void) | null,
        onabort: null as (() => void) | null,
        open: (_m: string, u: string) => {
          url = u;
        },
        setRequestHeader: (k: string, v: string) => {
          reqHeaders[k] = v;
        },
        getResponseHeader: (k: string) => headers[k] ?? null,
        abort: () => xhr.onabort?.(),
        send: (form: FormData) => {
          sent.push({ url, headers: reqHeaders, form });
          xhr.status = status;
          xhr.responseText = body;
          queueMicrotask(() => (status === 0 ? xhr.onerror?.() : xhr.onload?.()));
        },
      };
      return xhr;
    };
    return { factory, sent };
  }

  it('sends the CSRF token and with credentials, and parses the answer', async () => {
    const x = stubXhr(201, JSON.stringify({ id: 'd1' }));
    const c = new ApiClient('/api/v1', fakeFetch([]).fn, x.factory);
    c.setCsrfToken('tok');
    const form = new FormData();
    form.append('kind', 'id_front');
    expect(await c.upload<{ id: string }>('/applications/a/documents', form)).toEqual({ id: 'd1' });
    expect(x.sent[0].url).toBe('/api/v1/applications/a/documents');
    expect(x.sent[0].headers['X-CSRF-Token']).toBe('tok');
    // The browser sets the multipart Content-Type with its boundary itself.
    expect(x.sent[0].headers['Content-Type']).toBeUndefined();
  });

  it('turns errors into ApiError: the server format, 413, the network; a 401 ends the session', async () => {
    const tooLarge = stubXhr(413, JSON.stringify({ error: { code: 'payload_too_large', message: 'big', details: [] } }));
    const e1 = await failure(new ApiClient('/api/v1', fakeFetch([]).fn, tooLarge.factory).upload('/x', new FormData()));
    expect([e1.status, e1.code]).toEqual([413, 'payload_too_large']);

    const down = stubXhr(0, '');
    const e2 = await failure(new ApiClient('/api/v1', fakeFetch([]).fn, down.factory).upload('/x', new FormData()));
    expect(e2.code).toBe('network_error');

    const gone = stubXhr(401, JSON.stringify({ error: { code: 'unauthenticated', message: 'no', details: [] } }));
    const c = new ApiClient('/api/v1', fakeFetch([]).fn, gone.factory);
    c.setCsrfToken('tok');
    const lost = vi.fn();
    c.onSessionLost(lost);
    const e3 = await failure(c.upload('/x', new FormData()));
    expect(e3.code).toBe('unauthenticated');
    expect(lost).toHaveBeenCalledTimes(1);
    expect(c.getCsrfToken()).toBeNull();
  });
});

describe('send', () => {
  it('adds headers and hands back the answer headers', async () => {
    const f = fakeFetch([json(200, { version: 3 }, { ETag: '"3"' })]);
    const c = new ApiClient('/api/v1', f.fn);
    const a = await c.send<{ version: number }>('PATCH', '/applications/a', {
      body: { organizer: { name: 'x' } },
      headers: { 'If-Match': '"2"' },
    });
    expect(a.status).toBe(200);
    expect(a.data.version).toBe(3);
    expect(a.headers.get('ETag')).toBe('"3"');
    expect((f.calls[0].init.headers as Record<string, string>)['If-Match']).toBe('"2"');
  });
});
