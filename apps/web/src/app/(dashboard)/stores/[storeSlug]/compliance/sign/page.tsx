import type { Metadata } from "next";
import { headers } from "next/headers";
import { ADMIN_ROLES } from "@shelf/api/roles";
import { isLocalOrigin, noticeUrl } from "@shelf/api/routers/compliance/notice-url";
import { surveyConfigFromEnv } from "@shelf/api/survey/context";
import { publicOrigin } from "@shelf/api/survey/http";
import { qrSvg } from "@shelf/survey-engine/qr";
import { EntranceSign } from "~/components/compliance/entrance-sign";
import { link } from "~/lib/classes";
import { requireStoreRole } from "~/server/auth/guards";
import { api } from "~/trpc/server";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Entrance sign — Shelf Sentiment" };

/** Admins: the printable A4 entrance sign with a QR code to the store's public privacy notice. */
export default async function EntranceSignPage({ params }: { params: Promise<{ storeSlug: string }> }) {
  const { storeSlug } = await params;
  await requireStoreRole(storeSlug, ADMIN_ROLES, `/stores/${storeSlug}/compliance/sign`);
  const notice = await api().compliance.notice({ storeSlug });
  const origin = publicOrigin(surveyConfigFromEnv().publicBaseUrl, await headers());
  const url = noticeUrl(origin, notice.store.slug);
  const qrDataUrl = `data:image/svg+xml;base64,${Buffer.from(await qrSvg(url)).toString("base64")}`;
  return (
    <div className="space-y-4">
      <div className="space-y-2 text-sm print:hidden">
        <p>
          <a className={link} href={`/stores/${encodeURIComponent(notice.store.slug)}/compliance`}>
            ← Compliance
          </a>{" "}
          · Print this page (Ctrl/⌘ + P, A4, portrait): only the sign prints.
        </p>
        {isLocalOrigin(origin) ? (
          <p
            role="alert"
            className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-amber-900"
            data-testid="local-origin-warning"
          >
            The QR code opens {url}, which works only on this computer. Set PUBLIC_BASE_URL to the address
            shoppers&rsquo; phones can reach before printing.
          </p>
        ) : null}
      </div>
      <EntranceSign notice={notice} qrDataUrl={qrDataUrl} url={url} />
    </div>
  );
}
