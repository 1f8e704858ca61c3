import type { StoreContext } from "../../trpc.ts";
import { renderDpiaMarkdown } from "./dpia-markdown.ts";
import { loadComplianceFacts } from "./facts.ts";
import { noticeUrl } from "./notice-url.ts";
import type { DpiaInput } from "./schemas.ts";

export interface DpiaExport {
  /** e.g. `web-1a2b-dpia-2026-12-01.md` */
  filename: string;
  markdown: string;
  generatedAt: Date;
}

/** The store's records-of-processing / DPIA starter as Markdown (admins; see `renderDpiaMarkdown`). */
export async function exportDpia({
  ctx,
  input,
}: {
  ctx: Pick<StoreContext, "db" | "store">;
  input: DpiaInput;
}): Promise<DpiaExport> {
  const facts = await loadComplianceFacts(ctx.db, ctx.store.slug);
  const generatedAt = new Date();
  return {
    filename: `${ctx.store.slug}-dpia-${generatedAt.toISOString().slice(0, 10)}.md`,
    markdown: renderDpiaMarkdown(facts, noticeUrl(input.publicOrigin, ctx.store.slug), generatedAt),
    generatedAt,
  };
}
