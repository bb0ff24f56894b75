// The six roles of the platform (issue 4). Staff roles are created by an administrator and
// bound to a region subtree or an organisation; donors register themselves.
export const ROLES = ['admin', 'civil_affairs', 'charity_staff', 'donor', 'institution', 'auditor'] as const
export type Role = (typeof ROLES)[number]

export const ROLE_NAMES: Record<Role, string> = {
  admin: '系统管理员',
  civil_affairs: '民政工作人员',
  charity_staff: '慈善总会工作人员',
  donor: '爱心人士 / 爱心企业',
  institution: '培训机构',
  auditor: '审计人员'
}

export const STAFF_ROLES: readonly Role[] = ['admin', 'civil_affairs', 'charity_staff', 'institution', 'auditor']

export function isRole (value: string): value is Role {
  return (ROLES as readonly string[]).includes(value)
}
