// Region scoping, taken by every query of the domain modules (server/<domain>/, where the
// queries live; routes hold none) that reads region-keyed rows, so that no list can return
// rows from outside the caller's region subtree. A scope is a region-code prefix: '330503' is the
// whole county, '330503101' one town; '' is everything (administrators, system jobs).
export interface RegionScope {
  regionPrefix: string
}

export const EVERYWHERE: RegionScope = { regionPrefix: '' }

export function inScope (scope: RegionScope, regionCode: string): boolean {
  return regionCode.startsWith(scope.regionPrefix)
}

/** A LIKE pattern for `region_code`; region codes are digits only, so nothing needs escaping. */
export function scopePattern (scope: RegionScope): string {
  return `${scope.regionPrefix}%`
}
