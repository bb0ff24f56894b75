// The entry of every worker thread: it starts the TypeScript module named in workerData.module.
// The server runs under tsx, and in Node 20 a worker does not inherit the loader that
// `--import tsx` registered on the main thread, so the worker registers it before the import.
import { workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
await import(workerData.module)
