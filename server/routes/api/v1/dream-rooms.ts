// 梦想小屋: a child's room surveyed, designed, built and handed over, each stage with a due date
// and evidence; and fund applications, which wait for confirmation with the matcher's proposals.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

export const dreamRoomRoutes: FastifyPluginAsyncTypebox = async () => {}
