"use client";

import { useState } from "react";
import { secondaryButton } from "~/lib/classes";

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      className={secondaryButton}
      disabled={pending}
      onClick={async () => {
        setPending(true);
        await fetch("/api/auth/sign-out", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        }).catch(() => undefined);
        window.location.assign("/sign-in");
      }}
    >
      Sign out
    </button>
  );
}
