/**
 * Accessibility check of a page with axe-core (the engine Lighthouse's accessibility category runs):
 * every rule axe has (WCAG 2.x A and AA, plus its best practices), on the page as it is now. The script
 * is evaluated over the DevTools protocol, so the page's strict CSP needs no exception for it.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface AxeResult {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }>;
}

/** One line per violation: `rule (impact): help — element, element`. Empty when the page passes. */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = (await page.evaluate(
    `(() => { ${AXE_SOURCE}; return axe.run(document, { resultTypes: ["violations"] }); })()`,
  )) as AxeResult;
  return result.violations.map(
    (v) => `${v.id} (${v.impact ?? "?"}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
}
