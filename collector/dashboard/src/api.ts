// The collector's query API (collector/openapi.yaml) with the site's token as a bearer header:
// never in a URL, so it lands in no log, history or Referer.
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export type Range = { from: number; to: number };
export type Query = Record<string, string | number | undefined>;

export class Api {
  constructor(readonly site: string, private readonly token: string) {}

  private url(path: string, query: Query = {}): string {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') search.set(name, String(value));
    const tail = search.toString();
    return `/v1/sites/${encodeURIComponent(this.site)}/${path}${tail ? `?${tail}` : ''}`;
  }

  private async send(method: string, path: string, query?: Query): Promise<Response> {
    const response = await fetch(this.url(path, query), {
      method, headers: { Authorization: `Bearer ${this.token}` }, cache: 'no-store', credentials: 'omit',
    });
    if (response.ok) return response;
    let code = 'http_error';
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = await response.json();
      code = body?.error?.code ?? code;
      message = body?.error?.message ?? message;
    } catch { /* not the refusal form */ }
    throw new ApiError(response.status, code, message);
  }

  async get<T>(path: string, query?: Query): Promise<T> {
    return (await this.send('GET', path, query)).json() as Promise<T>;
  }

  async remove<T>(path: string): Promise<T> {
    return (await this.send('DELETE', path)).json() as Promise<T>;
  }

  async download(path: string, query: Query, fileName: string): Promise<void> {
    const blob = await (await this.send('GET', path, query)).blob();
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = fileName;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }
}
