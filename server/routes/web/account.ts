// Signing in and out, donors' registration and contact verification, one's own account, and
// resetting a forgotten password — the pages over server/auth/accounts.ts, which the API's
// routes call too (same schemas, limits and audit records).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import {
  AccountChangesBody, changeAccount, changePassword, PasswordChangeBody, registerDonor, RegistrationBody, requestPasswordReset,
  resendContactCode, RESET_REQUESTED, ResetBody, resetPassword, ResetRequestBody, signIn, SignInBody, verifyContact, VerifyContactBody
} from '../../auth/accounts.js'
import { clearSessionCookie, setSessionCookie } from '../../auth/plugin.js'
import { ROLE_NAMES } from '../../auth/roles.js'
import { deleteSession } from '../../auth/sessions.js'
import { signOutEverywhere } from '../../auth/sign-out-everywhere.js'
import { getUser, principalOf } from '../../auth/users.js'
import { EVERYWHERE } from '../../db/scope.js'
import { setFlash } from '../../web/flash.js'
import { blankForm, submitForm } from '../../web/forms.js'
import { homeFor } from '../../web/navigation.js'
import { safeNextPath } from '../../web/next-path.js'

const NextQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })), reason: Type.Optional(Type.Literal('expired')) })
const LoginQuery = Type.Object({ login: Type.Optional(Type.String({ maxLength: 100 })) })

const LABELS = {
  login: { username: '用户名', password: '密码' },
  register: { kind: '身份', name: '名称', username: '用户名', password: '密码', contact: '手机号或邮箱' },
  verify: { code: '验证码' },
  account: { displayName: '显示名称', contact: '手机号或邮箱' },
  password: { currentPassword: '当前密码', newPassword: '新密码' },
  forgot: { login: '用户名或手机号/邮箱' },
  reset: { login: '用户名或手机号/邮箱', code: '验证码', newPassword: '新密码' }
}

/** The sign-in form posts back with the page to return to. */
const loginAction = (next: string | undefined) => next ? `/login?${new URLSearchParams({ next }).toString()}` : '/login'

/** In demo mode only: the code that would have gone to the phone, so that the demo can be tried. */
function demoCode (request: FastifyRequest, reply: FastifyReply, code: string | undefined): void {
  if (request.server.config.demo && code) setFlash(request, reply, 'info', `演示模式：验证码为 ${code}（正式环境中会发送到您的手机或邮箱，这里不会显示）。`)
}

