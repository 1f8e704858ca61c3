import { describe, expect, it } from "vitest";
import { formErrors, plainMessage, type FormIssue } from "./form-errors";

const issue = (p: Partial<FormIssue> & Pick<FormIssue, "code" | "message">): FormIssue => ({
  path: [],
  ...p,
});

describe("plainMessage", () => {
  it("replaces zod's wording for empty and short text", () => {
    expect(
      plainMessage(
        issue({
          code: "too_small",
          origin: "string",
          minimum: 1,
          message: "Too small: expected string to have >=1 characters",
        }),
      ),
    ).toBe("Fill this in.");
    expect(
      plainMessage(
        issue({
          code: "too_small",
          origin: "string",
          minimum: 8,
          message: "Too small: expected string to have >=8 characters",
        }),
      ),
    ).toBe("Use at least 8 characters.");
    expect(
      plainMessage(
        issue({
          code: "too_big",
          origin: "string",
          maximum: 100,
          message: "Too big: expected string to have <=100 characters",
        }),
      ),
    ).toBe("Use at most 100 characters.");
  });

  it("replaces zod's wording for numbers", () => {
    expect(
      plainMessage(
        issue({
          code: "too_small",
          origin: "number",
          minimum: 0,
          inclusive: false,
          message: "Too small: expected number to be >0",
        }),
      ),
    ).toBe("Enter a number greater than 0.");
    expect(
      plainMessage(
        issue({
          code: "too_small",
          origin: "number",
          minimum: 1,
          inclusive: true,
          message: "Too small: expected number to be >=1",
        }),
      ),
    ).toBe("Enter 1 or more.");
    expect(
      plainMessage(
        issue({
          code: "too_big",
          origin: "number",
          maximum: 3650,
          message: "Too big: expected number to be <=3650",
        }),
      ),
    ).toBe("Enter 3650 or less.");
    expect(
      plainMessage(
        issue({
          code: "invalid_type",
          expected: "int",
          message: "Invalid input: expected int, received number",
        }),
      ),
    ).toBe("Enter a whole number.");
    expect(
      plainMessage(
        issue({
          code: "invalid_type",
          expected: "number",
          message: "Invalid input: expected number, received NaN",
        }),
      ),
    ).toBe("Enter a number.");
    expect(
      plainMessage(
        issue({
          code: "invalid_type",
          expected: "string",
          message: "Invalid input: expected string, received undefined",
        }),
      ),
    ).toBe("Fill this in.");
  });

  it("replaces zod's wording for formats and options", () => {
    expect(
      plainMessage(issue({ code: "invalid_format", format: "email", message: "Invalid email address" })),
    ).toBe("Enter an e-mail address such as name@example.com.");
    expect(
      plainMessage(issue({ code: "invalid_value", message: 'Invalid option: expected one of "a"|"b"' })),
    ).toBe("Choose one of the options.");
  });

  it("keeps what a rule wrote itself, as a sentence", () => {
    expect(
      plainMessage(
        issue({
          code: "too_small",
          origin: "number",
          minimum: 0,
          message: "Enter a percentage between 0 and 100",
        }),
      ),
    ).toBe("Enter a percentage between 0 and 100.");
    expect(plainMessage(issue({ code: "custom", message: "polygon edges must not cross each other" }))).toBe(
      "Polygon edges must not cross each other.",
    );
  });
});

describe("formErrors", () => {
  const trpcError = (issues: FormIssue[] | null, message = "raw") =>
    Object.assign(new Error(message), { data: { code: "BAD_REQUEST", issues } });

  it("puts each issue beside its field, the first message per field", () => {
    const e = formErrors(
      trpcError([
        issue({
          path: ["name"],
          code: "too_small",
          origin: "string",
          minimum: 1,
          message: "Too small: expected string to have >=1 characters",
        }),
        issue({ path: ["name"], code: "custom", message: "second" }),
        issue({
          path: ["threshold"],
          code: "too_small",
          origin: "number",
          minimum: 0,
          inclusive: false,
          message: "Enter a percentage between 0 and 100",
        }),
      ]),
      ["name", "threshold", "hysteresis"],
    );
    expect(e).toEqual({
      fields: { name: "Fill this in.", threshold: "Enter a percentage between 0 and 100." },
      form: null,
    });
  });

  it("sends a deeper path to the field above it, unless the form shows it", () => {
    const corner = issue({
      path: ["polygon", 2],
      code: "custom",
      message: "Corner 3 (50 m, 1 m) is outside the floor plan",
    });
    expect(formErrors(trpcError([corner]), ["name", "polygon"]).fields).toEqual({
      polygon: "Corner 3 (50 m, 1 m) is outside the floor plan.",
    });
    expect(formErrors(trpcError([corner]), ["polygon", "polygon.2"]).fields).toEqual({
      "polygon.2": "Corner 3 (50 m, 1 m) is outside the floor plan.",
    });
  });

  it("gives issues of fields the form does not show, and errors without issues, to the form", () => {
    expect(
      formErrors(
        trpcError([
          issue({
            path: ["storeSlug"],
            code: "invalid_format",
            message: "Invalid string: must match pattern /x/",
          }),
        ]),
        ["name"],
      ),
    ).toEqual({ fields: {}, form: "Check the format of this value." });
    expect(formErrors(trpcError(null, "only a super admin may change it"), ["name"])).toEqual({
      fields: {},
      form: "Only a super admin may change it.",
    });
    expect(formErrors(null, ["name"])).toEqual({ fields: {}, form: null });
  });

  it("drops the field name a rule put in front of its message", () => {
    const e = trpcError([
      issue({ path: ["sourceUrl"], code: "custom", message: "sourceUrl: host not on the allowlist" }),
    ]);
    expect(formErrors(e, ["sourceUrl"]).fields).toEqual({ sourceUrl: "Host not on the allowlist." });
    expect(formErrors(trpcError(null, "kioskId: this kiosk is revoked; create a new one"), []).form).toBe(
      "This kiosk is revoked; create a new one.",
    );
  });
});
