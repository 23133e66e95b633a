/**
 * A windowed list: only the rows in view (plus a margin) are in the DOM, so 5,000 contacts cost the
 * same as 20. Fixed row height. Keyboard: arrows, Page Up/Down, Home/End move focus between rows; a row
 * the focus moves to is rendered at once (inside the window or not) and focused in the same commit, so no
 * render that happens in between (a scroll event, a roster update) can drop the focus on the page.
 */
import type { ComponentChildren, TargetedKeyboardEvent } from "preact";
import { useLayoutEffect, useRef, useState } from "preact/hooks";

interface Props<T> {
  items: readonly T[];
  rowHeight: number;
  keyOf: (item: T) => string;
  renderRow: (item: T, index: number) => ComponentChildren;
  label: string;
  overscan?: number;
}

export function VirtualList<T>({ items, rowHeight, keyOf, renderRow, label, overscan = 8 }: Props<T>) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(640);
  const focusIndex = useRef<number | null>(null);
  const [, rerender] = useState(0);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    setHeight(el.clientHeight || 640);
    if (typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight || 640));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  if (focusIndex.current !== null && focusIndex.current >= items.length) focusIndex.current = null;
  const pending = focusIndex.current;

  // Layout effect: runs in the commit of the render that drew the row, before any other render.
  useLayoutEffect(() => {
    const i = focusIndex.current;
    if (i === null) return;
    const row = box.current?.querySelector<HTMLElement>(`[data-index="${i}"] button`);
    if (!row) return;
    focusIndex.current = null;
    row.focus();
  });

  const onKeyDown = (e: TargetedKeyboardEvent<HTMLUListElement>) => {
    const el = box.current;
    const current = Number((document.activeElement?.closest("[data-index]") as HTMLElement | null)?.dataset.index ?? -1);
    if (!el || current < 0) return;
    const page = Math.max(1, Math.floor(el.clientHeight / rowHeight) - 1);
    const moves: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      PageDown: current + page,
      PageUp: current - page,
      Home: 0,
      End: items.length - 1,
    };
    const next = moves[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const target = Math.max(0, Math.min(items.length - 1, next));
    const top = target * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + rowHeight - el.clientHeight;
    const row = el.querySelector<HTMLElement>(`[data-index="${target}"] button`);
    if (row) row.focus();
    else {
      focusIndex.current = target; // not rendered yet: drawn and focused by the next render
      rerender((n) => n + 1);
    }
    setScrollTop(el.scrollTop);
  };

  const rows: ComponentChildren[] = [];
  const drawn = pending !== null && (pending < first || pending >= last) ? [pending] : [];
  for (let i = first; i < last; i++) drawn.push(i);
  for (const i of drawn) {
    const item = items[i] as T;
    rows.push(
      <li
        key={keyOf(item)}
        class="vlist__row"
        data-index={i}
        aria-setsize={items.length}
        aria-posinset={i + 1}
        style={{ transform: `translateY(${i * rowHeight}px)`, height: `${rowHeight}px` }}
      >
        {renderRow(item, i)}
      </li>,
    );
  }

  return (
    <div ref={box} class="vlist" onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      <ul class="vlist__inner" aria-label={label} onKeyDown={onKeyDown} style={{ height: `${items.length * rowHeight}px` }}>
        {rows}
      </ul>
    </div>
  );
}
