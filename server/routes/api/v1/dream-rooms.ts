// 梦想小屋: a child's room surveyed, designed, built and handed over, each stage with a due date
// and evidence.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

export const dreamRoomRoutes: FastifyPluginAsyncTypebox = async () => {}
