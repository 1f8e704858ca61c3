import type { Page } from "playwright-core";

/** Signs in through the sign-in page and waits until the app has left it. */
export async function signIn(
  page: Page,
  baseUrl: string,
  email: string,
  password: string,
  next = "/",
): Promise<void> {
  await page.goto(`${baseUrl}/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"), { timeout: 30_000 });
}

/** Environment for the web app under test: sign-in configured, no brute-force brake in the way. */
export function webTestEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    AUTH_SECRET: "e2e-auth-secret-for-tests-only-0123456789abcdef",
    AUTH_SIGN_IN_PER_MINUTE: "10000",
    AUTH_SIGN_IN_PER_ACCOUNT: "10000",
    ...extra,
  };
}
