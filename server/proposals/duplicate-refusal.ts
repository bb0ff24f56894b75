// One refusal for help that a duplicate window forbids, whether a proposal is being confirmed
// or a wish raised: it names the window and the chain entry (or the promise) it collides with,
// and carries what it refused for the statistics (statistics/refusals.ts).
import type { DuplicateVerdict } from '../../matching/duplicate-help.js'
import { conflict, type AppError } from '../http/errors.js'
import { withRefusedHelp, type RefusedHelp } from '../statistics/refusals.js'

export function duplicateRefusal (verdict: Extract<DuplicateVerdict, { verdict: 'duplicate' }>, refused: RefusedHelp): AppError {
  const { id: entryId, pending, occurredOn } = verdict.conflicting
  return withRefusedHelp(conflict('duplicate_assistance', `与已有救助重复（${verdict.rule}，${occurredOn}），如确需帮扶请填写理由 (duplicate help; override with a reason)`,
    [{ code: verdict.rule, message: pending ? `已承诺尚未落实的帮扶 ${pending}` : `救助链第 ${entryId} 条`, entryId, pending: pending ?? null }]), refused)
}
