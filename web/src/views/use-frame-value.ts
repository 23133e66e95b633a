/**
 * A signal's value for a view that should follow it at most once per animation frame: a burst of
 * incoming messages (each its own WebSocket task) changes the model at once, but the views that show
 * counts and the message log render once per frame, not once per message. A hidden page has no
 * frames: then a task later (so the title's unread count still follows). The value read is always the
 * current one; only the re-render is deferred. Views keep Preact's usual rendering for user input.
 */
import type { ReadonlySignal } from "@preact/signals";
import { useEffect, useRef, useState } from "preact/hooks";

export function useFrameValue<T>(source: ReadonlySignal<T>): T {
  const [, rerender] = useState(0);
  const value = source.peek();
  const rendered = useRef(value);
  rendered.current = value;
  useEffect(() => {
    let pending = false;
    let initial = true;
    const run = () => {
      pending = false;
      rerender((n) => n + 1);
    };
    return source.subscribe((now) => {
      // subscribe() calls back at once with the current value: news only if it changed since the render.
      const first = initial;
      initial = false;
      if (first && now === rendered.current) return;
      if (pending) return;
      pending = true;
      if (document.visibilityState === "visible") requestAnimationFrame(run);
      else setTimeout(run, 0);
    });
  }, [source]);
  return value;
}
