// The words the civil-affairs pages use for the codes of the API: a clerk reads 渐退期 and
// 待核实, never gradual_exit or submitted. One table per vocabulary, taken by the pages, their
// filters and the print views alike.
import { CATEGORY_NAMES, HARDSHIP_NAMES, HELP_KIND_NAMES, WISH_CATEGORY_NAMES, type CategoryOrNone } from '../../matching/domain.js'

export const STATUS_NAMES: Record<string, string> = {
  active: '在册',
  gradual_exit: '渐退期',
  exited: '已退出',
  refused: '不予认定',
  monitored_other: '其他监测对象'
}

export const RELATION_NAMES: Record<string, string> = {
  head: '户主', spouse: '配偶', child: '子女', parent: '父母', grandchild: '孙子女', grandparent: '祖父母', sibling: '兄弟姐妹', other: '其他'
}

export const LABOR_NAMES: Record<string, string> = { full: '有劳动能力', weak: '部分劳动能力', none: '无劳动能力' }

export const DISABILITY_KIND_NAMES: Record<string, string> = {
  physical: '肢体', intellectual: '智力', mental: '精神', visual: '视力', hearing: '听力', speech: '言语', multiple: '多重'
}

export const SCHOOL_NAMES: Record<string, string> = {
  none: '不在学', kindergarten: '学前', primary: '小学', junior: '初中', senior: '高中', vocational: '中职', college: '大学'
}

export const LEAVING_NAMES: Record<string, string> = { death: '去世', moved_out: '迁出', other: '其他' }

export const WISH_STATE_NAMES: Record<string, string> = {
  draft: '草稿',
  submitted: '待核实',
  verified: '已核实，待发布',
  published: '已发布，待认领',
  claimed: '已认领，待送达',
  delivered: '已送达，待确认收到',
  confirmed: '已确认收到',
  closed: '已完成',
  rejected: '未通过',
  withdrawn: '已撤回'
}

export const CLAIM_STATE_NAMES: Record<string, string> = {
  active: '待送达', delivered: '已送达，待确认收到', confirmed: '已确认收到', expired: '已过期（未按时送达）', cancelled: '爱心人士已放弃'
}

export const PROPOSAL_STATUS_NAMES: Record<string, string> = {
  open: '待确认', confirmed: '已确认', rejected: '不予确认', superseded: '已被新一轮推荐取代', cancelled: '已取消'
}

export const FULFILMENT_STATE_NAMES: Record<string, string> = {
  in_progress: '落实中', delivered: '已送达，待签收', received: '家庭已签收', cancelled: '已取消'
}

export const VOUCHER_STATE_NAMES: Record<string, string> = { issued: '已发放，未入班', assigned: '已分配课程', redeemed: '已上课核销', lapsed: '已过期' }

export { ROOM_STAGE_NAMES } from '../dream-rooms/rooms.js'

/** What each stage's completion needs as evidence, in the clerk's words. */
export const ROOM_EVIDENCE_NAMES: Record<string, string> = {
  survey: '房间现状照片', design: '设计方案', build: '施工照片', handover: '家庭签字的交付确认单'
}

export const IMPORT_STATUS_NAMES: Record<string, string> = {
  queued: '排队中', running: '正在导入', completed: '已完成', rejected: '未导入（有问题行）', failed: '出错'
}

export const IMPORT_MODE_NAMES: Record<string, string> = {
  all_or_nothing: '全部正确才导入', valid_rows_only: '只导入正确的家庭'
}

/** The kinds of help in the assistance chain: charity kinds, and the government kinds staff append. */
export const HELP_NAMES: Record<string, string> = {
  ...HELP_KIND_NAMES,
  dibao_payment: '低保金',
  tekun_support: '特困供养金',
  medical_assistance: '医疗救助',
  education_assistance: '教育救助',
  housing_assistance: '住房救助',
  employment_assistance: '就业救助',
  temporary_assistance: '临时救助',
  disaster_assistance: '受灾人员救助',
  care_service: '照料护理服务',
  visit: '走访慰问'
}

/** The government kinds offered on the household page's form (others may be typed by the API). */
export const GOVERNMENT_KINDS = ['dibao_payment', 'tekun_support', 'medical_assistance', 'education_assistance', 'housing_assistance', 'employment_assistance', 'temporary_assistance', 'disaster_assistance', 'care_service', 'visit'] as const

export const categoryName = (code: string | null | undefined): string => code ? CATEGORY_NAMES[code as CategoryOrNone] ?? code : '尚未认定'
export const hardshipName = (code: string): string => HARDSHIP_NAMES[code as keyof typeof HARDSHIP_NAMES] ?? code
export const wishCategoryName = (code: string): string => WISH_CATEGORY_NAMES[code as keyof typeof WISH_CATEGORY_NAMES] ?? code
export const helpName = (kind: string): string => HELP_NAMES[kind] ?? kind
export const nameOf = (names: Record<string, string>, code: string | null | undefined): string => code == null ? '' : names[code] ?? code

/** Options for a select: value, name and whether chosen. */
export function options (names: Record<string, string>, chosen: unknown, codes: readonly string[] = Object.keys(names)): Array<{ value: string, name: string, selected: boolean }> {
  return codes.map(value => ({ value, name: names[value] ?? value, selected: Array.isArray(chosen) ? chosen.includes(value) : String(chosen ?? '') === value }))
}
