/**
 * The stream's group chat room on the watch page (its own chunk, fetched by watch-chat-slot.tsx only
 * for a browser where someone signed in to the app): the app's facade over this browser's saved
 * session (the same device history, resumed as the app resumes it: STARTUP), the room joined with the
 * account's own name as nickname (or the nickname it has there already), and the room view of the app
 * (views/room/room-view.tsx). No saved session (signed out since): the "Sign in to chat" link.
 */
import { useEffect, useState } from "preact/hooks";
import { createChatFacade } from "../app/chat-facade";
import type { Facade } from "../app/facade";
import { FacadeContext, useFacade } from "../app/facade-context";
import { RoomView } from "../views/room/room-view";
import { SIGNED_IN_ADDRESS_KEY, SignInToChat } from "./watch-chat-slot";

let shared: Facade | null = null;

type Phase = "starting" | "signed-out" | "in";

/** Resumes the saved session, if there is one, and joins the room; says whether it could. */
async function enter(facade: Facade, room: string): Promise<Phase> {
  const address = localStorage.getItem(SIGNED_IN_ADDRESS_KEY);
  if (!address) return "signed-out";
  const saved = await facade.model.store
    .load(address)
    .then((h) => h.meta.session ?? null)
    .catch(() => null);
  if (!saved) return "signed-out";
  await facade.send("STARTUP");
  const known = facade.model.rooms.get(room);
  if (!known || known.state === "left") {
    const nick = known?.nick || address.split("@")[0] || address;
    // A stream's room follows the stream, not the account: bookmarked without autojoin.
    await facade.send("JOIN_ROOM", { room, nick, password: known?.password ?? "", autojoin: false });
  }
  await facade.send("OPEN_CHAT", { jid: room });
  return "in";
}

function Room({ room }: { room: string }) {
  const { rooms } = useFacade().model;
  if (!rooms.rooms.value.has(room)) return <p class="watch__chat-note">Joining the chat…</p>;
  return <RoomView jid={room} />;
}

export function WatchChat({ room }: { room: string }) {
  const [facade] = useState(() => {
    shared ??= createChatFacade();
    return shared;
  });
  const [phase, setPhase] = useState<Phase>("starting");
  useEffect(() => {
    let live = true;
    void enter(facade, room).then((p) => live && setPhase(p));
    return () => {
      live = false;
    };
  }, [facade, room]);
  if (phase === "signed-out") return <SignInToChat room={room} />;
  if (phase === "starting") return <p class="watch__chat-note">Connecting to the chat…</p>;
  return (
    <FacadeContext.Provider value={facade}>
      <Room room={room} />
    </FacadeContext.Provider>
  );
}
