/** What every stored request has: its method, and the number it calls in `params.contact`. */
export interface BackendRequest {
  method: string;
  params: { contact: string };
}

/** Whether a stored request is one of the backend's own `methods`. */
export const isRequestOf = <R extends BackendRequest>(
  methods: readonly R['method'][],
  request: BackendRequest | undefined,
): request is R => request !== undefined && (methods as readonly string[]).includes(request.method);
