/**
 * The messages of one chat, windowed: only the rows near the viewport are in the DOM (a chat of 10,000
 * messages costs the same as one of 40); the rows above and below are the list's padding, from measured
 * heights (an estimate until a row was shown once). Bodies are text nodes (never HTML) with their
 * http(s) addresses as links (linkify.tsx): markup in a message is shown, not executed. Each row shows its
 * time, with the date when that is not today (message-time.ts: a delayed message from days ago says so).
 * - Sticks to the newest message while the reader is at the bottom; otherwise the first visible row stays
 *   where it is when messages are added above or below it, or rows turn out taller than estimated.
 * - Re-renders on the thread's version (it changes in place, no copy), at most once per animation frame
 *   however fast messages arrive (use-frame-value.ts).
 * - Older history: near the top (or when the rows do not fill the log) it asks for the archive page
 *   before the oldest message (`onTop`, load-older.ts) and says so over the log: loading, the start of
 *   the conversation, or a retry after a failure.
 * - Rich messages (rich-body.tsx, reactions-bar.tsx, message-actions.tsx): each row shows a reply's quote
 *   (a tap scrolls to the original), "edited", "Message deleted", /me actions and reactions, and has a
 *   menu; the newest of the contact's messages on screen while the page is visible is reported as seen.
 * - Keyboard: the log is focusable and scrolls with arrows / Page Up / Page Down / Home / End. Screen
 *   readers: role="log" with every row's position (aria-posinset/setsize); the log itself is not live
 *   (rows appearing while scrolling are not news), a polite live region says what arrived instead.
 */
import { memo } from "preact/compat";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { OlderState } from "../../model/chats/archive-proxy";
import type { ChatMessage, DeliveryState, LiveThread } from "../../model/chats/chats-proxy";
import { FileContent } from "../files/file-content";
import { useFrameValue } from "../use-frame-value";
import { dayKey, dayLabel, sameGroup } from "./day-label";
import { MessageActions } from "./message-actions";
import { messageTime } from "./message-time";
import { atBottom, othersFrom } from "./news";
import { ReactionsBar } from "./reactions-bar";
import type { RichActions } from "./rich-actions";
import { RichBody } from "./rich-body";

/** A glyph beside each delivery word, so the state reads at a glance (the word says it to everyone). */
const ICON: Record<DeliveryState, string> = {
  queued: "◷",
  sending: "↑",
  sent: "✓",
  delivered: "✓✓",
  read: "✓✓",
  failed: "!",
};

const STATE: Record<DeliveryState, string> = {
  queued: "Pending",
  sending: "Sending…",
  sent: "Sent",
  delivered: "Delivered",
  read: "Read",
  failed: "Not delivered",
};

/** Padding of the log below the last row (px). */
const PAD = 12;
/** Above the first row: room for what is said over the log's top (older history, its start). */
const TOP = 44;
/** A row's height before it was measured: one line of body, the meta line and the gap below. */
const ESTIMATE = 64;
/** Rows are kept this far beyond the viewport (px) … */
const OVERSCAN = 800;
/** … and the window moves once the viewport comes this close to its edge. */
const MARGIN = 200;
/** Within this distance of the top, older messages are fetched (before the reader hits the end). */
const TOP_SLACK = 600;
/** Within this distance of the top, the reader sees "Start of the conversation". */
const AT_TOP = 40;

const keyOf = (m: ChatMessage) => `${m.direction}-${m.id}`;

interface RowProps {
  m: ChatMessage;
  index: number;
  size: number;
  /** Who the other side is, for screen readers (sides and colours say it to the eye). */
  peerName: string;
  /** The day separator above this row, when it starts a day. */
  day: string | null;
  /** "N new messages" above this row, when it is the first one that was unread. */
  newCount: number;
  /** Continues the previous row's group (same side and minute): less space above. */
  continued: boolean;
  /** The next row continues this one's group: its time is said there. */
  grouped: boolean;
  actions: RichActions | undefined;
  /** My newest message: the one a correction may replace. */
  editable: boolean;
  onJump: (id: string) => void;
}

