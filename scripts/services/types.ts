export interface RunningService {
  /** Connection URL (for Meilisearch: the HTTP base URL). */
  url: string
  stop: () => Promise<void>
}
