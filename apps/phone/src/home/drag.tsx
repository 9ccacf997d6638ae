// Drag-to-call with pointer events (mouse, pen and touch alike): press on an avatar and move
// it; a ghost follows the pointer; on release the element under the pointer says where it was
// dropped (`data-drop="circle" | "wheel" | "contact:<key>"`), outside the stage is "away". A
// press without movement is a click. The meaning of a drop is dragAction() in the model.
import {
  createContext,
  useCallback,
  useContext,
  useRef,
  useState,
  type PointerEvent as ReactPointerEvent,
  type ReactNode,
} from 'react';
import type { DragSource, DropTarget } from '../model/drag-actions.ts';

const THRESHOLD_PX = 6;

export interface DragApi {
  /** Spread on a draggable element: starts a drag or reports a click. */
  readonly handlers: (
    source: DragSource,
    label: string,
    onClick?: () => void,
  ) => {
    onPointerDown: (event: ReactPointerEvent<HTMLElement>) => void;
  };
  readonly dragging: DragSource | undefined;
}

const DragContext = createContext<DragApi | null>(null);

export function useDrag(): DragApi {
  const value = useContext(DragContext);
  if (!value) throw new Error('useDrag outside DragLayer');
  return value;
}

/** Where the pointer is, in drop-target terms. */
export function dropTargetAt(x: number, y: number): DropTarget {
  for (const element of document.elementsFromPoint(x, y)) {
    const drop = (element as HTMLElement).closest<HTMLElement>('[data-drop]')?.dataset.drop;
    if (!drop) continue;
    if (drop === 'circle') return { kind: 'circle' };
    if (drop === 'wheel') return { kind: 'wheel' };
    if (drop.startsWith('contact:') || drop.startsWith('number:')) return { kind: 'contact', key: drop };
  }
  return { kind: 'away' };
}

export function DragLayer({
  onDrop,
  children,
}: {
  readonly onDrop: (source: DragSource, target: DropTarget, point: { x: number; y: number }) => void;
  readonly children: ReactNode;
}) {
  const [ghost, setGhost] = useState<
    { source: DragSource; label: string; x: number; y: number } | undefined
  >();
  const dropRef = useRef(onDrop);
  dropRef.current = onDrop;

  const handlers = useCallback<DragApi['handlers']>(
    (source, label, onClick) => ({
      onPointerDown: (event) => {
        if (event.button !== 0) return;
        const startX = event.clientX;
        const startY = event.clientY;
        let moved = false;
        const move = (e: PointerEvent) => {
          if (!moved && Math.hypot(e.clientX - startX, e.clientY - startY) < THRESHOLD_PX) return;
          moved = true;
          e.preventDefault();
          setGhost({ source, label, x: e.clientX, y: e.clientY });
        };
        const up = (e: PointerEvent) => {
          window.removeEventListener('pointermove', move);
          window.removeEventListener('pointerup', up);
          window.removeEventListener('pointercancel', cancel);
          setGhost(undefined);
          if (!moved) {
            onClick?.();
            return;
          }
          dropRef.current(source, dropTargetAt(e.clientX, e.clientY), { x: e.clientX, y: e.clientY });
        };
        const cancel = () => {
          window.removeEventListener('pointermove', move);
          window.removeEventListener('pointerup', up);
          window.removeEventListener('pointercancel', cancel);
          setGhost(undefined);
        };
        window.addEventListener('pointermove', move);
        window.addEventListener('pointerup', up);
        window.addEventListener('pointercancel', cancel);
      },
    }),
    [],
  );

  return (
    <DragContext.Provider value={{ handlers, dragging: ghost?.source }}>
      <div className={ghost ? 'drag-root dragging' : 'drag-root'}>{children}</div>
      {ghost && (
        <div className="drag-ghost" style={{ left: ghost.x, top: ghost.y }} aria-hidden="true">
          {ghost.label}
        </div>
      )}
    </DragContext.Provider>
  );
}
