import { InvalidArgumentError } from '../errors.js';
import type { AgentGraph } from './agentGraph.js';
import { runStateVersion, type RunStateData } from './runStateData.js';

/**
 * Reads stored run state — JSON text or its parsed value — and checks it, field by field, against
 * the agents of the run (`graph`): a state is data from outside (a database, a request), so
 * nothing in it is trusted until checked. Each error names the field that is wrong.
 *
 * @throws InvalidArgumentError naming the field.
 */
export function readRunStateData(json: unknown, graph: AgentGraph<never>): RunStateData {
  let data: unknown = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json);
    } catch (error) {
      throw invalid('json', `the state is not valid JSON: ${(error as Error).message}`);
    }
  }
  const state = object(data, 'json');
  if (state.version !== runStateVersion) {
    throw invalid(
      'json.version',
      `this rxjs-agents reads run state of version ${runStateVersion}; got ${JSON.stringify(state.version) ?? 'none'}.`,
    );
  }
  const agent = string(state.agent, 'json.agent');
  const active = agentNamed(graph, agent, 'json.agent');
  count(state.turn, 'json.turn');
  items(state.input, 'json.input');
  items(state.newItems, 'json.newItems');
  usage(state.usage, 'json.usage');
  array(state.rawResponses, 'json.rawResponses').forEach((response, index) => {
    const checked = object(response, `json.rawResponses[${index}]`);
    items(checked.output, `json.rawResponses[${index}].output`);
    usage(checked.usage, `json.rawResponses[${index}].usage`);
  });
  array(state.toolUse, 'json.toolUse').forEach((name, index) => string(name, `json.toolUse[${index}]`));
  // An agent's MCP tools are known only once its servers list them: the tool step checks those calls.
  const tools = (active.mcpServers ?? []).length > 0 ? undefined : new Set(active.tools.map((tool) => tool.name));
  const callIds = nextStep(state.next, graph, tools);
  array(state.toolOutputs, 'json.toolOutputs').forEach((entry, index) => {
    const output = object(entry, `json.toolOutputs[${index}]`);
    knownCall(output.callId, callIds, `json.toolOutputs[${index}].callId`);
    string(output.output, `json.toolOutputs[${index}].output`);
    if (output.error !== undefined) {
      const error = object(output.error, `json.toolOutputs[${index}].error`);
      string(error.name, `json.toolOutputs[${index}].error.name`);
      string(error.message, `json.toolOutputs[${index}].error.message`);
    }
    if (output.rejected !== undefined && output.rejected !== true)
      throw invalid(`json.toolOutputs[${index}].rejected`, 'expected true, or no such field.');
  });
  array(state.pendingApprovals, 'json.pendingApprovals').forEach((entry, index) => {
    const request = object(entry, `json.pendingApprovals[${index}]`);
    knownCall(request.callId, callIds, `json.pendingApprovals[${index}].callId`);
    string(request.agent, `json.pendingApprovals[${index}].agent`);
    string(request.name, `json.pendingApprovals[${index}].name`);
  });
  array(state.approvals, 'json.approvals').forEach((entry, index) => {
    const decision = object(entry, `json.approvals[${index}]`);
    knownCall(decision.callId, callIds, `json.approvals[${index}].callId`);
    if (typeof decision.approved !== 'boolean')
      throw invalid(`json.approvals[${index}].approved`, 'expected a boolean.');
    if (decision.message !== undefined) string(decision.message, `json.approvals[${index}].message`);
  });
  count(state.sessionItems, 'json.sessionItems');
  return data as RunStateData;
}

/** Checks the next step; gives the ids of the calls of a `run-tools` step (none otherwise). */
function nextStep(
  value: unknown,
  graph: AgentGraph<never>,
  tools: ReadonlySet<string> | undefined,
): ReadonlySet<string> {
  const next = object(value, 'json.next');
  switch (next.type) {
    case 'call-model':
      return new Set();
    case 'final-output':
      throw invalid(
        'json.next',
        'this run has finished (its next step is its final output): there is nothing to resume.',
      );
    case 'run-tools': {
      const ids = new Set<string>();
      array(next.calls, 'json.next.calls').forEach((entry, index) => {
        const where = `json.next.calls[${index}]`;
        const planned = object(entry, where);
        const call = object(planned.call, `${where}.call`);
        ids.add(string(call.call_id, `${where}.call.call_id`));
        const name = string(call.name, `${where}.call.name`);
        string(call.arguments, `${where}.call.arguments`);
        if (planned.kind === 'function') {
          if (tools && !tools.has(name))
            throw invalid(`${where}.call.name`, `the active agent has no tool named '${name}'.`);
        } else if (planned.kind === 'handoff') {
          agentNamed(graph, string(planned.target, `${where}.target`), `${where}.target`);
          if (typeof planned.carriedOut !== 'boolean') throw invalid(`${where}.carriedOut`, 'expected a boolean.');
        } else {
          throw invalid(`${where}.kind`, `expected 'function' or 'handoff'; got ${JSON.stringify(planned.kind)}.`);
        }
      });
      return ids;
    }
    default:
      throw invalid('json.next.type', `expected 'call-model' or 'run-tools'; got ${JSON.stringify(next.type)}.`);
  }
}

function agentNamed(graph: AgentGraph<never>, name: string, where: string) {
  try {
    return graph.get(name);
  } catch {
    throw invalid(where, `no agent named '${name}' is reachable from the run's first agent through handoffs.`);
  }
}

function knownCall(value: unknown, callIds: ReadonlySet<string>, where: string): void {
  const id = string(value, where);
  if (!callIds.has(id)) throw invalid(where, `'${id}' is not a call of the state's next step.`);
}

function usage(value: unknown, where: string): void {
  const checked = object(value, where);
  for (const key of ['requests', 'inputTokens', 'outputTokens', 'totalTokens']) count(checked[key], `${where}.${key}`);
}

function items(value: unknown, where: string): void {
  array(value, where).forEach((item, index) =>
    string(object(item, `${where}[${index}]`).type, `${where}[${index}].type`),
  );
}

function object(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(where, `expected an object; got ${kind(value)}.`);
  return value as Record<string, unknown>;
}

function array(value: unknown, where: string): readonly unknown[] {
  if (!Array.isArray(value)) throw invalid(where, `expected an array; got ${kind(value)}.`);
  return value;
}

function string(value: unknown, where: string): string {
  if (typeof value !== 'string') throw invalid(where, `expected a string; got ${kind(value)}.`);
  return value;
}

function count(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw invalid(where, `expected a whole number of 0 or more; got ${kind(value)}.`);
  }
  return value;
}

function kind(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function invalid(argument: string, message: string): InvalidArgumentError {
  return new InvalidArgumentError({ argument, message });
}