const Row = memo(function Row({
  m,
  index,
  size,
  peerName,
  day,
  newCount,
  continued,
  grouped,
  actions,
  editable,
  onJump,
}: RowProps) {
  const cls = `msg msg--${m.direction}${continued ? " msg--cont" : ""}${m.mention ? " msg--mention" : ""}`;
  // In a room, others are named by nickname (a reactor is room@service/nick: amendments.ts occupantAuthor).
  const nameOf = (who: string) =>
    who === "me"
      ? "You"
      : (m.reactions?.[who]?.name ?? (m.room && who.includes("/") ? who.slice(who.indexOf("/") + 1) : peerName));
  const original = m.replyTo ? actions?.lookup(m.replyTo.id) : undefined;
  return (
    <li class={cls} data-state={m.state} data-key={keyOf(m)} data-id={m.id} aria-posinset={index + 1} aria-setsize={size}>
      {day ? <p class="msg__day">{day}</p> : null}
      {newCount ? (
        <p class="msg__new" data-testid="new-divider">
          {newCount === 1 ? "1 new message" : `${newCount} new messages`}
        </p>
      ) : null}
      <div class="msg__bubble">
        {m.nick && m.direction === "in" && !continued ? (
          <p class="msg__nick" aria-hidden="true">
            {m.nick}
          </p>
        ) : null}
        <span class="visually-hidden">{m.direction === "out" ? "You" : (m.nick ?? peerName)}: </span>
        {m.file && m.retracted === undefined ? (
          <FileContent m={m} />
        ) : (
          <RichBody
            m={m}
            author={m.direction === "out" ? "You" : (m.nick ?? peerName)}
            original={original}
            originalAuthor={original?.direction === "out" ? "You" : (original?.nick ?? peerName)}
            onJump={onJump}
          />
        )}
        <p class={grouped ? "msg__meta msg__meta--grouped" : "msg__meta"}>
          <time dateTime={new Date(m.at).toISOString()}>{messageTime(m.at)}</time>
          {m.edit && m.retracted === undefined ? <span class="msg__edited"> · edited</span> : null}
          {m.direction === "out" ? (
            <span class="msg__state">
              {grouped ? "" : " · "}
              <span class="msg__icon" aria-hidden="true">
                {ICON[m.state]}
              </span>{" "}
              {STATE[m.state]}
            </span>
          ) : null}
          {actions ? <MessageActions m={m} editable={editable} actions={actions} /> : null}
        </p>
      </div>
      {actions ? <ReactionsBar m={m} nameOf={nameOf} onReact={(e) => actions.react(m, e)} /> : null}
    </li>
  );
});

/**
 * Heights per row, kept in step with the thread: appends extend the arrays, anything else (older
 * messages inserted, a cleared chat) rebuilds them once. Prefix sums are computed lazily from the first
 * changed row, so a new message or a measured row near the end costs O(rows after it).
 */
class Layout {
  keys: string[] = [];
  heights: number[] = [];
  #prefix: number[] = [0];
  #validUpTo = 0;
  readonly #measured = new Map<string, number>();
  #first: ChatMessage | undefined;

