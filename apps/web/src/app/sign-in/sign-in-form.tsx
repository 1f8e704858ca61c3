"use client";

import { useState, type FormEvent } from "react";
import { button, input, label } from "~/lib/classes";

/** Email + password against better-auth's endpoint (rate-limited per address), then on to `next`. */
export function SignInForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const res = await fetch("/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: form.get("email"), password: form.get("password") }),
      });
      if (res.ok) {
        // A full load: every server component renders again as the signed-in user.
        window.location.assign(next);
        return;
      }
      if (res.status === 429) {
        const wait = res.headers.get("retry-after");
        setError(`Too many attempts. Try again${wait ? ` in ${wait} seconds` : " in a minute"}.`);
      } else if (res.status === 401 || res.status === 400) {
        setError("That email and password do not match an account.");
      } else {
        setError(`Sign-in failed (${res.status}). Try again, or ask your admin.`);
      }
    } catch {
      setError("The server could not be reached. Check your connection and try again.");
    }
    setPending(false);
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-describedby={error ? "sign-in-error" : undefined}>
      <label className={label}>
        Email
        <input name="email" type="email" autoComplete="username" required autoFocus className={input} />
      </label>
      <label className={label}>
        Password
        <input name="password" type="password" autoComplete="current-password" required className={input} />
      </label>
      {error ? (
        <p id="sign-in-error" role="alert" className="rounded-md bg-red-50 p-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <button type="submit" className={`${button} w-full`} disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
