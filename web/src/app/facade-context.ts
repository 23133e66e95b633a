/** Hands the facade to views (Preact context) and lets mediator hooks observe notifications. */
import { createContext } from "preact";
import { useContext, useEffect, useRef } from "preact/hooks";
import type { Facade, Observer } from "./facade";
import type { NotificationName } from "./notifications";

export const FacadeContext = createContext<Facade | null>(null);

export function useFacade(): Facade {
  const facade = useContext(FacadeContext);
  if (!facade) throw new Error("useFacade() outside <FacadeContext.Provider>");
  return facade;
}

/** Observe a notification for the component's lifetime; the latest observer is always called. */
export function useNotification<K extends NotificationName>(name: K, observer: Observer<K>): void {
  const facade = useFacade();
  const latest = useRef(observer);
  latest.current = observer;
  useEffect(() => facade.subscribe(name, (body) => latest.current(body)), [facade, name]);
}
