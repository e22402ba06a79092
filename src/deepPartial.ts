/**
 * A structured answer while it streams: every property optional, at every depth.
 *
 * What `partialOutput()` emits for a run whose final output is a `T`. Strings hold a prefix of
 * their final text, arrays the elements received so far (the last one possibly partial itself),
 * numbers and booleans appear only once complete. Functions are left as they are (an output never
 * holds one); a union is made deep-partial member by member.
 *
 * @example
 * ```ts
 * type Answer = { destination: string; days: { city: string }[] };
 * // { destination?: string; days?: { city?: string }[] }
 * type Streaming = DeepPartial<Answer>;
 * ```
 */
export type DeepPartial<T> = T extends string | number | boolean | bigint | symbol | null | undefined
  ? T
  : T extends (...args: never[]) => unknown
    ? T
    : T extends readonly (infer E)[]
      ? T extends E[]
        ? DeepPartial<E>[]
        : readonly DeepPartial<E>[]
      : T extends object
        ? { [K in keyof T]?: DeepPartial<T[K]> }
        : T;
