// Calls to /v1 with the signed-in key. The key lives in sessionStorage: it goes when the tab closes.
/* global sessionStorage, fetch */
const KEY_STORAGE = 'sendarix.apiKey';

export class ApiFailure extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const session = {
  key: () => sessionStorage.getItem(KEY_STORAGE),
  signIn: (key) => sessionStorage.setItem(KEY_STORAGE, key),
  signOut: () => sessionStorage.removeItem(KEY_STORAGE),
};

/** GET a /v1 path; answers the JSON body, or throws an ApiFailure with the API's error code. */
export async function api(path, key = session.key()) {
  let res;
  try {
    res = await fetch(path, { headers: { authorization: `Bearer ${key}`, accept: 'application/json' } });
  } catch {
    throw new ApiFailure(0, 'network', 'the API does not answer');
  }
  const body = await res.json().catch(() => undefined);
  if (!res.ok) {
    const error = body?.error ?? {};
    throw new ApiFailure(res.status, error.code ?? 'error', error.message ?? `HTTP ${res.status}`);
  }
  return body;
}
