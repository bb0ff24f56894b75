// What the policy API answers: each profile with the parameters in force on a day (and where
// each value comes from), and a parameter version once added. These are what Fastify
// serialises, and the types of registry/parameters.ts.
import { Type, type Static } from 'typebox'

const ParameterVersionSchema = Type.Object({
  key: Type.String(),
  value: Type.Number(),
  effectiveFrom: Type.String(),
  source: Type.String({ description: '文件段落，或录入人' }),
  demo: Type.Optional(Type.Boolean()),
  placeholderDate: Type.Optional(Type.Boolean())
})

export const ProfileInForceSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  document: Type.String({ description: 'policy/ 下的文件' }),
  categories: Type.Array(Type.String(), { description: '文件规定的类别（就高顺序）' }),
  profileVersion: Type.String({ description: '所用参数版本的标识，记入每次认定' }),
  parameters: Type.Array(Type.Object({
    key: Type.String(),
    unit: Type.String(),
    description: Type.String(),
    min: Type.Number(),
    above: Type.Optional(Type.Boolean({ description: 'true：不含最小值本身' })),
    max: Type.Number(),
    maxSource: Type.Optional(Type.String({ description: '文件本身的上限所在段落' })),
    integer: Type.Optional(Type.Boolean()),
    value: Type.Optional(Type.Number()),
    effectiveFrom: Type.Optional(Type.String()),
    source: Type.Optional(Type.String()),
    demo: Type.Boolean({ description: '文件未给出数值，此为示例值' }),
    placeholderDate: Type.Boolean({ description: '文件未注明日期，生效日期为占位' })
  })),
  staffVersions: Type.Array(ParameterVersionSchema, { description: '工作人员录入的全部版本' })
})
export type ProfileInForce = Static<typeof ProfileInForceSchema>

export const ParameterCreatedSchema = Type.Object({
  id: Type.Integer(),
  profile: Type.String(),
  key: Type.String(),
  value: Type.Number(),
  effectiveFrom: Type.String(),
  note: Type.String()
})
export type ParameterCreated = Static<typeof ParameterCreatedSchema>
