/**
 * A sign-in attempt over HTTP that reports how it went (status, Retry-After, body), for the tests that attack
 * sign-in itself; support/web-http.ts `signInHttp` is for tests that just need a session.
 */
export async function attemptSignIn(
  baseUrl: string,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; cookie: string | null; body: string; retryAfter: string | null }> {
  const res = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl, ...headers },
    body: JSON.stringify({ email, password }),
  });
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .filter((c) => c.includes("session_token="))
    .join("; ");
  return {
    status: res.status,
    cookie: res.ok && cookie ? cookie : null,
    body: await res.text(),
    retryAfter: res.headers.get("retry-after"),
  };
}
