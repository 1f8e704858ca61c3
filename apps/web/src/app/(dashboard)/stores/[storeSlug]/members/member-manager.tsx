"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ErrorNotice, StatusNotice } from "~/components/notice";
import { button, dangerButton, input, label, table, td, th } from "~/lib/classes";
import { date } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

const ROLES = ["merchandiser", "staff", "admin"] as const;

export function MemberManager({ storeSlug, userId }: { storeSlug: string; userId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: members } = useSuspenseQuery(trpc.admin.members.queryOptions({ storeSlug }));
  const invalidate = () =>
    queryClient.invalidateQueries({ queryKey: trpc.admin.members.queryKey({ storeSlug }) });
  const add = useMutation(trpc.admin.addMember.mutationOptions({ onSuccess: invalidate }));
  const update = useMutation(trpc.admin.updateMember.mutationOptions({ onSuccess: invalidate }));
  const remove = useMutation(trpc.admin.removeMember.mutationOptions({ onSuccess: invalidate }));
  const [added, setAdded] = useState<string | null>(null);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const f = new FormData(form);
    const name = String(f.get("name") ?? "").trim();
    const password = String(f.get("password") ?? "");
    add.mutate(
      {
        storeSlug,
        email: String(f.get("email")),
        role: f.get("role") as (typeof ROLES)[number],
        ...(name ? { name } : {}),
        ...(password ? { password } : {}),
      },
      {
        onSuccess: (m) => {
          setAdded(`${m.user.email} is now ${m.role}.`);
          form.reset();
        },
      },
    );
  }
  const error = update.error ?? remove.error;

  return (
    <div className="space-y-6">
      <table className={table}>
        <caption className="sr-only">People with a role in this store</caption>
        <thead className="bg-slate-100 text-slate-600">
          <tr>
            <th scope="col" className={th}>
              Person
            </th>
            <th scope="col" className={th}>
              Role
            </th>
            <th scope="col" className={th}>
              Since
            </th>
            <th scope="col" className={th}>
              <span className="sr-only">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr
              key={m.membershipId}
              className="border-t border-slate-100"
              data-testid="member-row"
              data-email={m.user.email}
            >
              <td className={td}>
                {m.user.name} <span className="text-slate-500">{m.user.email}</span>
                {m.user.id === userId ? <span className="ml-1 text-xs text-slate-500">(you)</span> : null}
              </td>
              <td className={td}>
                <select
                  className={input}
                  value={m.role}
                  aria-label={`Role of ${m.user.email}`}
                  disabled={update.isPending}
                  onChange={(e) =>
                    update.mutate({
                      storeSlug,
                      membershipId: m.membershipId,
                      role: e.currentTarget.value as (typeof ROLES)[number],
                    })
                  }
                >
                  {ROLES.map((r) => (
                    <option key={r}>{r}</option>
                  ))}
                </select>
              </td>
              <td className={td}>{date(m.since)}</td>
              <td className={`${td} text-right`}>
                <button
                  type="button"
                  className={dangerButton}
                  disabled={remove.isPending}
                  onClick={() => remove.mutate({ storeSlug, membershipId: m.membershipId })}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {error ? <ErrorNotice>{error.message}</ErrorNotice> : null}
      <form
        onSubmit={submit}
        className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
        aria-labelledby="add-member-heading"
      >
        <h2 id="add-member-heading" className="font-semibold">
          Add someone
        </h2>
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <label className={label}>
            Email
            <input name="email" type="email" required className={input} />
          </label>
          <label className={label}>
            Role
            <select name="role" className={input} defaultValue="merchandiser">
              {ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
          <label className={label}>
            Name (new accounts)
            <input name="name" maxLength={100} className={input} />
          </label>
          <label className={label}>
            First password (new accounts, ≥ 10 characters)
            <input
              name="password"
              type="password"
              minLength={10}
              maxLength={128}
              autoComplete="new-password"
              className={input}
            />
          </label>
        </div>
        <p className="text-xs text-slate-500">
          Always give a name and a first password (hand it over in person): they make a new account. An email
          that already has one keeps its own name and password.
        </p>
        <button type="submit" className={button} disabled={add.isPending}>
          {add.isPending ? "Adding…" : "Add"}
        </button>
        {add.error ? <ErrorNotice>{add.error.message}</ErrorNotice> : null}
        {added && !add.error ? <StatusNotice>{added}</StatusNotice> : null}
      </form>
    </div>
  );
}
