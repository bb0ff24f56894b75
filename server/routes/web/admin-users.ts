// Administration (/admin): the first page, and the accounts — created with a role and what it
// is bound to, changed, disabled, given a temporary password, signed out everywhere — with
// their API tokens (created and shown once, listed, revoked). Each action calls the function
// its API twin calls (auth/user-actions.ts) under the same access rule; a password or a token
// is shown on the page that made it and never kept in a cookie or the trail.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { listApiTokens } from '../../auth/api-tokens.js'
import { ACTIONS, authorize, isAction, regionScopeFor } from '../../auth/policy.js'
import { ROLE_NAMES, ROLES, STAFF_ROLES, type Role } from '../../auth/roles.js'
import { signOutEverywhere } from '../../auth/sign-out-everywhere.js'
import { createTokenFor, createUserFor, managedUser, MAX_TOKEN_DAYS, resetPasswordFor, revokeTokenFor, updateUserFor } from '../../auth/user-actions.js'
import { getUser, listUsers, publicUser } from '../../auth/users.js'
import { now } from '../../clock.js'
import { listInstitutions, listOrganisations } from '../../registry/bindings.js'
import { NewTokenBody, NewUserBody, UserChangesBody, type PublicUser } from '../../schemas/users.js'
import { actOrSayWhy } from '../../web/actions.js'
import { setFlash } from '../../web/flash.js'
import { blankForm, submitForm } from '../../web/forms.js'
import { dateTime } from '../../web/format.js'
import { ACTION_NAMES } from '../../web/names.js'
import { pagination } from '../../web/pagination.js'
import { regionChoices } from '../../web/region-choices.js'

const PER_PAGE = 30
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const TokenParams = Type.Object({ id: Type.Integer({ minimum: 1 }), tokenId: Type.Integer({ minimum: 1 }) })
const USER_LABELS = { username: '用户名', displayName: '姓名', password: '初始密码', roles: '角色', regionCode: '行政区划', organisationId: '慈善组织', institutionId: '培训机构', disabled: '账号状态' }
const TOKEN_LABELS = { name: '用途', scopes: '权限', expiresAt: '有效期' }
const TOKEN_DAYS = [30, 90, 180, 365]
/** On the change form, "no binding" (a form cannot send null). */
const NONE = 'none'

export const ADMIN_SECTIONS = [
  { href: '/admin/users', label: '账号', text: '创建工作人员账号，分配角色和辖区、机构；停用、重置密码、强制退出；API 令牌。' },
  { href: '/admin/policy', label: '政策参数', text: '各地认定政策的标准（低保标准、边缘倍数等）按生效日期分版本，可比较两个版本。' },
  { href: '/admin/need-rules', label: '需求范围', text: '各地哪些家庭可以提出微心愿、领取爱心培训券。' },
  { href: '/admin/search', label: '搜索', text: '索引状态和待同步的变更、一致性检查与修复、重建索引、同义词。' },
  { href: '/admin/system', label: '系统', text: '数据库、搜索、任务队列的状态，失败的任务及重试。' }
]

/** The choices for binding an account: counties and towns, charity organisations, training institutions. */
async function bindingChoices (request: FastifyRequest) {
  const db = request.server.db
  return {
    regions: await regionChoices(db),
    organisations: await listOrganisations(db),
    institutions: await listInstitutions(db),
    staffRoles: STAFF_ROLES.map(code => ({ code, name: ROLE_NAMES[code] }))
  }
}

/** An account as the pages show it: roles and binding in words. */
function userCard (user: PublicUser, names: { organisations: Array<{ id: number, name: string }>, institutions: Array<{ id: number, name: string }>, regions: Array<{ code: string, name: string }> }) {
  return {
    ...user,
    roleNames: user.roles.map(role => ROLE_NAMES[role]).join('、'),
    binding: [
      user.regionCode ? names.regions.find(r => r.code === user.regionCode)?.name ?? user.regionCode : null,
      user.organisationId ? names.organisations.find(o => o.id === user.organisationId)?.name : null,
      user.institutionId ? names.institutions.find(i => i.id === user.institutionId)?.name : null
    ].filter(Boolean).join('、')
  }
}

