// The access-control errors, in the common error shape (server/http/errors.ts).
import { AppError } from '../http/errors.js'

export const unauthenticated = () => new AppError(401, 'unauthenticated', '请先登录 (sign-in required)')
export const forbidden = (why = '无权执行此操作') => new AppError(403, 'forbidden', `${why} (forbidden)`)
export const csrfRejected = () => new AppError(403, 'csrf_rejected', '表单已失效或来源不明，请刷新页面后重试 (missing or wrong CSRF token)')
export const invalidCredentials = () => new AppError(401, 'invalid_credentials', '用户名或密码错误 (wrong username or password)')

export const tooManyAttempts = (retryAfterSeconds: number) =>
  new AppError(429, 'too_many_attempts', `尝试次数过多，请 ${retryAfterSeconds} 秒后再试 (too many attempts)`, [
    { code: 'retry_after', message: 'seconds to wait', retryAfter: retryAfterSeconds }
  ])

export const accountLocked = (retryAfterSeconds: number) =>
  new AppError(423, 'account_locked', `连续登录失败次数过多，账号已临时锁定，请 ${retryAfterSeconds} 秒后再试 (account temporarily locked)`, [
    { code: 'retry_after', message: 'seconds to wait', retryAfter: retryAfterSeconds }
  ])
