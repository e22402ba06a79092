/**
 * What `rxjs-agents batch` prints about a batch, as pure functions of a snapshot: the progress
 * (with a total and ETA when the input was counted, without them for a stream) and the summary.
 */
import { describe, expect, it } from 'vitest';
import {
  eta,
  formatCount,
  formatDuration,
  progressBar,
  progressText,
  summaryLine,
  type BatchSnapshot,
} from '../../src/cli/progressLine.js';

const snapshot: BatchSnapshot = {
  total: 1000,
  completed: 450,
  failed: 50,
  skipped: 0,
  inFlight: 16,
  totalTokens: 123_456,
  requestsPerMinute: 480.4,
  elapsedMs: 60_000,
};

describe('progressLine', () => {
  it('counts and durations as people read them', () => {
    expect([formatCount(0), formatCount(1234), formatCount(1_234_567.6)]).toEqual(['0', '1,234', '1,234,568']);
    expect([formatDuration(400), formatDuration(45_000), formatDuration(185_000), formatDuration(7_620_000)]).toEqual([
      '1s',
      '45s',
      '3m05s',
      '2h07m',
    ]);
  });

  it('with a known total: done of total, failed, in flight, tokens, rate and ETA', () => {
    // 500 finished in a minute, 500 left: one more minute.
    expect(eta(snapshot)).toBe(60_000);
    expect(progressText(snapshot)).toBe(
      '450/1,000 done, 50 failed, 16 in flight, 123,456 tokens, 480 req/min, ETA 1m00s',
    );
    expect(progressBar(snapshot, 10)).toBe(
      '[#####.....]  50% 450/1,000 done, 50 failed, 16 in flight, 123,456 tokens, 480 req/min, ETA 1m00s',
    );
  });

  it('skipped items fill the bar but are neither pace nor work left', () => {
    const resumed = { ...snapshot, skipped: 300 };
    expect(eta(resumed)).toBe(24_000);
    expect(progressBar(resumed, 10)).toMatch(/^\[########\.\.\] {2}80% 450\/1,000 done, 50 failed, 300 skipped, /);
  });

  it('a stream of unknown length: no total, no bar, no ETA', () => {
    const stream = { ...snapshot, total: undefined };
    expect(eta(stream)).toBeUndefined();
    expect(progressBar(stream)).toBe('450 done, 50 failed, 16 in flight, 123,456 tokens, 480 req/min');
    expect(eta({ ...snapshot, completed: 0, failed: 0 })).toBeUndefined();
  });

  it('the summary says where the failures are, only when there are some', () => {
    expect(summaryLine({ ...snapshot, completed: 1234, failed: 5 }, 'answers.jsonl')).toBe(
      '1,234 completed, 5 failed (see answers.jsonl: lines with "status":"failed"), 0 skipped; 123,456 tokens',
    );
    expect(summaryLine({ ...snapshot, failed: 0, skipped: 7 }, 'answers.jsonl')).toBe(
      '450 completed, 0 failed, 7 skipped; 123,456 tokens',
    );
  });
});
