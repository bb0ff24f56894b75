// 爱心培训券: courses offered by training institutions, each child's entitlement per half-year,
// placement in a seat (by the matcher or the family's choice) and redemption with attendance.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

export const voucherRoutes: FastifyPluginAsyncTypebox = async () => {}
