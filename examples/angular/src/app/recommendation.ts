/**
 * The travel agent's structured answer: the server's zod schema `Recommendation`
 * (examples/node-server/travelAgent.ts), as the type the browser receives.
 */
export interface Recommendation {
  readonly destination: string;
  readonly reason: string;
  readonly bestSeason: string;
  readonly budgetPerDayEur: number;
}
