/**
 * A name as a tool name's part: `'Travel Agent'` → `'travel_agent'`, `'FlightBooker'` →
 * `'flight_booker'`. Characters a tool name cannot hold become `_`; the result may be `''` (a name
 * of no Latin letters or digits), which the caller must refuse or replace.
 */
export function snakeCase(name: string): string {
  return name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}
