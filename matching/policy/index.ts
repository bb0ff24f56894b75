// The regional policy engine (pure). Public API:
//   evaluate(request, staffVersions?)  the API contract: category, each member's outcome, 单人保
//                                      members, per-capita income, profile version and an
//                                      explanation citing the documents
//   keepHouseholdCategory(...)         members' outcomes when a 渐退期 keeps the household's category
//   classify(profile, parameters, household, asOf)  the same with parameters resolved once (the registry's path)
//   resolveParameters(...)             dated parameters in force on a day, with a version string
//   parameterProblem(...)              why a value cannot be a version of a profile's parameter
//   compareDecisions(current, next)    what a new decision would change, for a dry run
//   gradualExit(...), monitoredWindow(...)  渐退期 end and other-monitored-object windows
//   PROFILES, PROFILE_IDS, PARAMETER_KEYS  what the server lists and validates staff input against
export { PROFILES, PROFILE_IDS, DOCUMENTS, UnknownProfileError, profileOf, profileReads, parameterProblem, type Citation, type Profile, type ProfileId, type RuleId } from './profiles.js'
export { PARAMETER_KEYS, isParameterKey, resolveParameters, type ParameterKey, type ParameterSpec, type ParameterVersion, type ResolvedParameters } from './parameters.js'
export { evaluate, classify, MissingParameterError, EmptyHouseholdError, ageOn, type EvaluateRequest, type EvaluateResult, type Household, type Member } from './evaluate.js'
export { citedStep, traceStep, type TraceStep } from './trace.js'
export { keepHouseholdCategory, qualifiesForIndividualDibao, PERSON_BASES, type MemberOutcome } from './persons.js'
export { compareDecisions, type ComparedDecision, type Comparison } from './compare.js'
export { gradualExit, monitoredWindow, monitoring, type GradualExitInput, type GradualExitResult, type MonitoredReason, type MonitoredWindowResult, type MonitoringGround, type MonitoringResult } from './transitions.js'
