/**
 * The travel agent of the OpenAI Agents SDK's execution-modes lesson, in TypeScript with
 * rxjs-agents: one agent with a structured answer, run in all three modes.
 *
 *   npm start                      offline: replays a scripted stream from a local server
 *   OPENAI_API_KEY=sk-… npm start  live, on OpenAI's Responses API (honours OPENAI_BASE_URL)
 *   OPENAI_API_KEY=ollama OPENAI_BASE_URL=http://localhost:11434/v1 OPENAI_MODEL=llama3.2 \
 *     npm start -- --chat          live, on Chat Completions (Ollama, vLLM, LM Studio, …)
 */
import OpenAI from 'openai';
import { z } from 'zod';
import {
  Agent,
  OpenAIChatCompletionsModel,
  OpenAIResponsesModel,
  run,
  runStreamed,
  runSync,
  type Model,
  type RunResult,
} from 'rxjs-agents';
import { lastValueFrom, map, merge, share } from 'rxjs';
import { outputField, toFinalOutput } from 'rxjs-agents/operators';
import { startServerProcess, type ServerTurn } from 'rxjs-agents/testing/server';

const Recommendation = z.object({
  destination: z.string().describe('City and country.'),
  reason: z.string().describe('Why it suits the traveller, in one or two sentences.'),
  bestSeason: z.string().describe('When to go.'),
  budgetPerDayEur: z.number().describe('A typical daily budget in euros.'),
});
type Recommendation = z.infer<typeof Recommendation>;

const question = 'I love food, old streets and the sea, and I have a week in spring. Where should I go?';

// Offline, each mode gets a realistic answer streamed in small pieces, a little apart, the way a
// model sends them.
const offlineAnswers: Recommendation[] = [
  {
    destination: 'Lisbon, Portugal',
    reason:
      'Tiled old quarters on seven hills, grilled sardines and pastéis de nata, and the Atlantic a tram ride away.',
    bestSeason: 'April to June',
    budgetPerDayEur: 110,
  },
  {
    destination: 'Naples, Italy',
    reason:
      'The birthplace of pizza, a labyrinth of ancient streets, and the Bay of Naples with Capri and the Amalfi Coast close by.',
    bestSeason: 'April to May',
    budgetPerDayEur: 100,
  },
  {
    destination: 'Valencia, Spain',
    reason: 'Paella where it was invented, a compact medieval centre, and long sandy beaches reachable by bike.',
    bestSeason: 'March to May',
    budgetPerDayEur: 105,
  },
];

const useChat = process.argv.includes('--chat') || process.env.RXJS_AGENTS_API === 'chat';
const live = Boolean(process.env.OPENAI_API_KEY);

async function main(): Promise<void> {
  let baseURL = process.env.OPENAI_BASE_URL;
  let apiKey = process.env.OPENAI_API_KEY;
  let server: Awaited<ReturnType<typeof startServerProcess>> | undefined;
  if (!live) {
    // The local server runs in a child process: runSync() blocks this thread, so a server on
    // this thread could not answer it.
    const turns: ServerTurn[] = offlineAnswers.map((output) => ({ output, delayMs: 15, usage: { inputTokens: 96 } }));
    server = await startServerProcess({ turns });
    baseURL = server.url;
    apiKey = 'offline-replay';
    console.log(`No OPENAI_API_KEY: replaying a scripted stream offline from a local server at ${server.url}.\n`);
  } else {
    console.log(`Live on ${useChat ? 'Chat Completions' : 'the Responses API'}${baseURL ? ` at ${baseURL}` : ''}.\n`);
  }

  const client = new OpenAI({ apiKey, baseURL });
  const modelId = process.env.OPENAI_MODEL ?? 'gpt-4.1-mini';
  const model: Model = useChat
    ? new OpenAIChatCompletionsModel({ model: modelId, client })
    : new OpenAIResponsesModel({ model: modelId, client });

  const agent = new Agent({
    name: 'Travel agent',
    instructions:
      'You are a travel agent. Recommend exactly one destination that fits the traveller, with a short reason, the best season and a daily budget.',
    model,
    outputType: Recommendation,
  });

  try {
    // 1. Sync mode: blocks this thread until the answer is there (HTTP runs on a worker thread).
    console.log('— sync mode (runSync) —');
    const syncResult = runSync(agent, question);
    printResult(syncResult);
    console.log(`  usage: ${syncResult.usage.totalTokens} tokens\n`);

    // 2. Async mode: a Promise; the program keeps working while the model answers.
    console.log('— async mode (run) —');
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks++;
      process.stdout.write('  …still working\n');
    }, 100);
    const asyncResult = await run(agent, question).finally(() => clearInterval(ticker));
    console.log(`  (the event loop ticked ${ticks} time(s) while waiting)`);
    printResult(asyncResult);
    console.log();

    // 3. Streamed mode: the answer's text fields as the model writes them (not the JSON around
    // them), then the number, which only counts once it is whole.
    console.log('— streamed mode (runStreamed) —');
    // Runs are cold: each subscription would be a run of its own. share() lets the printers and
    // toFinalOutput() read one run.
    const run$ = runStreamed(agent, question).pipe(share());
    const labels = { destination: 'destination: ', reason: 'reason:      ', bestSeason: 'best season: ' };
    const fields = (Object.keys(labels) as (keyof typeof labels)[]).map((name) =>
      run$.pipe(
        outputField(name),
        map((text) => ({ name, text })),
      ),
    );
    let shown = { name: '', length: 0 };
    merge(...fields).subscribe(({ name, text }) => {
      // Each field's value grows; print what is new, on a line of its own per field.
      if (name !== shown.name) {
        process.stdout.write(`${shown.name === '' ? '' : '\n'}  ${labels[name]}`);
        shown = { name, length: 0 };
      }
      process.stdout.write(text.slice(shown.length));
      shown = { name, length: text.length };
    });
    const streamed = await lastValueFrom(run$.pipe(toFinalOutput()));
    process.stdout.write('\n');
    console.log(`  budget/day:  €${streamed.budgetPerDayEur}`);
  } finally {
    await server?.close();
  }
}

// A run resolves to a completed result (its answer) or an interrupted one (a tool waiting for
// approval, or stopAfterTurn): this agent has no such tool, but the type says both can happen.
function printResult(result: RunResult<Recommendation>): void {
  if (result.status === 'interrupted') console.log(`  interrupted (${result.reason}): resume from result.state`);
  else printRecommendation(result.finalOutput);
}

function printRecommendation(recommendation: Recommendation): void {
  console.log(`  destination: ${recommendation.destination}`);
  console.log(`  reason:      ${recommendation.reason}`);
  console.log(`  best season: ${recommendation.bestSeason}`);
  console.log(`  budget/day:  €${recommendation.budgetPerDayEur}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