  sync(list: readonly ChatMessage[]): void {
    const n = this.keys.length;
    const appended =
      list.length >= n && n > 0 && list[0] === this.#first && keyOf(list[n - 1] as ChatMessage) === this.keys[n - 1];
    if (!appended) {
      this.keys = [];
      this.heights = [];
      this.#validUpTo = 0;
    }
    for (let i = this.keys.length; i < list.length; i++) {
      const key = keyOf(list[i] as ChatMessage);
      this.keys.push(key);
      this.heights.push(this.#measured.get(key) ?? ESTIMATE);
    }
    this.#first = list[0];
    this.#validUpTo = Math.min(this.#validUpTo, this.keys.length);
  }

  /** Records a rendered row's height; true if it differed from what was assumed. */
  measure(index: number, height: number): boolean {
    const key = this.keys[index];
    if (key === undefined) return false;
    this.#measured.set(key, height);
    if (this.heights[index] === height) return false;
    this.heights[index] = height;
    this.#validUpTo = Math.min(this.#validUpTo, index);
    return true;
  }

  /** Sum of the heights of rows [0, i). */
  top(i: number): number {
    for (let j = this.#validUpTo; j < i; j++) this.#prefix[j + 1] = (this.#prefix[j] ?? 0) + (this.heights[j] ?? 0);
    this.#validUpTo = Math.max(this.#validUpTo, i);
    return this.#prefix[i] ?? 0;
  }

  get total(): number {
    return this.top(this.keys.length);
  }

  /** The first row whose bottom is below `y` (content coordinates without TOP). */
  indexAt(y: number): number {
    const n = this.keys.length;
    this.top(n);
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.top(mid + 1) > y) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

interface Anchor {
  key: string;
  /** The row's top minus the log's scrollTop. */
  offset: number;
}

export interface MessageListProps {
  thread: LiveThread;
  /** Whether older messages may be fetched from the server archive, and how that is going. */
  older: OlderState;
  /** Asks for the archive page before the oldest message. */
  onTop: () => void;
  /** The contact's name, said by screen readers before each of their messages. */
  peerName: string;
  /** The first message that was unread when the chat was opened: the log opens at it, under a divider. */
  firstUnread: ChatMessage | null;
  /** Replies, corrections, retractions, reactions and markers (rich-actions.ts); none without. */
  actions?: RichActions;
}

function OlderStatus({
  older,
  atTop,
  empty,
  onRetry,
}: {
  older: OlderState;
  atTop: boolean;
  empty: boolean;
  onRetry: () => void;
}) {
  if (older === "failed")
    return (
      <p class="messages__older" role="status">
        Older messages could not be loaded.{" "}
        <button type="button" class="btn btn--quiet" onClick={onRetry}>
          Retry
        </button>
      </p>
    );
  const text =
    older === "loading" ? "Loading older messages…" : older === "complete" && atTop && !empty ? "Start of the conversation" : "";
  return (
    <p class={text ? "messages__older" : "visually-hidden"} role="status" data-testid="older">
      {text}
    </p>
  );
}

export function MessageList({ thread, older, onTop, peerName, firstUnread, actions }: MessageListProps) {
  useFrameValue(thread.version);
  const list = thread.list;
  const box = useRef<HTMLDivElement>(null);
  const layout = useRef(new Layout()).current;
  const view = useRef({
    scrollTop: 0,
    height: 480,
    atBottom: true,
    anchor: null as Anchor | null,
    start: 0,
    end: 0,
    opened: false,
    /** The newest message when the reader last was at the bottom: what arrived after it is news. */
    newestSeen: null as string | null,
  }).current;
  const [away, setAway] = useState(false);
  const [, setTick] = useState(0);
  const rerender = () => setTick((t) => t + 1);
  const [arrived, setArrived] = useState("");
  const [atTop, setAtTop] = useState(false);
  const lastSeen = useRef<ChatMessage | undefined>(list[list.length - 1]);

  layout.sync(list);
  const n = list.length;
  const firstNew = firstUnread ? layout.keys.lastIndexOf(keyOf(firstUnread)) : -1;
  // Opened with unread messages: the log opens at the first of them (under its divider), not the end.
  if (!view.opened) {
    view.opened = true;
    if (firstNew >= 0) {
      view.atBottom = false;
      view.anchor = { key: keyOf(firstUnread as ChatMessage), offset: TOP };
    }
  }
  // Where the log will be scrolled once this render is in the DOM: decides which rows to render.
  const contentHeight = TOP + PAD + layout.total;
  let target = view.scrollTop;
  if (view.atBottom) target = Math.max(0, contentHeight - view.height);
  else if (view.anchor) {
    const i = layout.keys.lastIndexOf(view.anchor.key);
    if (i >= 0) target = TOP + layout.top(i) - view.anchor.offset;
  }
  const start = Math.min(n, layout.indexAt(Math.max(0, target - TOP - OVERSCAN)));
  const end = Math.max(start, Math.min(n, layout.indexAt(target - TOP + view.height + OVERSCAN) + 1));
  view.start = start;
  view.end = end;

  /** The first row at least partly in view, and where it is. */
  const recordAnchor = (el: HTMLDivElement) => {
    view.anchor = null;
    for (const row of Array.from(el.querySelectorAll<HTMLElement>("li.msg"))) {
      if (row.offsetTop + row.offsetHeight > el.scrollTop) {
        view.anchor = { key: row.dataset.key ?? "", offset: row.offsetTop - el.scrollTop };
        break;
      }
    }
  };

  /** Whether the rendered rows cover the viewport with MARGIN to spare (else the window must move). */
  const covered = (el: HTMLDivElement) => {
    const top = TOP + layout.top(view.start);
    const bottom = TOP + layout.top(view.end);
    const above = view.start === 0 || el.scrollTop - MARGIN >= top;
    const below = view.end === layout.keys.length || el.scrollTop + el.clientHeight + MARGIN <= bottom;
    return above && below;
  };

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    // Measure the rendered rows (height plus the gap below); correct the assumptions.
    let changed = false;
    const rows = Array.from(el.querySelectorAll<HTMLElement>("li.msg"));
    for (const [k, row] of rows.entries()) {
      const next = rows[k + 1];
      const h = next ? next.offsetTop - row.offsetTop : row.offsetHeight + 8;
      if (layout.measure(view.start + k, h)) changed = true;
    }
    // Keep the reader's place: at the bottom, or the first visible row where it was.
    if (view.atBottom) el.scrollTop = el.scrollHeight;
    else if (view.anchor) {
      const row = el.querySelector<HTMLElement>(`li.msg[data-key="${CSS.escape(view.anchor.key)}"]`);
      if (row) el.scrollTop = row.offsetTop - view.anchor.offset;
    }
    view.scrollTop = el.scrollTop;
    view.height = el.clientHeight || view.height;
    recordAnchor(el);
    // Opened at a divider near the end (or a log that fits): the newest row is in view, so this is the bottom.
    if (!view.atBottom && atBottom(el)) view.atBottom = true;
    if (changed && !covered(el)) rerender();
    if (view.atBottom) view.newestSeen = layout.keys[n - 1] ?? null;
    if (!view.atBottom !== away) setAway(!view.atBottom);
    reportSeen(el, rows);
    // Rows that do not reach the top slack yet (a short chat on a new device): ask for more at once.
    if (older === "more" && el.scrollTop < TOP_SLACK) onTop();
  });

  useLayoutEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver(() => {
      if (el.clientHeight === view.height) return;
      view.height = el.clientHeight;
      rerender();
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Seen only while the page is visible: coming back to it looks again.
  useEffect(() => {
    const onVisible = () => document.visibilityState === "visible" && rerender();
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, []);

  // A polite announcement of the newest incoming message (the log itself is not live, see above).
  useEffect(() => {
    const newest = list[list.length - 1];
    if (newest === lastSeen.current) return;
    const previous = lastSeen.current;
    lastSeen.current = newest;
    if (newest && newest.direction === "in" && newest.id !== previous?.id) setArrived(newest.body.slice(0, 200));
  });

  /** Reports the newest of the contact's messages whose row is on screen (XEP-0333: really seen). */
  function reportSeen(el: HTMLDivElement, rendered: HTMLElement[]) {
    if (!actions || document.visibilityState !== "visible") return;
    const bottom = el.scrollTop + el.clientHeight;
    for (let k = rendered.length - 1; k >= 0; k--) {
      const row = rendered[k] as HTMLElement;
      const m = list[view.start + k];
      if (m?.direction !== "in" || row.offsetTop >= bottom || row.offsetTop + row.offsetHeight <= el.scrollTop) continue;
      if (!m.displayed) actions.seen(m);
      return;
    }
  }

  /** Scrolls to a message (a reply's original) and puts the focus on it. */
  const jump = useRef((id: string) => {
    const m = jumpTarget.current(id);
    if (!m) return;
    view.atBottom = false;
    view.anchor = { key: keyOf(m), offset: TOP + 16 };
    focusKey.current = keyOf(m);
    rerender();
  }).current;
  const jumpTarget = useRef<(id: string) => ChatMessage | undefined>(() => undefined);
  jumpTarget.current = (id) => actions?.lookup(id);
  const focusKey = useRef<string | null>(null);
  useEffect(() => {
    const key = focusKey.current;
    const row = key ? box.current?.querySelector<HTMLElement>(`li.msg[data-key="${CSS.escape(key)}"] .msg__bubble`) : null;
    if (!row) return;
    focusKey.current = null;
    row.tabIndex = -1;
    row.focus({ preventScroll: true });
    row.classList.add("msg__bubble--found");
    setTimeout(() => row.classList.remove("msg__bubble--found"), 1500);
  });

  const onScroll = (e: Event) => {
    const el = e.currentTarget as HTMLDivElement;
    view.scrollTop = el.scrollTop;
    view.atBottom = atBottom(el);
    if (view.atBottom) view.newestSeen = layout.keys[n - 1] ?? null;
    if (!view.atBottom !== away) setAway(!view.atBottom);
    recordAnchor(el);
    reportSeen(el, Array.from(el.querySelectorAll<HTMLElement>("li.msg")));
    if (older === "more" && el.scrollTop < TOP_SLACK) onTop();
    if (el.scrollTop < AT_TOP !== atTop) setAtTop(el.scrollTop < AT_TOP);
    if (!covered(el)) rerender();
  };

  // Arrived since the reader was last at the bottom (or, opened at the divider, the unread ones).
  const seenAt = view.newestSeen === null ? -1 : layout.keys.lastIndexOf(view.newestSeen);
  // Only others' messages are news (news.ts): my own reply after the divider is not counted.
  const unseen = seenAt >= 0 ? othersFrom(list, seenAt + 1) : firstNew >= 0 ? othersFrom(list, firstNew) : 0;
  const rows = [];
  const newCount = firstNew >= 0 ? othersFrom(list, firstNew) : 0;
  let lastOwn = n - 1;
  while (lastOwn >= 0 && (list[lastOwn] as ChatMessage).direction !== "out") lastOwn--;
  for (let i = start; i < end; i++) {
    const m = list[i] as ChatMessage;
    const prev = list[i - 1];
    const next = list[i + 1];
    const startsDay = !prev || dayKey(prev.at) !== dayKey(m.at);
    const newHere = i === firstNew ? newCount : 0;
    rows.push(
      <Row
        key={layout.keys[i]}
        m={m}
        index={i}
        size={n}
        peerName={peerName}
        day={startsDay ? dayLabel(m.at) : null}
        newCount={newHere}
        continued={!!prev && !startsDay && !newHere && sameGroup(prev, m)}
        grouped={!!next && dayKey(next.at) === dayKey(m.at) && !(i + 1 === firstNew) && sameGroup(m, next)}
        actions={actions}
        editable={i === lastOwn}
        onJump={jump}
      />,
    );
  }
  return (
    <div class="messages-frame">
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to scroll it. */}
      <div ref={box} class="messages" role="log" aria-label="Messages" aria-live="off" tabIndex={0} onScroll={onScroll}>
        <ol
          class="messages__list"
          style={{ paddingTop: `${TOP + layout.top(start)}px`, paddingBottom: `${PAD + layout.total - layout.top(end)}px` }}
        >
          {rows}
        </ol>
      </div>
      {away ? (
        <button
          type="button"
          class="messages__jump"
          onClick={() => {
            view.atBottom = true;
            rerender();
          }}
        >
          {unseen > 0 ? `↓ ${unseen} new` : "↓ Newest"}
          <span class="visually-hidden"> (jump to the newest message)</span>
        </button>
      ) : null}
      <OlderStatus older={older} atTop={atTop} empty={n === 0} onRetry={onTop} />
      <p class="visually-hidden" aria-live="polite" data-testid="arrived">
        {arrived}
      </p>
    </div>
  );
}
