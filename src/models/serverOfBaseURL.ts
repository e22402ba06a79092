/**
 * Who serves an OpenAI-compatible API, told by its base URL: the provider as OpenTelemetry's GenAI
 * conventions name it, and the server's host and port.
 *
 * Internal to `src/models/`.
 */

/** Hosts of well-known providers, by the end of the host name, and the convention's name of each. */
const knownHosts: readonly (readonly [suffix: string, provider: string])[] = [
  ['api.openai.com', 'openai'],
  ['.openai.azure.com', 'azure.ai.openai'],
  ['.cognitiveservices.azure.com', 'azure.ai.openai'],
  ['.services.ai.azure.com', 'azure.ai.inference'],
  ['api.mistral.ai', 'mistral_ai'],
  ['api.deepseek.com', 'deepseek'],
  ['api.groq.com', 'groq'],
  ['api.x.ai', 'x_ai'],
  ['api.perplexity.ai', 'perplexity'],
  ['generativelanguage.googleapis.com', 'gcp.gemini'],
  ['openrouter.ai', 'openrouter'],
  ['api.together.xyz', 'together_ai'],
  ['api.fireworks.ai', 'fireworks_ai'],
];

/**
 * The provider a base URL names: a well-known host's name, or `'openai'` — the API it speaks — for
 * any other (a local Ollama, vLLM or llama.cpp server, a proxy).
 */
export function providerOfBaseURL(host: string | undefined): string {
  if (host === undefined) return 'openai';
  const name = host.toLowerCase();
  for (const [suffix, provider] of knownHosts) {
    if (name === suffix.replace(/^\./, '') || name.endsWith(suffix)) return provider;
  }
  return 'openai';
}

/** The provider, host and port of `baseURL` (the port given or the scheme's); `'openai'` alone without one. */
export function serverOfBaseURL(baseURL: string | undefined): {
  provider: string;
  serverAddress?: string;
  serverPort?: number;
} {
  let url: URL;
  try {
    url = new URL(baseURL ?? 'https://api.openai.com/v1');
  } catch {
    return { provider: 'openai' };
  }
  const port = url.port === '' ? (url.protocol === 'http:' ? 80 : 443) : Number(url.port);
  const serverAddress = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { provider: providerOfBaseURL(serverAddress), serverAddress, serverPort: port };
}
