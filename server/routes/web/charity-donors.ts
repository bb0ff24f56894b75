// The donors a charity federation works with (/charity/donors): each with the verification of
// their contact, their claims and gifts, and the notes sent to them; and writing a thank-you or
// impact note — checked for anything that could name a family, shown as the donor will read it,
// then sent. Reading donors' names and contacts is audited as the API's list is
// (audit/pii-read.ts); the note goes through the function the API's twin calls (donors/staff.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { auditDonorContactsRead } from '../../audit/pii-read.js'
import { formBody } from '../../auth/csrf.js'
import { today } from '../../clock.js'
import { checkDonorNote, listStaffDonors, sendNoteAs, staffDonorRead } from '../../donors/staff.js'
import { DonorNoteInputSchema } from '../../schemas/donors.js'
import { IdParams } from '../../schemas/needs.js'
import { PROJECT_STATUS_NAMES, type ProjectStatus } from '../../supply/project-states.js'
import { setFlash } from '../../web/flash.js'
import { blankForm, submitForm, type FormState } from '../../web/forms.js'
import { pagination } from '../../web/pagination.js'

const PER_PAGE = 20
const NoteForm = formBody(DonorNoteInputSchema.properties)
const NOTE_LABELS = { kind: '类型', body: '内容' }
const KIND_NAMES = { individual: '爱心人士', enterprise: '爱心企业' } as const
const CLAIM_STATE_NAMES: Record<string, string> = { active: '待送达', delivered: '已送达，待确认', confirmed: '已实现', expired: '已过期', cancelled: '已放弃' }
const NOTE_KINDS = [{ code: 'thanks', name: '感谢信' }, { code: 'impact', name: '成效说明' }]
const REMOVAL_NAMES: Record<string, string> = { name: '姓名', phone: '电话', id_number: '身份证号', address: '地址', digits: '长数字' }

const DonorList = Type.Object({
  kind: Type.Optional(Type.Enum(['individual', 'enterprise'])),
  verified: Type.Optional(Type.Boolean()),
  q: Type.Optional(Type.String({ maxLength: 50 })),
  page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 })
}, { additionalProperties: false })

export const charityDonorPages: FastifyPluginAsyncTypebox = async app => {
  const hide = { hide: true }

  app.get('/charity/donors', { config: { access: 'donor.read' }, attachValidation: true, schema: { ...hide, querystring: DonorList } }, async (request, reply) => {
    const query = request.validationError ? { page: 1 } as { kind?: 'individual' | 'enterprise', verified?: boolean, q?: string, page: number } : request.query
    const found = await listStaffDonors(app.db, { kind: query.kind, verified: query.verified, q: query.q, limit: PER_PAGE, offset: (query.page - 1) * PER_PAGE })
    if (found.items.length > 0) await auditDonorContactsRead(request, found.items.map(d => d.id))
    const params = (page: number) => new URLSearchParams(Object.entries({ ...query, page }).filter(([key, value]) => value !== undefined && !(key === 'page' && value === 1)).map(([k, v]) => [k, String(v)] as [string, string])).toString()
    return reply.page('charity/donors', {
      title: '爱心人士', tab: 'donors', breadcrumbs: [{ label: '慈善工作台', href: '/charity' }, { label: '爱心人士' }],
      query, total: found.total,
      donors: found.items.map(d => ({ ...d, kindName: KIND_NAMES[d.kind] })),
      pages: pagination(query.page, Math.ceil(found.total / PER_PAGE), page => `/charity/donors${params(page) ? `?${params(page)}` : ''}`)
    })
  })

  const donorPage = async (request: FastifyRequest, id: number) => {
    const detail = await staffDonorRead(request, id, today())
    return {
      title: `爱心人士：${detail.donor.name}`, tab: 'donors',
      breadcrumbs: [{ label: '慈善工作台', href: '/charity' }, { label: '爱心人士', href: '/charity/donors' }, { label: detail.donor.name }],
      donor: { ...detail.donor, kindName: KIND_NAMES[detail.donor.kind] },
      claims: detail.claims.map(c => ({ ...c, stateName: CLAIM_STATE_NAMES[c.state] })),
      projects: detail.projects.map(p => ({ ...p, statusName: PROJECT_STATUS_NAMES[p.status as ProjectStatus] ?? p.status })),
      notes: detail.notes.map(n => ({ ...n, kindName: n.kind === 'impact' ? '成效说明' : '感谢信' })),
      kinds: NOTE_KINDS,
      form: blankForm({ kind: 'thanks' })
    }
  }

  app.get('/charity/donors/:id', { config: { access: 'donor.read' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    return reply.page('charity/donor', await donorPage(request, request.params.id))
  })

  app.post('/charity/donors/:id/notes/check', { config: { access: 'donor.message' }, attachValidation: true, schema: { ...hide, params: IdParams, body: NoteForm } }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'charity/donor', data: () => donorPage(request, id), labels: NOTE_LABELS }, async () => {
      const check = await checkDonorNote(app.db, app.config, id, request.body.body)
      const form: FormState = check.ready
        ? blankForm({ kind: request.body.kind, body: request.body.body })
        : { values: { kind: request.body.kind, body: request.body.body }, errors: { body: '内容可能让人认出受助家庭，请删去下面标出的部分后再检查' }, problems: [], summary: [{ field: 'body', message: '内容可能让人认出受助家庭，请删去下面标出的部分后再检查' }] }
      return reply.status(check.ready ? 200 : 400).page('charity/donor', {
        ...await donorPage(request, id),
        form,
        check: { ...check, kindName: request.body.kind === 'impact' ? '成效说明' : '感谢信', kind: request.body.kind, original: request.body.body, removed: check.removed.map(r => ({ ...r, kindName: REMOVAL_NAMES[r.kind] ?? r.kind })) }
      })
    })
  })

  app.post('/charity/donors/:id/notes', { config: { access: 'donor.message' }, attachValidation: true, schema: { ...hide, params: IdParams, body: NoteForm } }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'charity/donor', data: () => donorPage(request, id), labels: NOTE_LABELS }, async () => {
      const sent = await sendNoteAs(request, id, { kind: request.body.kind, body: request.body.body })
      setFlash(request, reply, 'success', `${sent.kind === 'impact' ? '成效说明' : '感谢信'}已发送，对方会在“感谢与消息”中看到，并收到通知。`)
      return reply.redirect(`/charity/donors/${id}`, 303)
    })
  })
}
