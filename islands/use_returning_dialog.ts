import { useRef } from "preact/hooks";
import type { RefObject } from "preact";

/** A modal `<dialog>` that gives focus back to the control that opened it. */
export interface ReturningDialog {
  ref: RefObject<HTMLDialogElement>;
  /** Shows the dialog modally; `opener` gets focus back when it closes. */
  open(opener: HTMLElement): void;
  close(): void;
  /** The dialog's `onClose` handler. */
  onClose(): void;
}

/**
 * Keyboard users land where they were when a dialog closes (by button,
 * Escape or form submit): the opener is remembered and refocused.
 *
 * @param onClosed runs first when the dialog closes (e.g. clears the selection)
 * @example
 * ```tsx
 * import { useSignal } from "@preact/signals";
 * import { useReturningDialog } from "./use_returning_dialog.ts";
 * function Inspector() {
 *   const selected = useSignal<string | null>(null);
 *   const dialog = useReturningDialog(() => (selected.value = null));
 *   return (
 *     <>
 *       <button onClick={(e) => dialog.open(e.currentTarget)}>Inspect</button>
 *       <dialog ref={dialog.ref} onClose={dialog.onClose}>{selected}</dialog>
 *     </>
 *   );
 * }
 * ```
 */
export function useReturningDialog(onClosed: () => void): ReturningDialog {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  return {
    ref,
    open(button) {
      opener.current = button;
      ref.current?.showModal?.();
    },
    close() {
      ref.current?.close?.();
    },
    onClose() {
      onClosed();
      opener.current?.focus();
    },
  };
}
