/**
 * The facade (PureMVC's ApplicationFacade, modernised): the one place that wires commands to
 * notifications. Views and proxies `send()` typed notifications; observers (mediator hooks) hear
 * them; the mapped command, a small async function, runs the use case against the model.
 */

import { roomChunk } from "../commands/rooms/room-chunk";
import { pageVisibility } from "../commands/session/page-visibility";
import { startup } from "../commands/session/startup";
import { createModel, type Model, type ModelDeps } from "../model";
import { commandErrorMessage } from "./command-error";
import { CONTACT_USE_CASES, lazyCommand, lazyCommands } from "./lazy-command";
import type { NotificationName, Notifications } from "./notifications";

export type Body<K extends NotificationName> = Notifications[K] extends undefined ? [] : [Notifications[K]];
export type Observer<K extends NotificationName> = (body: Notifications[K]) => void;
export interface CommandContext {
  model: Model;
  facade: Facade;
}
export type Command<K extends NotificationName> = (body: Notifications[K], ctx: CommandContext) => Promise<void> | void;

type AnyObserver = (body: unknown) => void;
type AnyCommand = (body: unknown, ctx: CommandContext) => Promise<void> | void;

export class Facade {
  readonly model: Model;
  readonly #observers = new Map<NotificationName, Set<AnyObserver>>();
  readonly #commands = new Map<NotificationName, AnyCommand>();
  readonly #running = new Set<Promise<void>>();

  constructor(deps: Omit<ModelDeps, "notify">) {
    this.model = createModel({ ...deps, notify: (name, body) => void this.send(name, ...([body] as Body<typeof name>)) });
  }

  registerCommand<K extends NotificationName>(name: K, command: Command<K>): void {
    this.#commands.set(name, command as AnyCommand);
  }

  /** Observe a notification; returns the unsubscribe function (for effect cleanups). */
  subscribe<K extends NotificationName>(name: K, observer: Observer<K>): () => void {
    const set = this.#observers.get(name) ?? new Set<AnyObserver>();
    this.#observers.set(name, set);
    set.add(observer as AnyObserver);
    return () => set.delete(observer as AnyObserver);
  }

  /** Notify observers, then run the mapped command. Resolves when the command is done; never rejects. */
  async send<K extends NotificationName>(name: K, ...body: Body<K>): Promise<void> {
    const value = body[0] as unknown;
    for (const observer of [...(this.#observers.get(name) ?? [])]) {
      try {
        observer(value);
      } catch (err) {
        console.error(`observer of ${name} failed`, err);
      }
    }
    const command = this.#commands.get(name);
    if (!command) return;
    const run = this.#run(name, command, value);
    this.#running.add(run);
    await run;
    this.#running.delete(run);
  }

  async #run(name: NotificationName, command: AnyCommand, value: unknown): Promise<void> {
    try {
      await command(value, { model: this.model, facade: this });
    } catch (err) {
      const message = commandErrorMessage(err);
      if (name !== "COMMAND_FAILED") await this.send("COMMAND_FAILED", { command: name, message });
    }
  }

  /** Resolves once no command is running (including those started by notifications meanwhile). */
  async idle(): Promise<void> {
    while (this.#running.size) await Promise.allSettled([...this.#running]);
  }
}

/** The rich-message use cases, fetched when one first runs (rich-commands.ts). */
const richCommands = () => import("../commands/chat/rich-commands");
/** The room use cases, in a chunk of their own (commands/rooms/room-commands.ts). */
const ROOM_COMMANDS = [
  "JOIN_ROOM",
  "LEAVE_ROOM",
  "MUTE_ROOM",
  "PING_ROOMS",
  "RECEIVE_ROOM_PRESENCE",
  "CREATE_ROOM",
  "RENAME_ROOM",
  "SET_SUBJECT",
  "CHANGE_NICK",
  "KICK_OCCUPANT",
  "BAN_OCCUPANT",
  "MODERATE_MESSAGE",
  "INVITE_CONTACT",
  "RECEIVE_INVITATION",
  "ACCEPT_INVITATION",
  "DECLINE_INVITATION",
  "RECEIVE_BOOKMARKS",
] as const;

/** The use cases of the command table (commands/command-table.ts checks it has exactly these). */
export const TABLE_USE_CASES = [
  "CATCH_UP_ROOM",
  "LOGIN",
  "ONLINE",
  "LOGOUT",
  "SEND_MESSAGE",
  "FLUSH_OUTBOX",
  "SEND_CHAT_STATE",
  "RECEIVE_MESSAGE",
  "RECEIVE_PRESENCE",
  "RECEIVE_ROSTER_PUSH",
  "SET_PRESENCE",
  "OPEN_CHAT",
  "CLOSE_CHAT",
  "LOAD_OLDER",
  "KEEP_DRAFT",
  "RECONNECT",
  "MESSAGES_LOST",
  "MESSAGES_ACKED",
  "ATTACH_FILE",
  "DISCOVER_UPLOAD",
  "CANCEL_UPLOAD",
  "RETRY_UPLOAD",
  "FILE_DETAILS",
  "RECEIVE_BLOCK_PUSH",
  "SET_CLIENT_STATE",
] as const;
export type TableUseCase = (typeof TABLE_USE_CASES)[number];
const commandTable = lazyCommands(() => import("../commands/command-table").then((m) => m.commandTable));

/** Builds the facade with the whole command table. `deps` lets tests hand in a fake XMPP entity. */
export function createFacade(deps: Omit<ModelDeps, "notify">): Facade {
  const facade = new Facade(deps);
  facade.registerCommand("STARTUP", startup);
  facade.registerCommand("PAGE_VISIBILITY", pageVisibility);
  facade.registerCommand("CORRECT_MESSAGE", async (b, ctx) => (await richCommands()).correctMessage(b, ctx));
  facade.registerCommand("RETRACT_MESSAGE", async (b, ctx) => (await richCommands()).retractMessage(b, ctx));
  facade.registerCommand("REACT_MESSAGE", async (b, ctx) => (await richCommands()).reactMessage(b, ctx));
  facade.registerCommand("MARK_DISPLAYED", async (b, ctx) => (await richCommands()).markDisplayed(b, ctx));
  // Every other use case runs from one chunk fetched after the first paint (commands/command-table.ts).
  for (const name of TABLE_USE_CASES) facade.registerCommand(name, commandTable.command(name) as Command<TableUseCase>);
  // Contact use cases: their code comes with the signed-in panes (lazy-command.ts).
  for (const name of CONTACT_USE_CASES) facade.registerCommand(name, lazyCommand(name));
  for (const name of ROOM_COMMANDS)
    facade.registerCommand(name, async (body, ctx) => {
      const command = (await roomChunk()).roomCommands[name] as AnyCommand;
      await command(body, ctx);
    });
  return facade;
}
