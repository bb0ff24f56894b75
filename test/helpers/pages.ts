// A browser's part in page tests without a browser: a cookie jar, the CSRF token read from the
// last page's forms, form posts as browsers send them, and redirects followed on request.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { DEMO_PASSWORD } from '../../server/auth/demo-accounts.js'

export class PageClient {
  readonly cookies = new Map<string, string>()
  csrf = ''
  /** The last page shown, sent as the Referer of the next request, as browsers do. */
  private lastPage: string | undefined

  constructor (private readonly app: FastifyInstance, private readonly remoteAddress = '127.0.0.1') {}

  private remember (response: LightMyRequestResponse): void {
    for (const cookie of response.cookies as Array<{ name: string, value: string, maxAge?: number, expires?: Date }>) {
      const gone = cookie.value === '' || cookie.maxAge === 0 || (cookie.expires !== undefined && cookie.expires.getTime() <= Date.now())
      if (gone) this.cookies.delete(cookie.name)
      else this.cookies.set(cookie.name, cookie.value)
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1]
    if (token) this.csrf = token
  }

  private pageShown (url: string, response: LightMyRequestResponse): void {
    if (response.statusCode < 300 && String(response.headers['content-type']).startsWith('text/html')) this.lastPage = url
  }

  async request (options: InjectOptions): Promise<LightMyRequestResponse> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    const response = await this.app.inject({
      remoteAddress: this.remoteAddress,
      ...options,
      headers: { 'sec-fetch-site': 'same-origin', ...(cookie ? { cookie } : {}), ...(this.lastPage ? { referer: `http://localhost${this.lastPage}` } : {}), ...options.headers }
    })
    this.remember(response)
    this.pageShown(String(options.url), response)
    return response
  }

  get (url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.request({ method: 'GET', url, headers })
  }

  /** Posts a form (urlencoded), with the page's CSRF token unless `csrf: false`. */
  post (url: string, fields: Record<string, string | string[]> = {}, { csrf = true, headers = {} }: { csrf?: boolean, headers?: Record<string, string> } = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams()
    for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(name, one)
    if (csrf && this.csrf) body.set('_csrf', this.csrf)
    return this.request({ method: 'POST', url, payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } })
  }

  /** Follows a 30x answer to its page. */
  async follow (response: LightMyRequestResponse): Promise<LightMyRequestResponse> {
    const location = response.headers.location
    if (response.statusCode < 300 || response.statusCode >= 400 || typeof location !== 'string') throw new Error(`not a redirect: ${response.statusCode} ${response.body.slice(0, 200)}`)
    return this.get(location)
  }

  async signIn (username: string, password = DEMO_PASSWORD): Promise<LightMyRequestResponse> {
    await this.get('/login')
    const response = await this.post('/login', { username, password })
    if (response.statusCode !== 303) throw new Error(`page sign-in as ${username} failed: ${response.statusCode}`)
    return response
  }
}

/** The text of a page without its markup, for matching what a person reads. */
export function textOf (html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim()
}

/** The value attribute of the input with this id. */
export function inputValue (html: string, id: string): string | undefined {
  const tag = new RegExp(`<input[^>]*\\bid="${id}"[^>]*>`).exec(html)?.[0]
  return tag === undefined ? undefined : /\bvalue="([^"]*)"/.exec(tag)?.[1] ?? ''
}

/** The error shown beside the field with this id. */
export function fieldError (html: string, id: string): string | undefined {
  return new RegExp(`<span class="error" id="${id}-error">([^<]*)</span>`).exec(html)?.[1]
}

/** Markup with Handlebars' escapes undone (it writes = as &#x3D; inside attributes), for matching attributes. */
export function unescaped (html: string): string {
  return html.replace(/&#x3D;/g, '=').replace(/&#x27;/g, "'").replace(/&#x60;/g, '`').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
}

/** A multipart form post as a browser sends one with a file, the page's CSRF token among its fields. */
export async function postFile (browser: PageClient, url: string, fields: Record<string, string>, file?: { name: string, type: string, content: Buffer }) {
  const boundary = '----shanqiao-test-boundary'
  const parts: Buffer[] = []
  for (const [name, value] of Object.entries({ ...fields, _csrf: browser.csrf })) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`))
  }
  if (file) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.content, Buffer.from('\r\n'))
  parts.push(Buffer.from(`--${boundary}--\r\n`))
  return browser.request({ method: 'POST', url, payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } })
}
