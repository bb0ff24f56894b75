// Configuration comes from the environment only. In production every variable is required
// and validated at start-up; in development/demo the launcher fills in embedded services
// and generated secrets (kept under DATA_DIR), so `npm start` needs nothing set.
import { isIP } from 'node:net'
import { resolve } from 'node:path'

export type Mode = 'production' | 'development' | 'test'

export interface Config {
  mode: Mode
  /** Demo data and demo logins exist only when true (never in production). */
  demo: boolean
  host: string
  port: number
  dataDir: string
  databaseUrl: string
  meiliUrl: string
  meiliMasterKey: string
  /** Prefix for Meilisearch index names, so that instances and test files never collide. */
  searchPrefix: string
  redisUrl: string
  /** Prefix for bull queue keys, for the same reason. */
  queuePrefix: string
  piiEncryptionKey: Buffer
  blindIndexKey: Buffer
  logLevel: string
  /**
   * Behind reverse proxies (TRUST_PROXY): the proxies' addresses/CIDRs, whose X-Forwarded-For
   * entries are believed. Never "trust everything": the leftmost entry is the client's own claim.
   */
  trustProxy: false | string[]
  /** Cookies only over TLS (COOKIE_SECURE; on by default in production). */
  secureCookies: boolean
  /** Days a donor has to deliver a claimed wish before it returns to the others (CLAIM_DELIVERY_DAYS). */
  claimDeliveryDays: number
  /** At least this many published wishes share what donors see of each one (K_ANONYMITY). */
  kAnonymity: number
  /** How long donor searches reuse the facet counts of the same words and filters (FACET_CACHE_SECONDS; 0: never). */
  facetCacheSeconds: number
  /** Claims a donor may hold undelivered at once (MAX_ACTIVE_CLAIMS). */
  maxActiveClaims: number
  /** Mail server for codes and notifications to e-mail addresses (SMTP_URL, e.g. smtps://user:pass@mail.example.org); none: logged. */
  smtpUrl: string | undefined
  /** Sender address of those mails (SMTP_FROM). */
  smtpFrom: string
  /** SMS gateway hook for codes and notifications to phones (SMS_WEBHOOK_URL); none: logged. */
  smsWebhookUrl: string | undefined
  /** Bearer token for the SMS gateway hook (SMS_WEBHOOK_TOKEN). */
  smsWebhookToken: string | undefined
}

export class ConfigError extends Error {
  constructor (readonly problems: string[]) {
    super(`配置错误 / invalid configuration:\n${problems.map(p => `  - ${p}`).join('\n')}`)
  }
}

type Env = Record<string, string | undefined>

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/** An IP address, a CIDR block, or one of proxy-addr's names for the private ranges. */
function isProxyAddress (entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true
  const [address = '', bits, ...rest] = entry.split('/')
  const version = isIP(address)
  if (version === 0 || rest.length > 0) return false
  return bits === undefined || (/^[0-9]{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128))
}

/** Reads and validates the configuration; throws ConfigError naming every bad variable. */
export function loadConfig (env: Env = process.env): Config {
  const problems: string[] = []
  const mode: Mode = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development'
  const production = mode === 'production'

  /** A variable that may be absent; when present, `check` says what is wrong with it. */
  const optional = (name: string, check?: (value: string) => string | undefined): string | undefined => {
    const value = env[name]?.trim()
    if (!value) return undefined
    const problem = check?.(value)
    if (problem) problems.push(`${name} ${problem}`)
    return value
  }
  const text = (name: string, check?: (value: string) => string | undefined): string => {
    const value = optional(name, check)
    if (value === undefined) problems.push(`${name} is required${production ? ' in production' : ''}`)
    return value ?? ''
  }
  const url = (protocols: string[]) => (value: string) => {
    try {
      const parsed = new URL(value)
      return protocols.includes(parsed.protocol) ? undefined : `must be a ${protocols.join(' or ')}// URL`
    } catch {
      return 'is not a valid URL'
    }
  }
  const key = (name: string): Buffer => {
    const value = text(name, v => /^[0-9a-fA-F]{64}$/.test(v) ? undefined : 'must be 64 hex characters (a 32-byte key)')
    return Buffer.from(/^[0-9a-fA-F]{64}$/.test(value) ? value : '', 'hex')
  }

  const logLevel = env.LOG_LEVEL?.trim() || (mode === 'test' ? 'silent' : 'info')
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`)
  const flag = (name: string, fallback: boolean): boolean => {
    const value = env[name]?.trim().toLowerCase()
    if (!value) return fallback
    if (['1', 'true', 'on', 'yes'].includes(value)) return true
    if (['0', 'false', 'off', 'no'].includes(value)) return false
    problems.push(`${name} must be true or false, got "${value}"`)
    return fallback
  }

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const value = env[name]?.trim()
    if (!value) return fallback
    const number = Number(value)
    if (!Number.isInteger(number) || number < min || number > max) problems.push(`${name} must be an integer from ${min} to ${max}, got "${value}"`)
    return number
  }

  const trustProxy = (): Config['trustProxy'] => {
    const value = env.TRUST_PROXY?.trim().toLowerCase()
    if (!value || ['0', 'false', 'off', 'no'].includes(value)) return false
    const proxies = value.split(',').map(entry => entry.trim())
    if (proxies.every(isProxyAddress)) return proxies
    // Neither `true` nor a hop count: both would believe a client that bypasses the proxy.
    problems.push(`TRUST_PROXY must list the proxies' addresses or CIDRs (e.g. 10.0.0.5 or 10.0.0.0/24,loopback), got "${value}"`)
    return false
  }

  const config: Config = {
    mode,
    demo: !production && env.SHANQIAO_DEMO !== 'off',
    host: env.HOST?.trim() || (production ? '0.0.0.0' : '127.0.0.1'),
    port: integer('PORT', 3000, 0, 65535),
    dataDir: resolve(env.DATA_DIR?.trim() || '.data'),
    databaseUrl: text('DATABASE_URL', url(['postgres:', 'postgresql:'])),
    meiliUrl: text('MEILI_URL', url(['http:', 'https:'])),
    meiliMasterKey: text('MEILI_MASTER_KEY', v => v.length >= 16 ? undefined : 'must be at least 16 characters'),
    searchPrefix: env.SEARCH_PREFIX?.trim() ?? '',
    redisUrl: text('REDIS_URL', url(['redis:', 'rediss:'])),
    queuePrefix: env.QUEUE_PREFIX?.trim() || 'shanqiao',
    piiEncryptionKey: key('PII_ENCRYPTION_KEY'),
    blindIndexKey: key('BLIND_INDEX_KEY'),
    logLevel,
    trustProxy: trustProxy(),
    secureCookies: flag('COOKIE_SECURE', production),
    claimDeliveryDays: integer('CLAIM_DELIVERY_DAYS', 14, 1, 90),
    kAnonymity: integer('K_ANONYMITY', 3, 2, 50),
    facetCacheSeconds: integer('FACET_CACHE_SECONDS', 10, 0, 300),
    maxActiveClaims: integer('MAX_ACTIVE_CLAIMS', 5, 1, 100),
    smtpUrl: optional('SMTP_URL', url(['smtp:', 'smtps:'])),
    smtpFrom: env.SMTP_FROM?.trim() || 'noreply@shanqiao.local',
    smsWebhookUrl: optional('SMS_WEBHOOK_URL', url(['http:', 'https:'])),
    smsWebhookToken: env.SMS_WEBHOOK_TOKEN?.trim() || undefined
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return config
}
