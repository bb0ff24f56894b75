// What is shown of an uploaded file (evidence, a wish's photo): never its path or hash.
import { Type, type Static } from 'typebox'

export const EvidenceSchema = Type.Object({
  id: Type.Integer(),
  fileName: Type.String(),
  contentType: Type.String(),
  bytes: Type.Integer(),
  stage: Type.Union([Type.String(), Type.Null()], { description: '梦想小屋凭证所属阶段' }),
  kind: Type.Enum(['proof', 'signed_receipt'], { description: 'proof 凭证；signed_receipt 受助家庭签字（按手印）的签收单照片，由工作人员上传' }),
  uploadedAt: Type.String()
})
export type EvidenceView = Static<typeof EvidenceSchema>
