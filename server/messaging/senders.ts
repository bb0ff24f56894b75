// Messages to people outside the platform: verification and password-reset codes, and the
// notifications a donor asked to receive by phone or e-mail. One interface, chosen by
// configuration: e-mail addresses go through SMTP (SMTP_URL), phone numbers through an SMS
// gateway's HTTP hook (SMS_WEBHOOK_URL); whatever has no channel configured is written to
// the log instead, which is what development and demo mode use.
import nodemailer from 'nodemailer'
import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../config.js'

export interface OutgoingMessage {
  /** A mainland mobile number or an e-mail address. */
  to: string
  subject: string
  text: string
}

export interface MessageSender {
  send: (message: OutgoingMessage) => Promise<void>
}

export const isEmailAddress = (contact: string): boolean => contact.includes('@')

/** Development and demo: the message is logged, not sent. */
export function logSender (log: FastifyBaseLogger): MessageSender {
  return {
    async send ({ to, subject, text }) {
      log.info({ to, subject, text }, 'message to a person (no channel configured: logged, not sent)')
    }
  }
}

export function smtpSender (url: string, from: string): MessageSender {
  const transport = nodemailer.createTransport(url)
  return {
    async send ({ to, subject, text }) {
      await transport.sendMail({ from, to, subject, text })
    }
  }
}

/** An SMS gateway behind an HTTP hook: POST { to, text } as JSON, with a bearer token if given. */
export function smsWebhookSender (url: string, token: string | undefined): MessageSender {
  return {
    async send ({ to, text }) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ to, text }),
        signal: AbortSignal.timeout(10_000)
      })
      if (!response.ok) throw new Error(`SMS gateway answered ${response.status}`)
    }
  }
}

/** E-mail and phone each by their channel when configured, else to the log. */
export function configuredSender (config: Pick<Config, 'smtpUrl' | 'smtpFrom' | 'smsWebhookUrl' | 'smsWebhookToken'>, log: FastifyBaseLogger): MessageSender {
  const fallback = logSender(log)
  const email = config.smtpUrl ? smtpSender(config.smtpUrl, config.smtpFrom) : fallback
  const phone = config.smsWebhookUrl ? smsWebhookSender(config.smsWebhookUrl, config.smsWebhookToken) : fallback
  return { send: message => (isEmailAddress(message.to) ? email : phone).send(message) }
}
