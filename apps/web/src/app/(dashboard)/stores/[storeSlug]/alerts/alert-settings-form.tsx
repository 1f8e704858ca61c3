"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ErrorNotice, StatusNotice } from "~/components/notice";
import { Field } from "~/components/ui/field";
import { button, input, secondaryButton } from "~/lib/classes";
import { formErrors } from "~/lib/form-errors";
import { useTRPC } from "~/trpc/react";

const lines = (s: string) =>
  s
    .split(/[\n,]/)
    .map((x) => x.trim())
    .filter(Boolean);

/** The store's alert recipients, webhook URL and allowlist, and the webhook's signing key. */
export function AlertSettingsForm({ storeSlug }: { storeSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery(trpc.flags.alertSettings.queryOptions({ storeSlug }));
  const [enabled, setEnabled] = useState(data.enabled);
  const [emails, setEmails] = useState(data.emailRecipients.join("\n"));
  const [webhookUrl, setWebhookUrl] = useState(data.webhookUrl ?? "");
  const [allowlist, setAllowlist] = useState(data.webhookAllowlist.join("\n"));
  const [showSecret, setShowSecret] = useState(false);
  const onSuccess = (next: typeof data) =>
    queryClient.setQueryData(trpc.flags.alertSettings.queryKey({ storeSlug }), next);
  const save = useMutation(trpc.flags.updateAlertSettings.mutationOptions({ onSuccess }));
  const rotate = useMutation(trpc.flags.rotateWebhookSecret.mutationOptions({ onSuccess }));
  const errors = formErrors(save.error, ["emailRecipients", "webhookUrl", "webhookAllowlist"]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      storeSlug,
      enabled,
      emailRecipients: lines(emails),
      webhookUrl: webhookUrl.trim() || null,
      webhookAllowlist: lines(allowlist),
    });
  };

  return (
    <div className="max-w-2xl space-y-6">
      <form
        onSubmit={submit}
        className="space-y-4 rounded-lg border border-slate-200 bg-white p-4"
        data-testid="alert-settings"
      >
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Send alerts when a product is flagged
        </label>
        <Field
          label="E-mail recipients"
          hint="One address per line (at most 20). The worker sends through the SMTP server set in SMTP_URL."
          error={errors.fields.emailRecipients}
        >
          <textarea className={input} rows={3} value={emails} onChange={(e) => setEmails(e.target.value)} />
        </Field>
        <Field
          label="Webhook URL"
          hint="https:// to any public address. http://, and private or loopback addresses, only when the allowlist below names them."
          error={errors.fields.webhookUrl}
        >
          <input
            className={input}
            type="url"
            value={webhookUrl}
            onChange={(e) => setWebhookUrl(e.target.value)}
            placeholder="https://hooks.example.com/shelf"
          />
        </Field>
        <Field
          label="Webhook allowlist"
          hint="Host names, IP addresses or CIDRs, one per line (e.g. intranet.example or 10.0.5.0/24). Loopback and link-local addresses need a CIDR naming them (127.0.0.1/32)."
          error={errors.fields.webhookAllowlist}
        >
          <textarea
            className={input}
            rows={2}
            value={allowlist}
            onChange={(e) => setAllowlist(e.target.value)}
          />
        </Field>
        {errors.form ? <ErrorNotice>{errors.form}</ErrorNotice> : null}
        {save.isSuccess ? <StatusNotice>Saved.</StatusNotice> : null}
        <button type="submit" className={button} disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save"}
        </button>
      </form>

      <section className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm">
        <h2 className="font-semibold">Verifying the webhook</h2>
        <p>
          Each POST carries <code>X-Shelf-Timestamp</code> (unix seconds) and <code>X-Shelf-Signature</code>:{" "}
          <code>sha256=</code> followed by the hex HMAC-SHA256, keyed with the signing key below, of the
          timestamp, a dot and the raw body. Recompute it, compare in constant time, and refuse timestamps
          older than a few minutes. <code>X-Shelf-Delivery</code> is the flag id: a retried delivery repeats
          it.
        </p>
        {data.webhookSecret ? (
          <p className="flex flex-wrap items-center gap-2">
            Signing key:{" "}
            <code className="break-all" data-testid="webhook-secret">
              {showSecret ? data.webhookSecret : "•".repeat(16)}
            </code>
            <button type="button" className={secondaryButton} onClick={() => setShowSecret((s) => !s)}>
              {showSecret ? "Hide" : "Show"}
            </button>
            <button
              type="button"
              className={secondaryButton}
              disabled={rotate.isPending}
              onClick={() => rotate.mutate({ storeSlug })}
            >
              New key
            </button>
          </p>
        ) : (
          <p className="text-slate-500">A signing key is made when you first save.</p>
        )}
        {rotate.error ? <ErrorNotice>{rotate.error.message}</ErrorNotice> : null}
      </section>
    </div>
  );
}
