import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DataTable } from "./data-table.tsx";
import { Field, NumberField } from "./field.tsx";

const attr = (html: string, tag: string, name: string) =>
  new RegExp(`<${tag}[^>]*\\s${name}="([^"]*)"`).exec(html)?.[1];

describe("Field", () => {
  it("labels its control and ties the hint and the error to it", () => {
    const html = renderToStaticMarkup(
      <Field label="Width (m)" hint="1 to 10 000" error="too wide">
        <input name="widthM" aria-describedby="outside" />
      </Field>,
    );
    expect(html).toMatch(/<label[^>]*>Width \(m\)<input/);
    const described = attr(html, "input", "aria-describedby")!.split(" ");
    expect(described[0]).toBe("outside");
    const [hintId, errorId] = described.slice(1);
    expect(html).toContain(`<p id="${hintId}" class="text-xs text-slate-500">1 to 10 000</p>`);
    expect(html).toMatch(new RegExp(`<p id="${errorId}"[^>]*>too wide</p>`));
    expect(attr(html, "input", "aria-invalid")).toBe("true");
    // The description is not part of the label, so not of the control's name.
    expect(html).toMatch(/<\/label><p/);
  });

  it("adds nothing when there is no hint or error", () => {
    const html = renderToStaticMarkup(
      <Field label="Name">
        <input name="name" />
      </Field>,
    );
    expect(html).not.toContain("aria-describedby");
    expect(html).not.toContain("aria-invalid");
    expect(html).not.toContain("<p");
  });
});

describe("NumberField", () => {
  it("is a labelled number input whose message comes from the form's errors under its name", () => {
    const errors = { fields: { minSample: "Enter 1 or more." }, form: null };
    const html = renderToStaticMarkup(
      <NumberField name="minSample" label="Min. sample" min={1} required defaultValue={30} errors={errors} />,
    );
    expect(html).toMatch(/<label[^>]*>Min\. sample<input/);
    expect(attr(html, "input", "type")).toBe("number");
    expect(attr(html, "input", "name")).toBe("minSample");
    expect(attr(html, "input", "min")).toBe("1");
    expect(attr(html, "input", "value")).toBe("30");
    expect(attr(html, "input", "aria-invalid")).toBe("true");
    expect(html).toContain(">Enter 1 or more.</p>");
    const fine = renderToStaticMarkup(
      <NumberField name="minSample" label="Min. sample" errors={{ fields: { other: "x" }, form: null }} />,
    );
    expect(fine).not.toContain("aria-invalid");
  });
});

describe("DataTable", () => {
  const columns = [{ label: "Kiosk" }, { label: "Actions", srOnly: true }];
  const render = (rows: string[], empty?: string) =>
    renderToStaticMarkup(
      <DataTable
        columns={columns}
        rows={rows}
        rowKey={(r) => r}
        renderRow={(r) => (
          <tr data-testid="row">
            <td>{r}</td>
            <td />
          </tr>
        )}
        caption="Kiosks"
        empty={empty}
      />,
    );

  it("renders a caption, column headers and a row per item", () => {
    const html = render(["a", "b"]);
    expect(html).toContain('<caption class="sr-only">Kiosks</caption>');
    expect(html).toMatch(/<th scope="col"[^>]*>Kiosk<\/th>/);
    expect(html).toMatch(/<th scope="col"[^>]*><span class="sr-only">Actions<\/span><\/th>/);
    expect(html.match(/data-testid="row"/g)).toHaveLength(2);
  });

  it("shows the empty state instead of an empty table, or the header alone without one", () => {
    expect(render([], "No kiosks yet.")).toBe("No kiosks yet.");
    const bare = render([]);
    expect(bare).toContain("<thead");
    expect(bare).not.toContain('data-testid="row"');
  });

  it("scrolls inside a labelled frame with scrollLabel, without widening the page", () => {
    const html = renderToStaticMarkup(
      <DataTable
        columns={columns}
        rows={["a"]}
        rowKey={(r) => r}
        renderRow={(r) => (
          <tr>
            <td>{r}</td>
            <td />
          </tr>
        )}
        scrollLabel="Kiosks"
      />,
    );
    expect(html).toMatch(/^<div role="region" aria-label="Kiosks" tabindex="0" class="[^"]*overflow-x-auto/);
    expect(attr(html, "table", "class")).toContain("min-w-max");
    expect(render(["a"])).not.toContain('role="region"');
  });
});
