// A small JSON client for the Beian API. It keeps the CSRF token in memory only (never in
// storage, so a script-injected page cannot lift it from there), attaches it to every unsafe
// request, turns every failure, including a network one, into an ApiError, and tells its
// listeners when a call made inside a session is answered 401 (the session has ended).
// `send` also takes extra headers (If-Match, Idempotency-Key) and hands back the answer's
// headers (ETag); `upload` sends a multipart body through XMLHttpRequest, the one browser API
// that reports upload progress.

export interface ApiErrorDetail {
  field: string;
  code: string;
  message: string;
}

// Codes the client itself produces; the rest come from the server's closed set.
export const kNetworkError = 'network_error';
export const kBadResponse = 'bad_response';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ApiErrorDetail[];
  // Seconds from the Retry-After header, when the server sent one (429 answers).
  readonly retryAfter: number | null;
  // How many problems the server found; more than details.length when it sent only the first
  // ones (details_total).
  readonly detailsTotal: number;

  constructor(
    status: number,
    code: string,
    message: string,
    details: ApiErrorDetail[] = [],
    retryAfter: number | null = null,
    detailsTotal: number = details.length,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
    this.detailsTotal = Math.max(detailsTotal, details.length);
  }
}

function parseRetryAfter(value: string | null): number | null {
  if (value === null) return null;
  const seconds = Number.parseInt(value, 10);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

// Builds an ApiError out of a non-2xx answer, tolerating bodies that are not in the error
// format (a proxy's HTML page, an empty body).
export async function errorFromResponse(res: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(res.headers.get('Retry-After'));
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  const err = (body as { error?: unknown } | null)?.error as Record<string, unknown> | undefined;
  if (err && typeof err.code === 'string') {
    const details = Array.isArray(err.details)
      ? err.details
          .filter((d): d is Record<string, unknown> => typeof d === 'object' && d !== null)
          .map((d) => ({
            field: typeof d.field === 'string' ? d.field : '',
            code: typeof d.code === 'string' ? d.code : '',
            message: typeof d.message === 'string' ? d.message : '',
          }))
      : [];
    const message = typeof err.message === 'string' ? err.message : err.code;
    const total =
      typeof err.details_total === 'number' && Number.isInteger(err.details_total)
        ? err.details_total
        : details.length;
    return new ApiError(res.status, err.code, message, details, retryAfter, total);
  }
  return new ApiError(res.status, kBadResponse, `HTTP ${res.status}`, [], retryAfter);
}

const kUnsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface SendOptions {
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Answer<T> {
  status: number;
  data: T;
  headers: Headers;
}

// What an upload reports while the body goes out: bytes sent so far of `total`.
export type UploadProgress = (loaded: number, total: number) => void;

// The part of XMLHttpRequest that `upload` uses; tests hand in a stand-in.
export interface UploadRequest {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: FormData): void;
  abort(): void;
  getResponseHeader(name: string): string | null;
  withCredentials: boolean;
  readonly status: number;
  readonly responseText: string;
  readonly upload: { onprogress: ((e: ProgressEvent) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}

export type UploadFactory = () => UploadRequest;

export class ApiClient {
  private csrfToken: string | null = null;
  readonly base: string;
  private readonly fetchImpl: typeof fetch;
  private readonly sessionLost = new Set<() => void>();

  private readonly uploadFactory: UploadFactory;

  constructor(
    base: string,
    fetchImpl: typeof fetch = (...args) => fetch(...args),
    uploadFactory: UploadFactory = () => new XMLHttpRequest() as unknown as UploadRequest,
  ) {
    this.base = base;
    this.fetchImpl = fetchImpl;
    this.uploadFactory = uploadFactory;
  }

  // The absolute URL of an API path (for links and <img> sources).
  url(path: string): string {
    return this.base + path;
  }

  setCsrfToken(token: string | null): void {
    this.csrfToken = token;
  }

  getCsrfToken(): string | null {
    return this.csrfToken;
  }

  // Calls `listener` whenever a request sent while logged in (a CSRF token was held) comes back
  // 401 for any reason but wrong credentials. Returns the function that unsubscribes.
  onSessionLost(listener: () => void): () => void {
    this.sessionLost.add(listener);
    return () => {
      this.sessionLost.delete(listener);
    };
  }

  private lost(error: ApiError, inSession: boolean): void {
    if (error.status === 401 && inSession && error.code !== 'invalid_credentials') {
      this.csrfToken = null;
      for (const listener of [...this.sessionLost]) listener();
    }
  }

  // Sends a request and resolves to the status, parsed JSON body (undefined for 204) and the
  // answer's headers. Rejects with an ApiError for every failure.
  async send<T>(method: string, path: string, options: SendOptions = {}): Promise<Answer<T>> {
    const { body } = options;
    const inSession = this.csrfToken !== null;
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (body !== undefined || kUnsafe.has(method)) headers['Content-Type'] = 'application/json';
    if (kUnsafe.has(method) && this.csrfToken) headers['X-CSRF-Token'] = this.csrfToken;
    let res: Response;
    try {
      res = await this.fetchImpl(this.base + path, {
        method,
        headers,
        body: body === undefined ? (kUnsafe.has(method) ? '{}' : undefined) : JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch (e) {
      throw new ApiError(0, kNetworkError, e instanceof Error ? e.message : String(e));
    }
    if (!res.ok) {
      const error = await errorFromResponse(res);
      this.lost(error, inSession);
      throw error;
    }
    const answer = (data: unknown): Answer<T> => ({
      status: res.status,
      data: data as T,
      headers: res.headers,
    });
    if (res.status === 204) return answer(undefined);
    const text = await res.text();
    if (text === '') return answer(undefined);
    try {
      return answer(JSON.parse(text));
    } catch {
      throw new ApiError(res.status, kBadResponse, 'response is not JSON');
    }
  }

  // Sends a request and resolves to the parsed JSON body (undefined for 204). Rejects with an
  // ApiError for every failure.
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await this.send<T>(method, path, { body })).data;
  }

  // POSTs a multipart form, reporting progress; `signal` aborts it (rejecting with
  // network_error). Resolves to the parsed JSON answer.
  upload<T>(
    path: string,
    form: FormData,
    onProgress?: UploadProgress,
    signal?: AbortSignal,
  ): Promise<T> {
    const inSession = this.csrfToken !== null;
    return new Promise<T>((resolve, reject) => {
      const xhr = this.uploadFactory();
      xhr.open('POST', this.base + path);
      xhr.withCredentials = true;
      xhr.setRequestHeader('Accept', 'application/json');
      if (this.csrfToken) xhr.setRequestHeader('X-CSRF-Token', this.csrfToken);
      xhr.upload.onprogress = (e: ProgressEvent) => {
        if (e.lengthComputable) onProgress?.(e.loaded, e.total);
      };
      xhr.onerror = () => reject(new ApiError(0, kNetworkError, 'upload failed'));
      xhr.onabort = () => reject(new ApiError(0, kNetworkError, 'upload aborted'));
      xhr.onload = () => {
        if (xhr.status === 0) {
          reject(new ApiError(0, kNetworkError, 'upload failed'));
          return;
        }
        const headers = new Headers();
        const retry = xhr.getResponseHeader('Retry-After');
        if (retry !== null) headers.set('Retry-After', retry);
        const res = new Response(xhr.status === 204 ? null : xhr.responseText, {
          status: xhr.status,
          headers,
        });
        if (!res.ok) {
          void errorFromResponse(res).then((error) => {
            this.lost(error, inSession);
            reject(error);
          });
          return;
        }
        try {
          resolve((xhr.responseText === '' ? undefined : JSON.parse(xhr.responseText)) as T);
        } catch {
          reject(new ApiError(xhr.status, kBadResponse, 'response is not JSON'));
        }
      };
      if (signal) {
        if (signal.aborted) {
          reject(new ApiError(0, kNetworkError, 'upload aborted'));
          return;
        }
        signal.addEventListener('abort', () => xhr.abort(), { once: true });
      }
      xhr.send(form);
    });
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }
}
