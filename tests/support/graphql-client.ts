/** GraphQL over HTTP as a demo persona of a dev-mode gateway (tokens from its dev issuer). */

export interface GraphQLResponse {
  readonly status: number;
  readonly text: string;
  readonly body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
  };
  readonly headers: Headers;
}

export async function personaToken(gatewayUrl: string, persona: string): Promise<string> {
  const response = await fetch(`${gatewayUrl}/dev-issuer/token`, { method: 'POST', body: JSON.stringify({ persona }) });
  if (response.status !== 200) throw new Error(`no token for persona ${persona}: ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export async function postGraphQL(
  gatewayUrl: string,
  token: string | undefined,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse> {
  const response = await fetch(`${gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as GraphQLResponse['body'], headers: response.headers };
}

/** A client that signs in as personas on demand and remembers their tokens. */
export function personaClient(gatewayUrl: string) {
  const tokens = new Map<string, Promise<string>>();
  const tokenOf = (persona: string) => {
    if (!tokens.has(persona)) tokens.set(persona, personaToken(gatewayUrl, persona));
    return tokens.get(persona)!;
  };
  return {
    as: (persona: string) => ({
      query: async (query: string, variables?: Record<string, unknown>) => postGraphQL(gatewayUrl, await tokenOf(persona), query, variables),
    }),
  };
}

/** The error codes of a response, in order. */
export function codes(response: GraphQLResponse): (string | undefined)[] {
  return (response.body.errors ?? []).map((error) => error.extensions?.code);
}
