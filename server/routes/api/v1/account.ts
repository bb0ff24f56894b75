// One's own account: donors' self-registration and contact verification, the display name
// and contact, the password, and resetting a forgotten password by a code. The pages call the
// same functions (server/auth/accounts.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { errorResponseSchema } from '../../../http/errors.js'
import {
  AccountChangesBody, changeAccount, changePassword, PasswordChangeBody, registerDonor, RegistrationBody, requestPasswordReset,
  resendContactCode, RESET_REQUESTED, ResetBody, resetPassword, ResetRequestBody, verifyContact, VerifyContactBody
} from '../../../auth/accounts.js'
import { setSessionCookie } from '../../../auth/plugin.js'
import { publicUser } from '../../../auth/users.js'
import { PublicUserSchema } from '../../../schemas/users.js'
import { authErrors, SMALL_BODY } from './auth.js'

const tags = ['auth']

export const accountRoutes: FastifyPluginAsyncTypebox = async app => {
  app.post('/api/v1/auth/register', {
    config: { access: 'public' },
    bodyLimit: SMALL_BODY,
    schema: {
      tags, summary: '爱心人士/爱心企业注册（并登录）；验证码发送到联系方式 / donors register themselves, are signed in, and get a code',
      body: RegistrationBody,
      response: { 201: Type.Object({ user: PublicUserSchema, csrfToken: Type.String() }), ...authErrors, 409: errorResponseSchema, 503: errorResponseSchema }
    }
  }, async (request, reply) => {
    const { user, session } = await registerDonor(request, request.body)
    setSessionCookie(reply, app.config, session.token)
    return reply.status(201).send({ user: publicUser(user), csrfToken: session.csrfToken })
  })

  app.post('/api/v1/auth/verify-contact', {
    config: { access: 'signed_in' },
    bodyLimit: SMALL_BODY,
    schema: { tags, summary: '验证联系方式 / confirm the code sent to the contact', body: VerifyContactBody, response: { 204: Type.Null(), ...authErrors } }
  }, async (request, reply) => {
    await verifyContact(request, request.body)
    return reply.status(204).send(null)
  })

  app.post('/api/v1/auth/verify-contact/resend', {
    config: { access: 'signed_in' },
    bodyLimit: SMALL_BODY,
    schema: { tags, summary: '重新发送验证码 / send a new code', response: { 204: Type.Null(), ...authErrors, 503: errorResponseSchema } }
  }, async (request, reply) => {
    await resendContactCode(request)
    return reply.status(204).send(null)
  })

  app.patch('/api/v1/auth/account', {
    config: { access: 'signed_in' },
    bodyLimit: SMALL_BODY,
    schema: {
      tags, summary: '修改显示名称、联系方式（新联系方式须重新验证）/ change the display name or contact',
      body: AccountChangesBody, response: { 200: PublicUserSchema, ...authErrors, 503: errorResponseSchema }
    }
  }, async request => publicUser((await changeAccount(request, request.body)).user))

  app.post('/api/v1/auth/password', {
    config: { access: 'signed_in' },
    bodyLimit: SMALL_BODY,
    schema: { tags, summary: '修改密码 / change the password (ends the other sessions)', body: PasswordChangeBody, response: { 204: Type.Null(), ...authErrors } }
  }, async (request, reply) => {
    await changePassword(request, request.body)
    return reply.status(204).send(null)
  })

  app.post('/api/v1/auth/password-reset/request', {
    config: { access: 'public' },
    bodyLimit: SMALL_BODY,
    schema: {
      tags, summary: '忘记密码：向已验证的联系方式发送验证码（无论账号是否存在，回答相同）/ send a reset code',
      body: ResetRequestBody, response: { 202: Type.Object({ message: Type.String() }), ...authErrors }
    }
  }, async (request, reply) => {
    await requestPasswordReset(request, request.body)
    return reply.status(202).send({ message: RESET_REQUESTED })
  })

  app.post('/api/v1/auth/password-reset', {
    config: { access: 'public' },
    bodyLimit: SMALL_BODY,
    schema: { tags, summary: '用验证码设置新密码（结束该账号的所有会话）/ set a new password with the code', body: ResetBody, response: { 204: Type.Null(), ...authErrors } }
  }, async (request, reply) => {
    await resetPassword(request, request.body)
    return reply.status(204).send(null)
  })
}
