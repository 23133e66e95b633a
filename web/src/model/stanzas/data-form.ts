/**
 * Data forms (XEP-0004): a form the server sends (`<x xmlns="jabber:x:data" type="form">`) parsed into
 * plain fields, and the `type="submit"` answer built back from those fields with the caller's values.
 * Used for a room's owner configuration (XEP-0045 §10.2); nothing here knows what a field means.
 */
import { type Element, xml } from "@xmpp/xml";

export const NS_XDATA = "jabber:x:data";

export type FieldType =
  | "boolean"
  | "fixed"
  | "hidden"
  | "jid-multi"
  | "jid-single"
  | "list-multi"
  | "list-single"
  | "text-multi"
  | "text-private"
  | "text-single";

const FIELD_TYPES: ReadonlySet<string> = new Set([
  "boolean",
  "fixed",
  "hidden",
  "jid-multi",
  "jid-single",
  "list-multi",
  "list-single",
  "text-multi",
  "text-private",
  "text-single",
]);

export interface FormField {
  /** Empty for a `fixed` field (a heading), which is never submitted. */
  var: string;
  /** XEP-0004 §3.3: a field without a type is text-single. */
  type: FieldType;
  label: string;
  values: string[];
  options: Array<{ label: string; value: string }>;
}

export interface DataForm {
  /** The hidden FORM_TYPE value, e.g. "http://jabber.org/protocol/muc#roomconfig", or "". */
  formType: string;
  title: string;
  fields: FormField[];
}

/** The first `jabber:x:data` form inside `el` (or `el` itself), or null if there is none. */
export function parseDataForm(el: Element): DataForm | null {
  const x = el.is("x", NS_XDATA) ? el : findForm(el);
  if (!x) return null;
  const fields: FormField[] = x.getChildren("field").map((f) => {
    const type = f.attrs.type ?? "text-single";
    return {
      var: f.attrs.var ?? "",
      type: (FIELD_TYPES.has(type) ? type : "text-single") as FieldType,
      label: f.attrs.label ?? "",
      values: f.getChildren("value").map((v) => v.text()),
      options: f.getChildren("option").map((o) => ({ label: o.attrs.label ?? "", value: o.getChildText("value") ?? "" })),
    };
  });
  return {
    formType: fields.find((f) => f.var === "FORM_TYPE")?.values[0] ?? "",
    title: x.getChildText("title") ?? "",
    fields,
  };
}

function findForm(el: Element): Element | null {
  for (const child of el.children) {
    if (typeof child === "string") continue;
    if (child.is("x", NS_XDATA)) return child;
    const inner = findForm(child);
    if (inner) return inner;
  }
  return null;
}

/** A boolean field's value as XEP-0004 §3.3 spells it ("1" / "0"). */
export function booleanValue(on: boolean): string {
  return on ? "1" : "0";
}

/** Reads a boolean field ("1"/"true" are true); `fallback` when the form has no such field. */
export function readBoolean(form: DataForm, name: string, fallback = false): boolean {
  const f = form.fields.find((x) => x.var === name);
  if (!f) return fallback;
  const v = f.values[0] ?? "";
  return v === "1" || v === "true";
}

/**
 * The `type="submit"` form answering `form`: every field it offered (except `fixed` ones), with the
 * value from `changes` where given, else the value the server proposed. Fields the server did not
 * offer are not added: a server that has no such option is not told about it.
 */
export function submitForm(form: DataForm, changes: Record<string, string | string[]>): Element {
  const fields = form.fields
    .filter((f) => f.var !== "" && f.type !== "fixed")
    .map((f) => {
      const changed = changes[f.var];
      const values = changed === undefined ? f.values : Array.isArray(changed) ? changed : [changed];
      return xml(
        "field",
        { var: f.var, type: f.type === "hidden" ? "hidden" : undefined },
        ...values.map((v) => xml("value", {}, v)),
      );
    });
  return xml("x", { xmlns: NS_XDATA, type: "submit" }, ...fields);
}

/** An empty submitted form: "accept the default configuration" (XEP-0045 §10.1.2, instant room). */
export function emptySubmit(): Element {
  return xml("x", { xmlns: NS_XDATA, type: "submit" });
}
