"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ErrorNotice, StatusNotice } from "~/components/notice";
import { DataTable, rowClass, type Column } from "~/components/ui/data-table";
import { Field } from "~/components/ui/field";
import { button, dangerButton, input, td } from "~/lib/classes";
import { date } from "~/lib/format";
import { formErrors } from "~/lib/form-errors";
import { useTRPC } from "~/trpc/react";

const ROLES = ["merchandiser", "staff", "admin"] as const;
/** The add form's inputs that can carry an error (named as the API's input fields). */
const FIELDS = ["email", "role", "name", "password"];
const COLUMNS: readonly Column[] = [
  { label: "Person" },
  { label: "Role" },
  { label: "Since" },
  { label: "Remove", srOnly: true },
];

/** The store's people and their roles, and a form to add someone (refusals shown beside each field). */
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
  // A role change or removal refused (e.g. the last admin): no field of its own, so a sentence under the table.
  const rowError = formErrors(update.error ?? remove.error, []).form;
  const errors = formErrors(add.error, FIELDS);

  return (
    <div className="space-y-6">
      <DataTable
        scrollLabel="People with a role in this store"
        columns={COLUMNS}
        caption="People with a role in this store"
        rows={members}
        rowKey={(m) => m.membershipId}
        renderRow={(m) => (
          <tr className={rowClass} data-testid="member-row" data-email={m.user.email}>
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
        )}
      />
      {rowError ? <ErrorNotice>{rowError}</ErrorNotice> : null}
      <form
        onSubmit={submit}
        className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
        aria-labelledby="add-member-heading"
      >
        <h2 id="add-member-heading" className="font-semibold">
          Add someone
        </h2>
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <Field label="Email" error={errors.fields.email}>
            <input name="email" type="email" required className={input} />
          </Field>
          <Field label="Role" error={errors.fields.role}>
            <select name="role" className={input} defaultValue="merchandiser">
              {ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </Field>
          <Field label="Name (new accounts)" error={errors.fields.name}>
            <input name="name" maxLength={100} className={input} />
          </Field>
          <Field label="First password (new accounts, ≥ 10 characters)" error={errors.fields.password}>
            <input
              name="password"
              type="password"
              minLength={10}
              maxLength={128}
              autoComplete="new-password"
              className={input}
            />
          </Field>
        </div>
        <p className="text-xs text-slate-500">
          Always give a name and a first password (hand it over in person): they make a new account. An email
          that already has one keeps its own name and password.
        </p>
        <button type="submit" className={button} disabled={add.isPending}>
          {add.isPending ? "Adding…" : "Add"}
        </button>
        {errors.form ? <ErrorNotice>{errors.form}</ErrorNotice> : null}
        {added && !add.error ? <StatusNotice>{added}</StatusNotice> : null}
      </form>
    </div>
  );
}
