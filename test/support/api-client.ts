/** A small JSON client for the api in end-to-end tests. */
export interface ApiResponse {
  status: number;
  body: any;
}

export function apiClient(base: string) {
  return async (method: string, path: string, token: string | undefined, body?: unknown): Promise<ApiResponse> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        "Content-Type": "application/json",
        ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text === "" ? undefined : JSON.parse(text) };
  };
}