/** The choices of a token's expiry: days from now, as the date-time the API's schema takes. */
function expiryChoices (at: number) {
  return TOKEN_DAYS.map(days => {
    const when = new Date(at + days * 86400_000)
    return { code: when.toISOString(), name: `${days} 天（至 ${dateTime(when)}）` }
  })
}

export const adminUserPages: FastifyPluginAsyncTypebox = async app => {
  const hide = { hide: true }

  app.get('/admin', { config: { access: 'user.manage' }, schema: hide }, async (_request, reply) => {
    return reply.page('admin/home', { title: '系统管理', tab: 'home', breadcrumbs: [{ label: '系统管理' }], sections: ADMIN_SECTIONS })
  })

  const UserList = Type.Object({
    role: Type.Optional(Type.Enum(ROLES)),
    page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 })
  }, { additionalProperties: false })

  app.get('/admin/users', { config: { access: 'user.read' }, attachValidation: true, schema: { ...hide, querystring: UserList } }, async (request, reply) => {
    const query = request.validationError ? { page: 1 } as { role?: Role, page: number } : request.query
    const rows = await listUsers(app.db, regionScopeFor(request.principal, 'user.read'), { role: query.role, limit: PER_PAGE + 1, offset: (query.page - 1) * PER_PAGE })
    const choices = await bindingChoices(request)
    return reply.page('admin/users', {
      title: '账号', tab: 'users', breadcrumbs: [{ label: '系统管理', href: '/admin' }, { label: '账号' }],
      query, roles: ROLES.map(code => ({ code, name: ROLE_NAMES[code] })),
      canManage: authorize(request.principal, 'user.manage'),
      users: rows.slice(0, PER_PAGE).map(row => userCard(publicUser(row), choices)),
      pages: pagination(query.page, query.page + (rows.length > PER_PAGE ? 1 : 0), page => `/admin/users?${new URLSearchParams({ ...(query.role ? { role: query.role } : {}), page: String(page) }).toString()}`)
    })
  })

  const newUserPage = async (request: FastifyRequest) => ({
    title: '新建账号', tab: 'users', breadcrumbs: [{ label: '系统管理', href: '/admin' }, { label: '账号', href: '/admin/users' }, { label: '新建' }],
    ...await bindingChoices(request)
  })

  app.get('/admin/users/new', { config: { access: 'user.manage' }, schema: hide }, async (request, reply) => {
    return reply.page('admin/user-new', { ...await newUserPage(request), form: blankForm() })
  })

  app.post('/admin/users', { config: { access: 'user.manage' }, attachValidation: true, schema: { ...hide, body: NewUserBody } }, async (request, reply) => {
    return submitForm(request, reply, { view: 'admin/user-new', data: () => newUserPage(request), labels: USER_LABELS }, async () => {
      const { _csrf: _token, ...input } = request.body
      const user = await createUserFor(request, input)
      setFlash(request, reply, 'success', `账号 ${user.username} 已创建。请把用户名和初始密码当面或电话告诉本人，并请他登录后在“我的账号”里修改密码。`)
      return reply.redirect(`/admin/users/${user.id}`, 303)
    })
  })

  /** One account's page: its facts, the change form, its tokens, and what was just made (a temporary password, a token), shown once. */
  const userPage = async (request: FastifyRequest, id: number, shown: { temporaryPassword?: string, token?: string } = {}) => {
    const user = publicUser(await getUser(app.db, regionScopeFor(request.principal, 'user.read'), id))
    const choices = await bindingChoices(request)
    const canManage = authorize(request.principal, 'user.manage')
    const tokens = authorize(request.principal, 'token.manage') ? await listApiTokens(app.db, user.id) : []
    const at = now()
    return {
      title: `账号：${user.username}`, tab: 'users',
      breadcrumbs: [{ label: '系统管理', href: '/admin' }, { label: '账号', href: '/admin/users' }, { label: user.username }],
      user: userCard(user, choices), ...choices, canManage,
      tokens: tokens.map(token => ({ ...token, expired: new Date(token.expiresAt).getTime() <= at, scopesText: token.scopes.map(scope => isAction(scope) ? ACTION_NAMES[scope] : scope).join('、') })),
      canManageTokens: authorize(request.principal, 'token.manage'),
      actions: ACTIONS.map(code => ({ code, name: ACTION_NAMES[code] })),
      expiries: expiryChoices(at),
      maxTokenDays: MAX_TOKEN_DAYS,
      shown,
      form: blankForm({ displayName: user.displayName, roles: user.roles, regionCode: user.regionCode ?? '', organisationId: user.organisationId ?? '', institutionId: user.institutionId ?? '', disabled: user.disabled }),
      tokenForm: blankForm()
    }
  }

  app.get('/admin/users/:id', { config: { access: 'user.read' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    return reply.page('admin/user', await userPage(request, request.params.id))
  })

  app.post('/admin/users/:id', {
    config: { access: 'user.manage' },
    attachValidation: true,
    // "No binding" is sent as a word; the API's schema takes it as null.
    preValidation: async request => {
      const body = request.body as Record<string, unknown> | undefined
      if (body) for (const field of ['regionCode', 'organisationId', 'institutionId']) if (body[field] === NONE) body[field] = null
    },
    schema: { ...hide, params: IdParams, body: UserChangesBody }
  }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'admin/user', data: () => userPage(request, id), labels: USER_LABELS }, async () => {
      const { _csrf: _token, ...changes } = request.body
      const user = await updateUserFor(request, id, changes)
      setFlash(request, reply, 'success', `账号 ${user.username} 已保存。${user.disabled ? '账号已停用，' : ''}它原有的登录都已结束。`)
      return reply.redirect(`/admin/users/${id}`, 303)
    })
  })

  app.post('/admin/users/:id/password-reset', { config: { access: 'user.manage' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const { temporaryPassword, sessionsEnded } = await resetPasswordFor(request, request.params.id)
    // Shown on this page only: never in a flash cookie, the trail or the log.
    reply.header('cache-control', 'no-store')
    return reply.page('admin/user', { ...await userPage(request, request.params.id, { temporaryPassword }), sessionsEnded })
  })

  app.post('/admin/users/:id/sign-out-everywhere', { config: { access: 'user.manage' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const user = await managedUser(request, request.params.id)
    const { sessionsEnded } = await signOutEverywhere(request, { id: user.id, regionCode: user.region_code }, 'user.signed_out_everywhere')
    setFlash(request, reply, 'success', sessionsEnded > 0 ? `已结束 ${user.username} 的 ${sessionsEnded} 个登录。` : `${user.username} 当前没有登录。`)
    return reply.redirect(`/admin/users/${user.id}`, 303)
  })

  app.post('/admin/users/:id/tokens', { config: { access: 'token.manage' }, attachValidation: true, schema: { ...hide, params: IdParams, body: NewTokenBody } }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'admin/user', data: () => userPage(request, id), labels: TOKEN_LABELS, as: 'tokenForm' }, async () => {
      const created = await createTokenFor(request, id, request.body)
      reply.header('cache-control', 'no-store')
      return reply.status(201).page('admin/user', await userPage(request, id, { token: created.token }))
    })
  })

  app.post('/admin/users/:id/tokens/:tokenId/revoke', { config: { access: 'token.manage' }, schema: { ...hide, params: TokenParams } }, async (request, reply) => {
    const back = `/admin/users/${request.params.id}`
    return actOrSayWhy(request, reply, back, async () => {
      const revoked = await revokeTokenFor(request, request.params.id, request.params.tokenId)
      setFlash(request, reply, 'success', `令牌“${revoked.name}”已撤销，使用它的程序将无法再访问。`)
      return reply.redirect(back, 303)
    })
  })
}
