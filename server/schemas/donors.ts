// What staff who work with donors read of them (the donor list, one donor with their claims
// and gifts) and the notes they send them. These are what Fastify serialises.
import { Type, type Static } from 'typebox'
import { DonorSchema } from '../donors/profile.js'
import { DonorMessageSchema } from '../donors/messages.js'
import { ClaimSchema } from './needs.js'

const ClaimCounts = Type.Object({
  active: Type.Integer({ description: '待送达' }),
  delivered: Type.Integer({ description: '已送达待确认' }),
  confirmed: Type.Integer({ description: '已实现' }),
  ended: Type.Integer({ description: '已过期或放弃' })
})

export const StaffDonorSchema = Type.Object({
  ...DonorSchema.properties,
  verified: Type.Boolean({ description: '账号的手机号或邮箱已验证' }),
  claims: ClaimCounts,
  given: Type.Number({ description: '已实现的心愿合计金额（元）' }),
  projectsFunded: Type.Integer({ description: '资助的慈善项目数' })
}, { description: '爱心人士（工作人员所见，含联系方式：每次读取都记入审计）' })
export type StaffDonor = Static<typeof StaffDonorSchema>

export const StaffDonorListSchema = Type.Object({ total: Type.Integer(), items: Type.Array(StaffDonorSchema) })

export const StaffDonorDetailSchema = Type.Object({
  donor: StaffDonorSchema,
  claims: Type.Array(ClaimSchema, { description: '认领的心愿（去标识化），新的在前，至多 50 个' }),
  projects: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String(), status: Type.String(), budget: Type.Number(), spent: Type.Number() }), { description: '其资助的慈善项目' }),
  notes: Type.Array(DonorMessageSchema, { description: '发给他的感谢信和成效说明' })
})
export type StaffDonorDetail = Static<typeof StaffDonorDetailSchema>

export const DONOR_NOTE_KINDS = ['thanks', 'impact'] as const
export const DonorNoteInputSchema = Type.Object({
  kind: Type.Enum(DONOR_NOTE_KINDS, { description: 'thanks 感谢信，impact 成效说明' }),
  body: Type.String({ minLength: 10, maxLength: 1000 })
}, { additionalProperties: false })
export type DonorNoteInput = Static<typeof DonorNoteInputSchema>

export const NoteCheckSchema = Type.Object({
  body: Type.String({ description: '去标识化后的正文（将发送的内容）' }),
  removed: Type.Array(Type.Object({ kind: Type.String(), text: Type.String() }), { description: '会被隐去的内容：姓名、电话、证件号、地址或长数字' }),
  ready: Type.Boolean({ description: 'true：无需隐去任何内容，可以发送' })
})
export type NoteCheck = Static<typeof NoteCheckSchema>
