import type { Job } from 'bull'
import type { LivePopulation } from '../../server/proposals/live-population.js'
import { runProposals } from '../../server/proposals/run.js'
import type { ProposalJob } from '../queues.js'
import type { JobContext } from './context.js'

/** Runs a queued proposal run; progress is the percentage with the counts so far (RunProgress). */
export async function processProposalRun (job: Job<ProposalJob>, { db, log }: JobContext, population: LivePopulation): Promise<void> {
  try {
    const summary = await runProposals(db, job.data.runId, progress => job.progress(progress), population)
    log.info({ runId: job.data.runId, proposed: summary.proposed, eligible: summary.eligible }, 'proposal run finished')
  } catch (error) {
    await db.updateTable('proposal_runs').set({ status: 'failed', finished_at: new Date() }).where('id', '=', job.data.runId).execute()
    throw error
  }
}
