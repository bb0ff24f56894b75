// Dynamic monitoring (动态监测), pure: working days on the official calendar, the warning
// rules as dated data per profile, what a department record means for a person, the
// policy-gap scans, deadlines and the routing table. No I/O and no clock.
export * from './working-days.js'
export * from './rules.js'
export * from './evaluate.js'
export * from './routing.js'
