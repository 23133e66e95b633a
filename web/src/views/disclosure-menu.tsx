/**
 * A menu button and the panel it shows (WAI-ARIA APG "Disclosure" pattern,
 * https://www.w3.org/WAI/ARIA/apg/patterns/disclosure/): the button carries aria-expanded and
 * aria-controls; opening moves the focus to the panel's first control; Escape closes it and puts the
 * focus back on the button; a click outside or the focus leaving closes it. The panel's content is
 * rendered only while open and is given `close` (which returns the focus to the button unless told not to).
 */
import type { ComponentChildren } from "preact";
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import "./disclosure-menu.css";

interface Props {
  /** The panel's id (aria-controls). */
  id: string;
  /** The button's accessible name. */
  label: string;
  /** What the button shows (an icon). */
  icon: ComponentChildren;
  children: (close: (refocus?: boolean) => void) => ComponentChildren;
}

const FOCUSABLE = "button, input, select, textarea, a[href], summary, [tabindex]";

export function DisclosureMenu({ id, label, icon, children }: Props) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const close = (refocus = true) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };
  // Before the next paint: the focus is in the panel as soon as it shows.
  useLayoutEffect(() => {
    const el = root.current;
    if (!open || !el) return;
    el.querySelector<HTMLElement>(`.menu__panel :is(${FOCUSABLE})`)?.focus();
    const outside = (e: PointerEvent) => {
      if (!el.contains(e.target as Node)) setOpen(false);
    };
    const onEscape = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      e.stopPropagation();
      setOpen(false);
      button.current?.focus();
    };
    const left = (e: FocusEvent) => {
      const next = e.relatedTarget as Node | null;
      if (next && !el.contains(next)) setOpen(false);
    };
    document.addEventListener("pointerdown", outside);
    el.addEventListener("keydown", onEscape);
    el.addEventListener("focusout", left);
    return () => {
      document.removeEventListener("pointerdown", outside);
      el.removeEventListener("keydown", onEscape);
      el.removeEventListener("focusout", left);
    };
  }, [open]);
  return (
    <div ref={root} class="menu">
      <button
        ref={button}
        type="button"
        class="btn btn--quiet menu__button"
        aria-label={label}
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
      >
        {icon}
      </button>
      <div id={id} class="menu__panel" hidden={!open}>
        {open ? children(close) : null}
      </div>
    </div>
  );
}

/** Three bars (the app menu). */
export const MenuIcon = () => (
  <svg width="24" height="24" viewBox="0 0 24 24" aria-hidden="true" fill="currentColor">
    <rect x="3" y="5" width="18" height="2" rx="1" />
    <rect x="3" y="11" width="18" height="2" rx="1" />
    <rect x="3" y="17" width="18" height="2" rx="1" />
  </svg>
);

/** Three dots, stacked (a conversation's actions). */
export const MoreIcon = () => (
  <svg width="24" height="24" viewBox="0 0 24 24" aria-hidden="true" fill="currentColor">
    <circle cx="12" cy="5" r="2" />
    <circle cx="12" cy="12" r="2" />
    <circle cx="12" cy="19" r="2" />
  </svg>
);
