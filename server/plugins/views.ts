// Server-rendered pages (zh-CN first): Handlebars through @fastify/view, one layout, the
// partials under views/partials, and our own static assets (stylesheet, htmx, a little script)
// served from our origin with content hashes, as the content-security policy requires.
//
// `reply.page(template, data)` renders a page in the shell every page shares: the person's
// name and role, the navigation of their role, the unread notifications, the flash message
// of the last action, breadcrumbs and the CSRF token for forms. `reply.fragment` renders a
// template alone, for htmx's partial updates.
import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import fp from 'fastify-plugin'
import view from '@fastify/view'
import Handlebars from 'handlebars'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { ROLE_NAMES } from '../auth/roles.js'
import { unreadCount } from '../notifications/notifications.js'
import { takeFlash } from '../web/flash.js'
import { dateTime, fullDate, monthDay, yuan } from '../web/format.js'
import { navigationFor } from '../web/navigation.js'
import { queryProblems } from '../web/forms.js'
import { Type } from 'typebox'

const VIEWS = resolve(fileURLToPath(import.meta.url), '..', '..', '..', 'views')
const require = createRequire(import.meta.url)

declare module 'fastify' {
  interface FastifyReply {
    /** Renders a page in the layout, with the shell (who is signed in, navigation, flash…). */
    page: (template: string, data?: Record<string, unknown>) => Promise<FastifyReply>
    /** Renders a template without the layout: the part of a page htmx swaps in. */
    fragment: (template: string, data?: Record<string, unknown>) => Promise<FastifyReply>
  }
  interface FastifyRequest {
    /** Asked by htmx for a part of a page (not a whole page, and not a boosted navigation). */
    readonly wantsFragment: boolean
  }
}

/** An asset, and its gzip form made once at start-up (htmx is 51 kB as it is, 16 kB gzipped). */
interface Asset { body: Buffer, gzipped: Buffer, type: string, etag: string, url: string }

function asset (name: string, file: string | Buffer, type: string): Asset {
  const body = typeof file === 'string' ? readFileSync(file) : file
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 12)
  return { body, gzipped: gzipSync(body, { level: 9 }), type, etag: `"${hash}"`, url: `/assets/${name}?v=${hash}` }
}

/**
 * One stylesheet from views/assets/css/*.css in name order: the shell's first (00-shell.css),
 * then each area's own file, so that areas built side by side do not edit one file.
 */
function stylesheet (): Buffer {
  const dir = join(VIEWS, 'assets', 'css')
  return Buffer.concat(readdirSync(dir).filter(name => name.endsWith('.css')).sort().map(name => readFileSync(join(dir, name))))
}

/** Every .hbs under views/partials, by its path without the extension ('me/claim-row'). */
function partialFiles (): Record<string, string> {
  const root = join(VIEWS, 'partials')
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
    .flatMap(entry => entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith('.hbs') ? [join(dir, entry.name)] : [])
  return Object.fromEntries(walk(root).map(file => [relative(root, file).replace(/\.hbs$/, ''), relative(VIEWS, file)]))
}

function helpers (handlebars: typeof Handlebars): void {
  handlebars.registerHelper('sexName', (sex: unknown) => sex === 'male' ? '男' : '女')
  handlebars.registerHelper('monthDay', (date: unknown) => typeof date === 'string' ? monthDay(date) : '')
  handlebars.registerHelper('fullDate', (date: unknown) => typeof date === 'string' ? fullDate(date.slice(0, 10)) : '')
  handlebars.registerHelper('dateTime', (iso: unknown) => typeof iso === 'string' ? dateTime(iso) : '')
  handlebars.registerHelper('yuan', (amount: unknown) => typeof amount === 'number' ? yuan(amount) : '')
  handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b)
  // A form field's error and kept value, by the field's name: {{fieldError form "contact"}}.
  handlebars.registerHelper('fieldError', (form: { errors?: Record<string, string> } | undefined, name: string) => form?.errors?.[name])
  handlebars.registerHelper('fieldValue', (form: { values?: Record<string, unknown> } | undefined, name: string) => form?.values?.[name])
  handlebars.registerHelper('includes', (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value))
}

