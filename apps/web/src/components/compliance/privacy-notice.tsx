import type { ReactNode } from "react";
import type { RouterOutputs } from "@shelf/api/root";
import { date, pct } from "~/lib/format";

type Notice = RouterOutputs["compliance"]["notice"];

/** "2 cameras", "1 zone". */
const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A list of names in words: "Snacks, Drinks and Bakery". */
function names(list: string[]): string {
  if (list.length <= 1) return list.join("");
  return `${list.slice(0, -1).join(", ")} and ${list.at(-1)}`;
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-2">
      <h2 id={id} className="text-xl font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

/**
 * A store's public privacy notice (EU AI Act Art. 50(3), GDPR Art. 13): who runs the cameras, what they do
 * and do not do, what is kept and for how long, how accurate the model is, the survey, and people's rights.
 * Every number and name comes from the store's configuration (`compliance.notice`).
 */
export function PrivacyNotice({ notice }: { notice: Notice }) {
  const { store, controller, cameras, zones, rules, fixed, model } = notice;
  return (
    <article className="mx-auto max-w-2xl space-y-8 text-base leading-relaxed" data-testid="privacy-notice">
      <header className="space-y-2">
        <p className="text-sm font-medium uppercase tracking-wide text-slate-500">Privacy notice</p>
        <h1 className="text-3xl font-semibold leading-tight">Cameras at the shelves of {store.name}</h1>
        <p className="text-lg">
          In this store, cameras at the shelves estimate shoppers&rsquo; <strong>facial expressions</strong> —
          for example a smile or a frown — to learn which products people react to. The system does not
          recognise who you are, stores no picture of your face, and reads expressions, not feelings.
        </p>
      </header>

      <Section id="who" title="Who runs this system">
        {controller.name ? (
          <p data-testid="controller">
            <strong>{controller.name}</strong> is responsible for this processing (the data controller).
          </p>
        ) : (
          <p data-testid="controller-missing">
            The store has not yet named the organisation responsible for this processing here. Please ask the
            staff of {store.name}.
          </p>
        )}
        {controller.contact ? (
          <p className="whitespace-pre-line" data-testid="controller-contact">
            Contact for questions about your data: {controller.contact}
          </p>
        ) : null}
        {controller.dpo ? (
          <p className="whitespace-pre-line" data-testid="dpo-contact">
            Data protection officer: {controller.dpo}
          </p>
        ) : null}
      </Section>

      <Section id="what" title="What the cameras do">
        <ul className="list-disc space-y-1 pl-6">
          <li data-testid="camera-count">
            {cameras.analysing === 0
              ? "No camera is analysing expressions in this store at the moment."
              : `${count(cameras.analysing, "camera")} ${cameras.analysing === 1 ? "looks" : "look"} at the shelves.`}
          </li>
          <li>
            Software on the store&rsquo;s own computers finds faces in the picture, follows each one only by
            its position while it is in view (no facial recognition, no &ldquo;face print&rdquo;), and
            estimates its expression as one of seven: angry, disgust, fear, happy, sad, surprise or neutral.
          </li>
          <li data-testid="zones">
            {zones.analysed.length
              ? `Only faces at these shelf zones are analysed: ${names(zones.analysed)}.`
              : "No shelf zone is set up yet, so no face is analysed."}{" "}
            Faces anywhere else are ignored.
          </li>
          <li data-testid="staff-zones">
            {zones.staffOnly.length
              ? `Staff-only areas are excluded before any analysis: ${names(zones.staffOnly)}. Employees are not analysed at work.`
              : "Employees are not analysed at work: areas where staff work are marked staff-only and excluded."}
          </li>
        </ul>
      </Section>

      <Section id="not" title="What the cameras do not do">
        <ul className="list-disc space-y-1 pl-6">
          <li>
            No picture of your face, no cut-out of it and no biometric template is ever stored. A face cut-out
            exists only for a moment, encrypted, while it is analysed, and is then deleted.
          </li>
          <li>You are not identified, recognised on a later visit, or followed from camera to camera.</li>
          <li>No decision about you is made. Only counts over many shoppers are ever reported.</li>
        </ul>
      </Section>

      <Section id="kept" title="What is kept, and for how long">
        <ul className="list-disc space-y-1 pl-6">
          <li data-testid="retention">
            For each stay at a shelf: which shelf and product, when, how long, and the estimated expression —
            no image and nothing that identifies you. Deleted after {count(rules.retentionDays, "day")}.
          </li>
          <li data-testid="k-anonymity">
            Counts per hour, shelf, product and expression; after {count(fixed.rollupHourlyDays, "day")} they
            are merged into daily totals. Reports never show a group of fewer than {rules.k} stays at a shelf
            (k-anonymity).
          </li>
          <li>
            Data stays on the store&rsquo;s own systems; no cloud service receives it through this system.
          </li>
        </ul>
      </Section>

      <Section id="accuracy" title="How accurate the estimates are">
        <p data-testid="model-accuracy">
          The expression model ({model.name}) matches the human label of {pct(model.accuracy, 1)} of the{" "}
          {model.benchmarkFaces.toLocaleString("en")} faces of the {model.benchmark} benchmark (
          {pct(model.accuracyUnseen, 1)} on faces it never saw in training). It is often wrong about a single
          face, and an expression is not a feeling — which is why only totals over many shoppers are used.
        </p>
        <p className="text-sm text-slate-600">
          Source: the model card, <code>{model.source}</code>, in the software&rsquo;s source code.
        </p>
      </Section>

      <Section id="survey" title="The optional survey">
        <p>
          Near some products you may see a QR code{notice.survey.activeKiosks ? " or a tablet" : ""} asking
          what you think. Answering is optional: nothing is stored unless you first agree, you can decline
          with one tap, and your answers are anonymous. Answers are deleted after{" "}
          {count(rules.retentionDays, "day")}.
        </p>
      </Section>

      <Section id="rights" title="Your rights">
        <p>
          You have the right to information, access, rectification, erasure, restriction and objection (GDPR
          Art. 15–21), and to complain to a data protection supervisory authority. Because the system stores
          nothing that identifies you, it usually cannot find data about you in particular; ask the contact
          above and they will explain what applies.
          {controller.contact ? null : ` Until a contact is listed here, ask the staff of ${store.name}.`}
        </p>
      </Section>

      <footer className="border-t border-slate-200 pt-4 text-sm text-slate-500">
        Generated from this store&rsquo;s current configuration; last changed{" "}
        {date(notice.updatedAt, store.timezone)}.
      </footer>
    </article>
  );
}
