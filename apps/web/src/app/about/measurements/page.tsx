import type { Metadata } from "next";
import { DEFAULT_STORE_RULES } from "@shelf/core";
import { EXPRESSION_NOUN, negativeSetInWords } from "~/components/metric-definition";
import { PageHeader } from "~/components/page-header";
import { MODEL_ACCURACY, RATE_LABEL, RATE_NAME } from "~/lib/measurement";

export const metadata: Metadata = { title: "How we measure — Shelf Sentiment" };

const percent = (x: number) => `${(x * 100).toFixed(1)} %`;

/**
 * The full explanation behind every "What is this?" note: what an interaction is, what the
 * negative-expression rate counts, how sure it is, and how accurate the expression model is (measured, with
 * the command). Public: nothing here is about a store or a person.
 */
export default function MeasurementsPage() {
  const defaults = { negative: [...DEFAULT_STORE_RULES.negative], includeHesitation: false };
  return (
    <article aria-labelledby="measurements-heading" className="max-w-3xl space-y-6 text-sm text-slate-700">
      <PageHeader
        id="measurements-heading"
        title="How we measure"
        description={`What the ${RATE_NAME} counts, how sure it is, and how accurate the camera’s expression model is.`}
      />
      <section aria-labelledby="expressions-heading" className="space-y-2">
        <h2 id="expressions-heading" className="text-lg font-semibold text-slate-900">
          Expressions, not feelings
        </h2>
        <p>
          Cameras at the shelves estimate the <strong>facial expression</strong> of each face they see —{" "}
          {Object.values(EXPRESSION_NOUN).join(", ")}. A facial expression is not an emotion: it varies with
          culture, context and person, and reading one is not “a determination of a person’s internal
          emotional state” (the wording AWS uses for its own face analysis). No face image, crop or template
          is stored; only counts are kept.
        </p>
      </section>
      <section aria-labelledby="interaction-heading" className="space-y-2">
        <h2 id="interaction-heading" className="text-lg font-semibold text-slate-900">
          One interaction
        </h2>
        <p>
          An <strong>interaction</strong> is one tracked face at one shelf zone, from when it arrives to when
          it leaves: its dwell time and its dominant expression (the most frequent of its readings). It is not
          a person: a shopper who stops at two shelves makes two interactions, and one who comes back makes
          another. Faces are followed only by where their box is from one frame to the next; nothing
          recognises a person again. Staff-only zones are never analysed.
        </p>
      </section>
      <section aria-labelledby="rate-heading" className="space-y-2">
        <h2 id="rate-heading" className="text-lg font-semibold text-slate-900">
          {RATE_LABEL}
        </h2>
        <p>
          The share of a product’s (or a zone’s) interactions whose dominant expression is in the store’s{" "}
          <strong>negative set</strong>. Each store’s admins choose that set on the Rules page; by default it
          is {negativeSetInWords(defaults)}. Fear and sadness are left out by default (at a shelf they say
          more about the shopper’s day than about the product), and a store may also count{" "}
          <strong>hesitation</strong> — a long look without a positive expression — which is weaker evidence.
          The “What is this?” note on each page names the store’s current set.
        </p>
        <p>
          Every rate is shown with a <strong>95 % Wilson interval</strong>: with few interactions the interval
          is wide. Report cells with fewer than <strong>k</strong> interactions (k = {DEFAULT_STORE_RULES.k}{" "}
          unless the store chose more) show their count only, so no single face can be read off a report. A
          product is <strong>flagged</strong> only when the lower bound of its interval, over the store’s
          scoring window (default {DEFAULT_STORE_RULES.windowHours} h), is above the threshold that applies to
          it, with at least the store’s minimum sample (default {DEFAULT_STORE_RULES.minSample} interactions).
          A flag says that faces at that shelf showed these expressions more often than the threshold — not
          why, and not what anyone felt. The product’s survey asks shoppers who agree to answer.
        </p>
      </section>
      <section aria-labelledby="accuracy-heading" className="space-y-2">
        <h2 id="accuracy-heading" className="text-lg font-semibold text-slate-900">
          How accurate the model is
        </h2>
        <p>
          The expression model ({MODEL_ACCURACY.model}) was trained on FER-2013 and measured on its{" "}
          {MODEL_ACCURACY.dataset} split ({MODEL_ACCURACY.faces.toLocaleString("en")} faces):
        </p>
        <table className="w-full max-w-xl rounded-lg border border-slate-200 bg-white text-sm">
          <caption className="sr-only">Expression model accuracy on {MODEL_ACCURACY.dataset}</caption>
          <tbody>
            <tr className="border-b border-slate-100">
              <th scope="row" className="px-3 py-2 text-left font-medium">
                Faces labelled correctly
              </th>
              <td className="px-3 py-2 text-right tabular-nums" data-testid="model-accuracy">
                {percent(MODEL_ACCURACY.accuracy)}
              </td>
            </tr>
            <tr className="border-b border-slate-100">
              <th scope="row" className="px-3 py-2 text-left font-medium">
                … of faces it never saw in training
              </th>
              <td className="px-3 py-2 text-right tabular-nums">{percent(MODEL_ACCURACY.accuracyUnseen)}</td>
            </tr>
            <tr className="border-b border-slate-100">
              <th scope="row" className="px-3 py-2 text-left font-medium">
                Angry faces found (recall)
              </th>
              <td className="px-3 py-2 text-right tabular-nums">{percent(MODEL_ACCURACY.recall.angry)}</td>
            </tr>
            <tr className="border-b border-slate-100">
              <th scope="row" className="px-3 py-2 text-left font-medium">
                Disgusted faces found (recall, 56 test faces)
              </th>
              <td className="px-3 py-2 text-right tabular-nums">{percent(MODEL_ACCURACY.recall.disgust)}</td>
            </tr>
            <tr>
              <th scope="row" className="px-3 py-2 text-left font-medium">
                Human raters agree with FER-2013’s labels
              </th>
              <td className="px-3 py-2 text-right tabular-nums">
                ≈ {percent(MODEL_ACCURACY.humanAgreement)}
              </td>
            </tr>
          </tbody>
        </table>
        <p>
          Reproduce it with{" "}
          <code className="rounded bg-slate-100 px-1 font-mono text-xs">{MODEL_ACCURACY.command}</code> (model
          card: packages/inference/models/fer-vgg-s.md). FER-2013 is posed and web-scraped faces; on a shop
          floor most faces are neutral and expressions subtle, and accuracy by age, gender or skin tone cannot
          be measured on FER-2013. One face’s label is wrong about three times in ten: the rates only mean
          something over many interactions, which is why they carry an interval and a minimum count.
        </p>
      </section>
      <section aria-labelledby="not-for-heading" className="space-y-2">
        <h2 id="not-for-heading" className="text-lg font-semibold text-slate-900">
          Not for
        </h2>
        <p>
          Judging or identifying a person, inferring what anyone feels, or any decision about a person. Rates
          describe products and shelves over many interactions.
        </p>
      </section>
    </article>
  );
}
