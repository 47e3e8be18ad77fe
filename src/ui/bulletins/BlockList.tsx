// The bulletin's blocks in order: reordered by dragging their handle, by the keyboard (Space on the
// handle, then the arrow keys) or with Move up / Move down; each can be collapsed, copied, saved to
// the library or removed.
import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type Announcements,
  type UniqueIdentifier,
} from '@dnd-kit/core';
import {
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useId } from 'react';
import { AudienceBadge, BlockAudience } from './BlockAudience';
import { BlockFields } from './BlockFields';
import { BLOCK_TYPES, blockLabel, blockSummary, type Block, type BlockType } from './model';

export interface BlockActions {
  onChange(index: number, block: Block, field: string): void;
  onMove(from: number, to: number): void;
  onDuplicate(index: number): void;
  onRemove(index: number): void;
  onToggle(key: string): void;
  onSaveToLibrary(index: number): void;
}

export function BlockList({
  blocks,
  keys,
  languages,
  collapsed,
  origins,
  actions,
}: {
  blocks: Block[];
  keys: string[];
  languages: string[];
  collapsed: ReadonlySet<string>;
  /** Where blocks inserted from the library came from, by key (src/ui/library/model.ts originNote). */
  origins: ReadonlyMap<string, string>;
  actions: BlockActions;
}) {
  const sensors = useSensors(
    // A few pixels of movement before a drag starts, so a click on the handle stays a click.
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const position = (id: UniqueIdentifier) => keys.indexOf(String(id)) + 1;
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up block ${position(active.id)} of ${keys.length}.`,
    onDragOver: ({ active, over }) =>
      over ? `Block ${position(active.id)} is over position ${position(over.id)}.` : undefined,
    onDragEnd: ({ active, over }) =>
      over ? `Block ${position(active.id)} dropped at position ${position(over.id)}.` : 'Block dropped where it was.',
    onDragCancel: ({ active }) => `Moving cancelled; block ${position(active.id)} stays where it was.`,
  };

  if (blocks.length === 0)
    return <p className="blocks-empty">No blocks yet. Add the first one below: an announcement is the usual start.</p>;

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      accessibility={{
        announcements,
        screenReaderInstructions: {
          draggable:
            'Press Space or Enter to pick the block up, the up and down arrows to move it, ' +
            'Space or Enter to drop it, Escape to cancel.',
        },
      }}
      onDragEnd={({ active, over }) => {
        if (over && active.id !== over.id)
          actions.onMove(keys.indexOf(String(active.id)), keys.indexOf(String(over.id)));
      }}
    >
      <SortableContext items={keys} strategy={verticalListSortingStrategy}>
        <ol className="blocks">
          {blocks.map((block, index) => (
            <SortableBlock
              key={keys[index]}
              id={keys[index]!}
              block={block}
              index={index}
              count={blocks.length}
              languages={languages}
              collapsed={collapsed.has(keys[index]!)}
              origin={origins.get(keys[index]!)}
              actions={actions}
            />
          ))}
        </ol>
      </SortableContext>
    </DndContext>
  );
}

function SortableBlock({
  id,
  block,
  index,
  count,
  languages,
  collapsed,
  origin,
  actions,
}: {
  id: string;
  block: Block;
  index: number;
  count: number;
  languages: string[];
  collapsed: boolean;
  origin: string | undefined;
  actions: BlockActions;
}) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id,
  });
  const headingId = useId();
  const bodyId = useId();
  const summary = blockSummary(block, languages[0]!);
  const number = index + 1;
  // aria-disabled rather than disabled: the button keeps focus when its block reaches the end.
  const move = (to: number) => () => {
    if (to >= 0 && to < count) actions.onMove(index, to);
  };
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={`block-card${isDragging ? ' is-dragging' : ''}`}
    >
      <section id={`block-${index}`} tabIndex={-1} aria-labelledby={headingId} className={`block block-${block.type}`}>
        <header className="block-header">
          <button
            type="button"
            className="drag-handle button-quiet"
            ref={setActivatorNodeRef}
            {...attributes}
            {...listeners}
            aria-label={`Reorder block ${number}`}
            title="Drag to reorder (or Space, then the arrow keys)"
          >
            <span aria-hidden="true">⠿</span>
          </button>
          <h3 id={headingId}>
            Block {number}: {blockLabel(block.type)}
          </h3>
          {/* Open, the block shows its texts; closed, a line of them tells it from the others. */}
          {collapsed && summary && <span className="block-summary">{summary}</span>}
          <AudienceBadge audience={block.audience} />
          <div className="block-actions">
            <button
              type="button"
              className="button-quiet button-small"
              aria-disabled={index === 0}
              onClick={move(index - 1)}
            >
              <span aria-hidden="true">↑</span> Move up
            </button>
            <button
              type="button"
              className="button-quiet button-small"
              aria-disabled={index === count - 1}
              onClick={move(index + 1)}
            >
              <span aria-hidden="true">↓</span> Move down
            </button>
            <button type="button" className="button-quiet button-small" onClick={() => actions.onDuplicate(index)}>
              Duplicate
            </button>
            <button
              type="button"
              className="button-quiet button-small"
              aria-expanded={!collapsed}
              aria-controls={bodyId}
              onClick={() => actions.onToggle(id)}
            >
              {collapsed ? 'Expand' : 'Collapse'}
            </button>
            <button type="button" className="button-quiet button-small" onClick={() => actions.onSaveToLibrary(index)}>
              Save to library
            </button>
            <button
              type="button"
              className="button-quiet button-small button-danger"
              onClick={() => actions.onRemove(index)}
            >
              Remove
            </button>
          </div>
        </header>
        {origin && <p className="block-origin">{origin}</p>}
        <div className="block-body" id={bodyId} hidden={collapsed}>
          {!collapsed && (
            <>
              <BlockFields
                block={block}
                index={index}
                languages={languages}
                onChange={(next, field) => actions.onChange(index, next, field)}
              />
              <BlockAudience
                block={block}
                index={index}
                onChange={(next) => actions.onChange(index, next, `block-${index}-audience`)}
              />
            </>
          )}
        </div>
      </section>
    </li>
  );
}

/** The block types, each a button that adds one at the end. */
export function Palette({ onAdd, onLibrary }: { onAdd(type: BlockType): void; onLibrary(): void }) {
  const headingId = useId();
  return (
    <section className="palette" aria-labelledby={headingId}>
      <h2 id={headingId}>Add a block</h2>
      <div className="palette-buttons">
        {BLOCK_TYPES.map(({ type, label, description }) => (
          <button
            key={type}
            type="button"
            className={`palette-button palette-${type}`}
            aria-describedby={`palette-${type}-description`}
            onClick={() => onAdd(type)}
          >
            {/* "New Image block": not to be confused with a block's own "Add image". */}
            <span className="palette-name">
              <span className="visually-hidden">New </span>
              {label}
              <span className="visually-hidden"> block</span>
            </span>
            <span className="palette-description" id={`palette-${type}-description`} aria-hidden="true">
              {description}
            </span>
          </button>
        ))}
        <button
          type="button"
          className="palette-button palette-library"
          aria-describedby="palette-library-description"
          onClick={onLibrary}
        >
          <span className="palette-name">From the library</span>
          <span className="palette-description" id="palette-library-description" aria-hidden="true">
            A block saved earlier, copied in
          </span>
        </button>
      </div>
    </section>
  );
}
