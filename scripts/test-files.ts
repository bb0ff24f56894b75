// tap 21 ignores directories named on its command line (alone: "No valid test files";
// next to files: silently skipped), so `npm test -- test/server` is expanded here into the
// test files under each directory.
import { readdirSync, statSync } from 'node:fs'
import { join, resolve, sep } from 'node:path'

function isDirectory (path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

/** Every *.test.ts below dir (not inside node_modules), relative to dir, sorted. */
function testFilesUnder (dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(path => path.endsWith('.test.ts') && !path.split(sep).includes('node_modules'))
    .sort()
}

/**
 * Replaces each argument naming a directory (relative to cwd) with the test files under
 * it; everything else (files, tap's options) passes through unchanged. A directory without
 * test files is an error: passing nothing to tap would run the whole suite instead.
 */
export function expandTestArguments (args: string[], cwd = process.cwd()): string[] {
  return args.flatMap(arg => {
    if (arg.startsWith('-') || !isDirectory(resolve(cwd, arg))) return [arg]
    const files = testFilesUnder(resolve(cwd, arg)).map(file => join(arg, file))
    if (files.length === 0) throw new Error(`no *.test.ts files under ${arg}`)
    return files
  })
}
