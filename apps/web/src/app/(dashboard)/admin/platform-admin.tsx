"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { ErrorNotice, StatusNotice } from "~/components/notice";
import { DataTable, rowClass, type Column } from "~/components/ui/data-table";
import { Field } from "~/components/ui/field";
import { button, focusRing, input, link, secondaryButton, td } from "~/lib/classes";
import { formErrors } from "~/lib/form-errors";
import { useTRPC } from "~/trpc/react";

const STORE_COLUMNS: readonly Column[] = [
  { label: "Store" },
  { label: "Address" },
  { label: "Time zone" },
  { label: "Cameras · zones · people", className: "text-right" },
];
const USER_COLUMNS: readonly Column[] = [
  { label: "Person" },
  { label: "Roles" },
  { label: "Super admin" },
  { label: "Password" },
];

/** Super admins: every store and account. `timeZones` is the list a store's time zone is picked from. */
export function PlatformAdmin({ selfId, timeZones }: { selfId: string; timeZones: readonly string[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: stores } = useSuspenseQuery(trpc.platform.stores.queryOptions());
  const { data: users } = useSuspenseQuery(trpc.platform.users.queryOptions());
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.platform.pathKey() });
  const createStore = useMutation(trpc.platform.createStore.mutationOptions({ onSuccess: invalidate }));
  const createUser = useMutation(trpc.platform.createUser.mutationOptions({ onSuccess: invalidate }));
  const setSuper = useMutation(trpc.platform.setSuperAdmin.mutationOptions({ onSuccess: invalidate }));
  const reset = useMutation(trpc.platform.resetPassword.mutationOptions());
  const [done, setDone] = useState<string | null>(null);
  const userErrors = formErrors(createUser.error, ["email", "name", "password"]);
  const storeErrors = formErrors(createStore.error, [
    "name",
    "slug",
    "timezone",
    "floorPlan.widthM",
    "floorPlan.heightM",
  ]);

  function submitStore(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const f = new FormData(form);
    createStore.mutate(
      {
        slug: String(f.get("slug")),
        name: String(f.get("name")),
        timezone: String(f.get("timezone")),
        floorPlan: {
          name: "Ground floor",
          widthM: Number(f.get("widthM")),
          heightM: Number(f.get("heightM")),
        },
      },
      {
        onSuccess: (s) => {
          setDone(`Opened ${s.name}.`);
          form.reset();
        },
      },
    );
  }
  function submitUser(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const f = new FormData(form);
    createUser.mutate(
      {
        email: String(f.get("email")),
        name: String(f.get("name")),
        password: String(f.get("password")),
        isSuperAdmin: f.get("isSuperAdmin") === "on",
      },
      {
        onSuccess: (u) => {
          setDone(`Created ${u.email}. Give them a role in a store under its “People” page.`);
          form.reset();
        },
      },
    );
  }

  return (
    <div className="space-y-8">
      {done ? <StatusNotice>{done}</StatusNotice> : null}
      <section aria-labelledby="all-stores-heading" className="space-y-3">
        <h2 id="all-stores-heading" className="text-lg font-semibold">
          Stores
        </h2>
        <DataTable
          scrollLabel="All stores"
          columns={STORE_COLUMNS}
          caption="All stores"
          rows={stores}
          rowKey={(s) => s.id}
          renderRow={(s) => (
            <tr className={rowClass}>
              <td className={td}>
                <Link href={`/stores/${s.slug}`} className={link}>
                  {s.name}
                </Link>
              </td>
              <td className={`${td} font-mono text-xs`}>{s.slug}</td>
              <td className={td}>{s.timezone}</td>
              <td className={`${td} text-right tabular-nums`}>
                {s.cameras} · {s.zones} · {s.members}
              </td>
            </tr>
          )}
        />
        <form
          onSubmit={submitStore}
          className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4"
          aria-label="Open a store"
        >
          <Field label="Name" error={storeErrors.fields.name}>
            <input name="name" required maxLength={100} className={input} />
          </Field>
          <Field label="Address (lower-case, dashes)" error={storeErrors.fields.slug}>
            <input name="slug" required pattern="[a-z0-9][a-z0-9\-]*" maxLength={64} className={input} />
          </Field>
          <Field label="Time zone" error={storeErrors.fields.timezone}>
            <select name="timezone" required defaultValue="Europe/Berlin" className={input}>
              {timeZones.map((tz) => (
                <option key={tz} value={tz}>
                  {tz.replaceAll("_", " ")}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Width (m)" error={storeErrors.fields["floorPlan.widthM"]}>
            <input
              name="widthM"
              type="number"
              min={1}
              step={0.1}
              required
              defaultValue={30}
              className={`${input} w-24`}
            />
          </Field>
          <Field label="Depth (m)" error={storeErrors.fields["floorPlan.heightM"]}>
            <input
              name="heightM"
              type="number"
              min={1}
              step={0.1}
              required
              defaultValue={20}
              className={`${input} w-24`}
            />
          </Field>
          <button type="submit" className={button} disabled={createStore.isPending}>
            Open store
          </button>
        </form>
        {storeErrors.form ? <ErrorNotice>{storeErrors.form}</ErrorNotice> : null}
      </section>
      <section aria-labelledby="all-users-heading" className="space-y-3">
        <h2 id="all-users-heading" className="text-lg font-semibold">
          People
        </h2>
        <DataTable
          scrollLabel="All people"
          columns={USER_COLUMNS}
          caption="All people"
          rows={users}
          rowKey={(u) => u.id}
          renderRow={(u) => (
            <tr className={`${rowClass} align-top`}>
              <td className={td}>
                {u.name} <span className="text-slate-500">{u.email}</span>
              </td>
              <td className={`${td} text-xs`}>
                {u.roles.length ? u.roles.map((r) => `${r.role} in ${r.storeName}`).join(", ") : "—"}
              </td>
              <td className={td}>
                <input
                  type="checkbox"
                  checked={u.isSuperAdmin}
                  disabled={u.id === selfId || setSuper.isPending}
                  onChange={(e) => setSuper.mutate({ userId: u.id, isSuperAdmin: e.currentTarget.checked })}
                  aria-label={`Super admin: ${u.email}`}
                  className={focusRing}
                />
              </td>
              <td className={td}>
                <form
                  className="flex gap-2"
                  onSubmit={(e) => {
                    e.preventDefault();
                    const form = e.currentTarget;
                    const password = String(new FormData(form).get("password"));
                    reset.mutate(
                      { userId: u.id, password },
                      {
                        onSuccess: () => {
                          setDone(`New password set for ${u.email}; they were signed out.`);
                          form.reset();
                        },
                      },
                    );
                  }}
                >
                  <input
                    name="password"
                    type="password"
                    minLength={10}
                    maxLength={128}
                    required
                    placeholder="new password"
                    autoComplete="new-password"
                    className={`${input} w-36`}
                    aria-label={`New password for ${u.email}`}
                  />
                  <button type="submit" className={secondaryButton} disabled={reset.isPending}>
                    Set
                  </button>
                </form>
              </td>
            </tr>
          )}
        />
        {setSuper.error ? <ErrorNotice>{setSuper.error.message}</ErrorNotice> : null}
        {reset.error ? <ErrorNotice>{reset.error.message}</ErrorNotice> : null}
        <form
          onSubmit={submitUser}
          className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4"
          aria-label="Create an account"
        >
          <Field label="Email" error={userErrors.fields.email}>
            <input name="email" type="email" required className={input} />
          </Field>
          <Field label="Name" error={userErrors.fields.name}>
            <input name="name" required maxLength={100} className={input} />
          </Field>
          <Field label="First password (≥ 10 characters)" error={userErrors.fields.password}>
            <input
              name="password"
              type="password"
              required
              minLength={10}
              maxLength={128}
              autoComplete="new-password"
              className={input}
            />
          </Field>
          <label className="flex items-center gap-2 text-sm">
            <input name="isSuperAdmin" type="checkbox" className={focusRing} /> super admin
          </label>
          <button type="submit" className={button} disabled={createUser.isPending}>
            Create account
          </button>
        </form>
        {userErrors.form ? <ErrorNotice>{userErrors.form}</ErrorNotice> : null}
      </section>
    </div>
  );
}