export const accountPages: FastifyPluginAsyncTypebox = async app => {
  const hide = { hide: true }

  app.get('/login', { config: { access: 'public' }, attachValidation: true, schema: { ...hide, querystring: NextQuery } }, async (request, reply) => {
    const next = request.validationError ? undefined : safeNextPath(request.query.next)
    if (request.principal) return reply.redirect(next ?? homeFor(request.principal), 303)
    return reply.page('account/login', {
      title: '登录',
      action: loginAction(next),
      expired: !request.validationError && request.query.reason === 'expired',
      form: blankForm()
    })
  })

  app.post('/login', { config: { access: 'public' }, attachValidation: true, schema: { ...hide, querystring: NextQuery, body: SignInBody } }, async (request, reply) => {
    const next = safeNextPath((request.query as { next?: unknown }).next)
    return submitForm(request, reply, { view: 'account/login', data: { title: '登录', action: loginAction(next) }, labels: LABELS.login }, async () => {
      const { user, session } = await signIn(request, request.body)
      setSessionCookie(reply, app.config, session.token)
      setFlash(request, reply, 'success', `欢迎回来，${user.display_name}。`)
      return reply.redirect(next ?? homeFor(principalOf(user)), 303)
    })
  })

  app.post('/logout', { config: { access: 'signed_in' }, schema: hide }, async (request, reply) => {
    if (request.session) await deleteSession(app.db, request.session.id)
    clearSessionCookie(reply, app.config)
    setFlash(request, reply, 'success', '您已退出登录。')
    return reply.redirect('/', 303)
  })

  app.get('/register', { config: { access: 'public' }, schema: hide }, async (request, reply) => {
    return reply.page('account/register', { title: '注册成为爱心人士', form: blankForm({ kind: 'individual' }), signedInAs: request.principal?.displayName })
  })

  app.post('/register', { config: { access: 'public' }, attachValidation: true, schema: { ...hide, body: RegistrationBody } }, async (request, reply) => {
    return submitForm(request, reply, { view: 'account/register', data: { title: '注册成为爱心人士' }, labels: LABELS.register }, async () => {
      const { user, session, code } = await registerDonor(request, request.body)
      setSessionCookie(reply, app.config, session.token)
      setFlash(request, reply, 'success', `注册成功，欢迎您，${user.display_name}！验证码已发送到 ${request.body.contact}，请输入验证码完成验证。`)
      demoCode(request, reply, code)
      return reply.redirect('/account/verify', 303)
    })
  })

  const verifyPage = async (request: FastifyRequest) => {
    const user = await getUser(app.db, EVERYWHERE, request.principal!.userId)
    return { title: '验证联系方式', breadcrumbs: [{ label: '我的账号', href: '/account' }, { label: '验证联系方式' }], contact: user.contact, verified: user.contact_verified_at !== null }
  }

  app.get('/account/verify', { config: { access: 'signed_in' }, schema: hide }, async (request, reply) => {
    return reply.page('account/verify', { ...await verifyPage(request), form: blankForm() })
  })

  app.post('/account/verify', { config: { access: 'signed_in' }, attachValidation: true, schema: { ...hide, body: VerifyContactBody } }, async (request, reply) => {
    return submitForm(request, reply, { view: 'account/verify', data: () => verifyPage(request), labels: LABELS.verify }, async () => {
      await verifyContact(request, request.body)
      setFlash(request, reply, 'success', '联系方式已验证。现在可以认领心愿了。')
      return reply.redirect(homeFor(request.principal), 303)
    })
  })

  app.post('/account/verify/resend', { config: { access: 'signed_in' }, schema: hide }, async (request, reply) => {
    return submitForm(request, reply, { view: 'account/verify', data: () => verifyPage(request), labels: LABELS.verify }, async () => {
      const code = await resendContactCode(request)
      setFlash(request, reply, 'success', '新的验证码已发送，15 分钟内有效。')
      demoCode(request, reply, code)
      return reply.redirect('/account/verify', 303)
    })
  })

  const accountPage = async (request: FastifyRequest) => {
    const user = await getUser(app.db, EVERYWHERE, request.principal!.userId)
    return {
      title: '我的账号',
      breadcrumbs: [{ label: '我的账号' }],
      account: { username: user.username, displayName: user.display_name, contact: user.contact, verified: user.contact_verified_at !== null, roleName: request.principal!.roles.map(role => ROLE_NAMES[role]).join('、') }
    }
  }

  app.get('/account', { config: { access: 'signed_in' }, schema: hide }, async (request, reply) => {
    const data = await accountPage(request)
    return reply.page('account/account', { ...data, form: blankForm({ displayName: data.account.displayName, contact: data.account.contact }), passwordForm: blankForm() })
  })

  app.post('/account', { config: { access: 'signed_in' }, attachValidation: true, schema: { ...hide, body: AccountChangesBody } }, async (request, reply) => {
    return submitForm(request, reply, { view: 'account/account', data: async () => ({ ...await accountPage(request), passwordForm: blankForm() }), labels: LABELS.account }, async () => {
      const { code } = await changeAccount(request, request.body)
      if (code === undefined) {
        setFlash(request, reply, 'success', '账号信息已保存。')
        return reply.redirect('/account', 303)
      }
      setFlash(request, reply, 'success', `账号信息已保存。验证码已发送到新的联系方式 ${request.body.contact ?? ''}，请完成验证。`)
      demoCode(request, reply, code)
      return reply.redirect('/account/verify', 303)
    })
  })

  app.post('/account/password', { config: { access: 'signed_in' }, attachValidation: true, schema: { ...hide, body: PasswordChangeBody } }, async (request, reply) => {
    // The account page holds two forms; this one's errors show in the password form.
    const page = async () => {
      const data = await accountPage(request)
      return { ...data, form: blankForm({ displayName: data.account.displayName, contact: data.account.contact }) }
    }
    return submitForm(request, reply, { view: 'account/account', data: page, labels: LABELS.password, as: 'passwordForm' }, async () => {
      await changePassword(request, request.body)
      setFlash(request, reply, 'success', '密码已修改。其他设备上的登录已全部退出。')
      return reply.redirect('/account', 303)
    })
  })

  app.post('/account/sign-out-everywhere', { config: { access: 'signed_in' }, schema: hide }, async (request, reply) => {
    const { userId, regionCode } = request.principal!
    const { sessionsEnded } = await signOutEverywhere(request, { id: userId, regionCode }, 'auth.sign_out_everywhere')
    clearSessionCookie(reply, app.config)
    setFlash(request, reply, 'success', `已在所有设备上退出登录（共 ${sessionsEnded} 处）。`)
    return reply.redirect('/login', 303)
  })

  app.get('/password/forgot', { config: { access: 'public' }, schema: hide }, async (_request, reply) => {
    return reply.page('account/forgot', { title: '忘记密码', breadcrumbs: [{ label: '登录', href: '/login' }, { label: '忘记密码' }], form: blankForm() })
  })

  app.post('/password/forgot', { config: { access: 'public' }, attachValidation: true, schema: { ...hide, body: ResetRequestBody } }, async (request, reply) => {
    return submitForm(request, reply, { view: 'account/forgot', data: { title: '忘记密码' }, labels: LABELS.forgot }, async () => {
      const code = await requestPasswordReset(request, request.body)
      setFlash(request, reply, 'info', RESET_REQUESTED)
      demoCode(request, reply, code)
      return reply.redirect(`/password/reset?${new URLSearchParams({ login: request.body.login }).toString()}`, 303)
    })
  })

  app.get('/password/reset', { config: { access: 'public' }, attachValidation: true, schema: { ...hide, querystring: LoginQuery } }, async (request, reply) => {
    const login = request.validationError ? undefined : request.query.login
    return reply.page('account/reset', { title: '设置新密码', breadcrumbs: [{ label: '登录', href: '/login' }, { label: '设置新密码' }], form: blankForm({ login }) })
  })

  app.post('/password/reset', { config: { access: 'public' }, attachValidation: true, schema: { ...hide, body: ResetBody } }, async (request, reply) => {
    return submitForm(request, reply, { view: 'account/reset', data: { title: '设置新密码' }, labels: LABELS.reset }, async () => {
      await resetPassword(request, request.body)
      setFlash(request, reply, 'success', '新密码已设置，请用新密码登录。')
      return reply.redirect('/login', 303)
    })
  })
}
