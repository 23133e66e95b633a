/**
 * WCAG 2.x AA text contrast check for the PWA end-to-end tests: computed colours in the page,
 * background found by walking up to the first opaque ancestor (white when none).
 */
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { axeViolations } from "./axe-support";

/** WCAG 2.x AA: every visible text (direct text nodes) against its effective background must reach 4.5:1. */
export async function contrastProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type RGBA = { r: number; g: number; b: number; a: number };
    const parse = (c: string): RGBA | null => {
      const m = /rgba?\(([^)]+)\)/.exec(c);
      if (!m?.[1]) return null;
      const [r = 0, g = 0, b = 0, a = 1] = m[1]
        .split(/[\s,/]+/)
        .filter(Boolean)
        .map(Number);
      return { r, g, b, a };
    };
    const channel = (v: number) => {
      const s = v / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    const lum = (c: RGBA) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
    const background = (el: Element | null): RGBA => {
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c.a > 0) return c;
      }
      return { r: 255, g: 255, b: 255, a: 1 };
    };
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll("body *"))) {
      if (!Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent?.trim())) continue;
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (!box.width || !box.height || style.visibility === "hidden" || el.closest("[hidden]")) continue;
      const fg = parse(style.color);
      if (!fg) continue;
      const [hi, lo] = [lum(fg), lum(background(el))].sort((a, b) => b - a) as [number, number];
      const ratio = (hi + 0.05) / (lo + 0.05);
      if (ratio < 4.5)
        out.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent?.trim().slice(0, 30)}": ${ratio.toFixed(2)}`);
    }
    return out;
  });
}

/**
 * The page in light and dark (prefers-color-scheme): a screenshot of each as `<path>-<scheme>.png`,
 * and no WCAG AA contrast problem and no axe-core violation in either; back to light afterwards.
 */
export async function shootBothSchemes(page: Page, path: string): Promise<void> {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${path}-${scheme}.png` });
    expect(await contrastProblems(page), `${path}, ${scheme}`).toEqual([]);
    expect(await axeViolations(page), `axe: ${path}, ${scheme}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: "light" });
}
