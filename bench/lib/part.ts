/**
 * How a benchmark part runs: alone (`tsx --tsconfig bench/tsconfig.json bench/wire.ts`, printing
 * its result as JSON), or as a child of `bench/index.ts`, which gets the result over IPC.
 */
export async function runPart<T>(name: string, main: () => Promise<T>): Promise<void> {
  const log = (line: string): void => void process.stderr.write(`  [${name}] ${line}\n`);
  progress = log;
  const result = await main();
  if (process.send) {
    await new Promise<void>((resolve) => process.send?.({ type: 'result', result }, () => resolve()));
    process.disconnect();
  } else {
    console.log(JSON.stringify(result, null, 2));
  }
}

let progress: (line: string) => void = () => {};

/** A progress line on stderr (stdout is kept for results). */
export function log(line: string): void {
  progress(line);
}
