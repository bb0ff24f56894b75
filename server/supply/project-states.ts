// The life of a charity project: drafted, opened to donors and the matcher, paused for a
// while (no new runs, applications, confirmations or fundings; help already confirmed goes on
// to delivery and receipt), resumed, and closed. Closing is for good: a closed project keeps
// its account and its history and confirms nobody.
export const PROJECT_STATUSES = ['draft', 'open', 'paused', 'closed'] as const
export type ProjectStatus = typeof PROJECT_STATUSES[number]

export const PROJECT_STATUS_NAMES: Record<ProjectStatus, string> = { draft: '草稿', open: '进行中', paused: '已暂停', closed: '已结束' }

/** Each move a person can make, from the states it may start in, to the state it leaves the project in. */
export const PROJECT_MOVES = {
  open: { from: ['draft'], to: 'open', name: '开放项目' },
  pause: { from: ['open'], to: 'paused', name: '暂停项目' },
  resume: { from: ['paused'], to: 'open', name: '恢复项目' },
  close: { from: ['open', 'paused'], to: 'closed', name: '结束项目' }
} as const satisfies Record<string, { from: readonly ProjectStatus[], to: ProjectStatus, name: string }>
export type ProjectMove = keyof typeof PROJECT_MOVES
export const MOVE_NAMES = Object.keys(PROJECT_MOVES) as ProjectMove[]

/** The moves a project in this state allows, in the order a page offers them. */
export function movesFrom (status: ProjectStatus): ProjectMove[] {
  return MOVE_NAMES.filter(move => (PROJECT_MOVES[move].from as readonly ProjectStatus[]).includes(status))
}

/** Where a move takes a project in this state, or undefined when the move does not start there. */
export function afterMove (status: ProjectStatus, move: ProjectMove): ProjectStatus | undefined {
  return movesFrom(status).includes(move) ? PROJECT_MOVES[move].to : undefined
}

/** Fields of a project that stay editable once it is open or paused (the rest are fixed then; see supply/projects.ts). */
export const isLive = (status: ProjectStatus) => status === 'open' || status === 'paused'
