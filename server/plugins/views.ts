// Server-rendered pages (zh-CN first): Handlebars through @fastify/view, one layout, partials,
// and the stylesheet served from our own origin, as the content-security policy requires.
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import fp from 'fastify-plugin'
import view from '@fastify/view'
import Handlebars from 'handlebars'
import type { FastifyInstance } from 'fastify'

const VIEWS = resolve(fileURLToPath(import.meta.url), '..', '..', '..', 'views')

export const views = fp(async function views (app: FastifyInstance) {
  const handlebars = Handlebars.create()
  handlebars.registerHelper('sexName', (sex: unknown) => sex === 'male' ? '男' : '女')
  await app.register(view, {
    engine: { handlebars },
    root: VIEWS,
    layout: 'layouts/main.hbs',
    options: { partials: { 'wish-card': 'partials/wish-card.hbs' } }
  })
  const stylesheet = readFileSync(join(VIEWS, 'assets', 'app.css'))
  app.get('/assets/app.css', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(stylesheet))
})
