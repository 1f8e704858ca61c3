"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { ErrorNotice, StatusNotice } from "~/components/notice";
import { button, focusRing, input, label, link, secondaryButton, table, td, th } from "~/lib/classes";
import { Field } from "~/components/ui/field";
import { formErrors } from "~/lib/form-errors";
import { useTRPC } from "~/trpc/react";

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
        <table className={table}>
          <thead className="bg-slate-100 text-slate-600">
            <tr>
              <th scope="col" className={th}>
                Store
              </th>
              <th scope="col" className={th}>
                Address
              </th>
              <th scope="col" className={th}>
                Time zone
              </th>
              <th scope="col" className={`${th} text-right`}>
                Cameras · zones · people
              </th>
            </tr>
          </thead>
          <tbody>
            {stores.map((s) => (
              <tr key={s.id} className="border-t border-slate-100">
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
            ))}
          </tbody>
        </table>
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
        <table className={table}>
          <thead className="bg-slate-100 text-slate-600">
            <tr>
              <th scope="col" className={th}>
                Person
              </th>
              <th scope="col" className={th}>
                Roles
              </th>
              <th scope="col" className={th}>
                Super admin
              </th>
              <th scope="col" className={th}>
                Password
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} className="border-t border-slate-100 align-top">
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
            ))}
          </tbody>
        </table>
        {setSuper.error ? <ErrorNotice>{setSuper.error.message}</ErrorNotice> : null}
        {reset.error ? <ErrorNotice>{reset.error.message}</ErrorNotice> : null}
        <form
          onSubmit={submitUser}
          className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4"
          aria-label="Create an account"
        >
          <label className={label}>
            Email
            <input name="email" type="email" required className={input} />
          </label>
          <label className={label}>
            Name
            <input name="name" required maxLength={100} className={input} />
          </label>
          <label className={label}>
            First password (≥ 10 characters)
            <input
              name="password"
              type="password"
              required
              minLength={10}
              maxLength={128}
              autoComplete="new-password"
              className={input}
            />
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input name="isSuperAdmin" type="checkbox" className={focusRing} /> super admin
          </label>
          <button type="submit" className={button} disabled={createUser.isPending}>
            Create account
          </button>
        </form>
        {createUser.error ? <ErrorNotice>{createUser.error.message}</ErrorNotice> : null}
      </section>
    </div>
  );
}