export const views = fp(async function views (app: FastifyInstance) {
  const handlebars = Handlebars.create()
  helpers(handlebars)
  await app.register(view, {
    engine: { handlebars },
    root: VIEWS,
    // Templates are compiled once per process: pages are rendered on every request.
    production: true,
    // preventIndent: a partial on its own indented line must not indent its output's later
    // lines too — that shifted every line after the first of a textarea's or <pre>'s text.
    options: { partials: partialFiles(), compileOptions: { preventIndent: true } }
  })

  const assets: Record<string, Asset> = {
    'app.css': asset('app.css', stylesheet(), 'text/css; charset=utf-8'),
    'app.js': asset('app.js', join(VIEWS, 'assets', 'app.js'), 'text/javascript; charset=utf-8'),
    'htmx.min.js': asset('htmx.min.js', require.resolve('htmx.org/dist/htmx.min.js'), 'text/javascript; charset=utf-8')
  }
  const assetUrls = Object.fromEntries(Object.entries(assets).map(([name, a]) => [name.replace(/\W/g, '_'), a.url]))

  const AssetParams = Type.Object({ name: Type.String({ maxLength: 40 }) })
  const AssetQuery = Type.Object({ v: Type.Optional(Type.String({ maxLength: 40 })) })
  app.get('/assets/:name', { config: { access: 'public' }, schema: { hide: true, params: AssetParams, querystring: AssetQuery } }, async (request, reply) => {
    const found = assets[(request.params as { name: string }).name]
    if (!found) return reply.callNotFound()
    // A URL with the current hash never changes; any other (an old page) is revalidated.
    const current = (request.query as { v?: string }).v === found.etag.slice(1, -1)
    reply.header('etag', found.etag).header('vary', 'Accept-Encoding')
      .header('cache-control', current ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate')
    if (request.headers['if-none-match'] === found.etag) return reply.status(304).send()
    if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.type(found.type).header('content-encoding', 'gzip').send(found.gzipped)
    return reply.type(found.type).send(found.body)
  })

  app.decorateRequest('wantsFragment', {
    getter () {
      return this.headers['hx-request'] === 'true' && this.headers['hx-boosted'] !== 'true' && this.headers['hx-history-restore-request'] !== 'true'
    }
  })

  app.decorateReply('page', async function page (this: FastifyReply, template: string, data: Record<string, unknown> = {}) {
    const request = this.request
    const { principal } = request
    const signedIn = principal !== null && principal.kind === 'session'
    const shell = {
      // A mistyped link still gets its page, with the defaults and a word about what was wrong.
      linkProblems: data.problems === undefined ? queryProblems(request) : [],
      me: signedIn ? { displayName: principal.displayName, username: principal.username, roleName: principal.roles.map(role => ROLE_NAMES[role]).join('、') } : null,
      nav: navigationFor(principal, request.url),
      csrf: request.session?.csrfToken,
      flash: takeFlash(request, this),
      unread: signedIn ? await unreadCount(app.db, principal.userId) : 0,
      demo: app.config.demo,
      assets: assetUrls,
      path: request.url
    }
    // A page differs for htmx and for everyone else (the fragment): caches must keep both apart.
    this.header('vary', 'HX-Request')
    return this.view(`pages/${template}.hbs`, { ...shell, ...data }, { layout: 'layouts/main.hbs' })
  })

  app.decorateReply('fragment', async function fragment (this: FastifyReply, template: string, data: Record<string, unknown> = {}) {
    this.header('vary', 'HX-Request')
    return this.view(`partials/${template}.hbs`, { csrf: this.request.session?.csrfToken, ...data })
  })
})
