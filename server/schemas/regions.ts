// A region of the tree (county → town → village) as pickers and filters read it.
import { Type, type Static } from 'typebox'

export const RegionSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Type.String(),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  profile: Type.Union([Type.String(), Type.Null()], { description: '本级设定的认定政策' })
})
export type Region = Static<typeof RegionSchema>
