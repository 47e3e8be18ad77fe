// The fields of each block type. Every control's id is derived from the block's index and the
// field's path, so the server's issues and the pre-send findings can point at it.
import { useState, type ReactNode } from 'react';
import type { AddressValue } from '../../bulletins/document';
import { emptyText, fieldId, FIELD_LABELS, optionalText, type Block, type Localised } from './model';
import { languageName } from '../components';
import { ImageUpload } from '../media/ImageUpload';
import { FULL_WIDTH } from '../../media/shown-widths';
import { LocalisedInput, SharedOrPerLanguage, TextInput, type ValueControl } from './fields';

type Change = (block: Block, field: string) => void;
type Of<T extends Block['type']> = Extract<Block, { type: T }>;
type Link = { href: AddressValue; label: Localised };

export function BlockFields({
  block,
  index,
  languages,
  onChange,
}: {
  block: Block;
  index: number;
  languages: string[];
  onChange: Change;
}) {
  const id = (path: string) => fieldId(`blocks[${index}].${path}`);
  const props = { id, languages, onChange };
  switch (block.type) {
    case 'announcement':
      return <AnnouncementFields block={block} {...props} />;
    case 'statement':
      return <StatementFields block={block} {...props} />;
    case 'call_to_action':
      return <CallToActionFields block={block} {...props} />;
    case 'survey':
      return <SurveyFields block={block} {...props} />;
    case 'text':
      return (
        <LocalisedInput
          id={id('body')}
          label={FIELD_LABELS.body!}
          value={block.body}
          markdown
          onChange={(body, field) => onChange({ ...block, body }, field)}
        />
      );
    case 'image':
      return <ImageFields block={block} {...props} />;
    case 'divider':
      return <p className="muted">A line between the blocks above and below it.</p>;
  }
}

interface FieldsProps<B extends Block> {
  block: B;
  id(path: string): string;
  languages: string[];
  onChange: Change;
}

function AnnouncementFields({ block, id, languages, onChange }: FieldsProps<Of<'announcement'>>) {
  const update = (changes: Partial<Of<'announcement'>>, field: string) => onChange({ ...block, ...changes }, field);
  return (
    <>
      <LocalisedInput
        id={id('heading')}
        label={FIELD_LABELS.heading!}
        value={block.heading}
        onChange={(heading, f) => update({ heading }, f)}
      />
      <LocalisedInput
        id={id('body')}
        label={FIELD_LABELS.body!}
        value={block.body}
        markdown
        onChange={(body, f) => update({ body }, f)}
      />
      <OptionalPart
        name="image"
        present={block.image !== undefined}
        onAdd={() => update({ image: { src: '', alt: emptyText(languages) } }, '')}
        onRemove={() => update({ image: undefined }, '')}
      >
        {block.image && (
          <>
            <AddressInput
              id={id('image.src')}
              label={FIELD_LABELS['image.src']!}
              image
              value={block.image.src}
              onChange={(src, f) => update({ image: { ...block.image!, src } }, f)}
            />
            <AltInput
              id={id('image.alt')}
              value={block.image.alt}
              onChange={(alt, f) => update({ image: { ...block.image!, alt } }, f)}
            />
          </>
        )}
      </OptionalPart>
      <LinkPart
        name="link"
        id={id}
        link={block.link}
        languages={languages}
        onChange={(link, f) => update({ link }, f)}
      />
    </>
  );
}

function StatementFields({ block, id, languages, onChange }: FieldsProps<Of<'statement'>>) {
  const update = (changes: Partial<Of<'statement'>>, field: string) => onChange({ ...block, ...changes }, field);
  return (
    <>
      <LocalisedInput
        id={id('heading')}
        label={FIELD_LABELS.heading!}
        value={block.heading}
        hint="Optional"
        onChange={(heading, f) => update({ heading: optionalText(heading) }, f)}
      />
      <LocalisedInput
        id={id('quote')}
        label={FIELD_LABELS.quote!}
        value={block.quote}
        markdown
        onChange={(quote, f) => update({ quote }, f)}
      />
      <div className="grid-speaker">
        <TextInput
          id={id('speaker')}
          label={FIELD_LABELS.speaker!}
          value={block.speaker}
          onChange={(speaker, f) => update({ speaker }, f)}
        />
      </div>
      <LocalisedInput
        id={id('role')}
        label={FIELD_LABELS.role!}
        value={block.role}
        hint="Optional"
        onChange={(role, f) => update({ role: optionalText(role) }, f)}
      />
      <LinkPart
        name="link"
        id={id}
        link={block.link}
        languages={languages}
        onChange={(link, f) => update({ link }, f)}
      />
    </>
  );
}

function CallToActionFields({ block, id, languages, onChange }: FieldsProps<Of<'call_to_action'>>) {
  const update = (changes: Partial<Of<'call_to_action'>>, field: string) => onChange({ ...block, ...changes }, field);
  const goal = block.goal;
  return (
    <>
      <LocalisedInput
        id={id('heading')}
        label={FIELD_LABELS.heading!}
        value={block.heading}
        onChange={(heading, f) => update({ heading }, f)}
      />
      <LocalisedInput
        id={id('body')}
        label={FIELD_LABELS.body!}
        value={block.body}
        markdown
        onChange={(body, f) => update({ body }, f)}
      />
      <LinkPart
        name="button"
        id={id}
        link={block.button}
        languages={languages}
        required
        onChange={(button, f) => update({ button: button! }, f)}
      />
      <OptionalPart
        name="goal"
        present={goal !== undefined}
        onAdd={() => update({ goal: { target: 0 } }, '')}
        onRemove={() => update({ goal: undefined }, '')}
      >
        {goal && (
          <>
            <div className="grid-numbers">
              <TextInput
                id={id('goal.target')}
                label={FIELD_LABELS['goal.target']!}
                type="number"
                value={goal.target ? String(goal.target) : ''}
                onChange={(target, f) => update({ goal: { ...goal, target: Number(target) } }, f)}
              />
              <TextInput
                id={id('goal.current')}
                label={FIELD_LABELS['goal.current']!}
                type="number"
                hint="Optional"
                value={goal.current === undefined ? '' : String(goal.current)}
                onChange={(current, f) =>
                  update({ goal: { ...goal, current: current === '' ? undefined : Number(current) } }, f)
                }
              />
            </div>
            <LocalisedInput
              id={id('goal.unit')}
              label={FIELD_LABELS['goal.unit']!}
              value={goal.unit}
              hint="Optional, such as “signatures”"
              onChange={(unit, f) => update({ goal: { ...goal, unit: optionalText(unit) } }, f)}
            />
          </>
        )}
      </OptionalPart>
    </>
  );
}

function SurveyFields({ block, id, languages, onChange }: FieldsProps<Of<'survey'>>) {
  const update = (changes: Partial<Of<'survey'>>, field: string) => onChange({ ...block, ...changes }, field);
  const items = block.items ?? [];
  const setItems = (next: Localised[], field: string) => update({ items: next.length ? next : undefined }, field);
  return (
    <>
      <LocalisedInput
        id={id('heading')}
        label={FIELD_LABELS.heading!}
        value={block.heading}
        onChange={(heading, f) => update({ heading }, f)}
      />
      <LocalisedInput
        id={id('body')}
        label={FIELD_LABELS.body!}
        value={block.body}
        markdown
        onChange={(body, f) => update({ body }, f)}
      />
      <fieldset className="part">
        <legend>Items</legend>
        {items.length === 0 && <p className="muted">A bulleted list under the body, if you need one.</p>}
        {items.map((item, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: plain strings known by their place; inputs are controlled
          <div className="list-item" key={i}>
            <LocalisedInput
              id={id(`items[${i}]`)}
              label={`Item ${i + 1}`}
              value={item}
              onChange={(text, f) => setItems(items.with(i, text), f)}
            />
            <button
              type="button"
              className="button-quiet button-small button-danger"
              onClick={() => setItems(items.toSpliced(i, 1), '')}
            >
              Remove item {i + 1}
            </button>
          </div>
        ))}
        <button type="button" className="button-small" onClick={() => setItems([...items, emptyText(languages)], '')}>
          Add item
        </button>
      </fieldset>
      <div className="grid-2-tight">
        <TextInput
          id={id('contact')}
          label={FIELD_LABELS.contact!}
          type="email"
          hint="Optional"
          value={block.contact ?? ''}
          onChange={(contact, f) => update({ contact: contact.trim() ? contact : undefined }, f)}
        />
        <SharedOrPerLanguage
          id={id('hashtags')}
          label={FIELD_LABELS.hashtags!}
          noun="hashtags"
          value={block.hashtags}
          empty={[]}
          isShared={(tags): tags is string[] => Array.isArray(tags)}
          shown={(tags) => tags.join(' ')}
          hint="Optional, separated by spaces, such as #TakeTheSurvey"
          onChange={(hashtags, f) =>
            update({ hashtags: Array.isArray(hashtags) && !hashtags.length ? undefined : hashtags }, f)
          }
          control={(props) => <HashtagsInput {...props} />}
        />
      </div>
      <LinkPart
        name="button"
        id={id}
        link={block.button}
        languages={languages}
        onChange={(button, f) => update({ button }, f)}
      />
    </>
  );
}

function ImageFields({ block, id, onChange }: FieldsProps<Of<'image'>>) {
  const update = (changes: Partial<Of<'image'>>, field: string) => onChange({ ...block, ...changes }, field);
  return (
    <>
      <AddressInput
        id={id('src')}
        label={FIELD_LABELS.src!}
        image
        value={block.src}
        onChange={(src, f) => update({ src }, f)}
      />
      <AltInput id={id('alt')} value={block.alt} onChange={(alt, f) => update({ alt }, f)} />
      <AddressInput
        id={id('href')}
        label={FIELD_LABELS.href!}
        value={block.href}
        hint="Optional: where the image leads"
        onChange={(href, f) => update({ href: typeof href === 'string' && !href.trim() ? undefined : href }, f)}
      />
    </>
  );
}

function UrlInput(props: ValueControl<string>) {
  return <TextInput type="url" placeholder="https://" {...props} />;
}

/**
 * An https address (a link's, an image's), the same for every language or each language its own.
 * An image's takes the image itself too (uploaded, or chosen from the media library), in each
 * language's column when each has its own.
 */
function AddressInput({
  image = false,
  ...props
}: {
  id: string;
  label: string;
  image?: boolean;
  value: AddressValue | undefined;
  hint?: string;
  onChange(value: AddressValue, field: string): void;
}) {
  return (
    <SharedOrPerLanguage
      {...props}
      noun={image ? 'image' : 'address'}
      empty=""
      isShared={(href): href is string => typeof href === 'string'}
      shown={(href) => href.trim()}
      control={(control) =>
        image ? (
          <ImageUpload
            name={control.lang ? `${props.label} (${languageName(control.lang)})` : props.label}
            address={control.value}
            width={FULL_WIDTH}
            onChosen={(item) => control.onChange(item.url, control.id)}
          >
            <UrlInput {...control} />
          </ImageUpload>
        ) : (
          <UrlInput {...control} />
        )
      }
    />
  );
}

function AltInput({
  id,
  value,
  onChange,
}: {
  id: string;
  value: Localised;
  onChange(value: Localised, field: string): void;
}) {
  return (
    <LocalisedInput
      id={id}
      label={FIELD_LABELS.alt!}
      value={value}
      hint="Required: what the image shows, for people who cannot see it"
      onChange={onChange}
    />
  );
}

/** A part a block may have or not (an image, a link, a goal): its fields, or a button to add it. */
function OptionalPart({
  name,
  present,
  onAdd,
  onRemove,
  children,
}: {
  name: string;
  present: boolean;
  onAdd(): void;
  onRemove(): void;
  children: ReactNode;
}) {
  if (!present) {
    return (
      <button type="button" className="button-small add-part" onClick={onAdd}>
        Add {name}
      </button>
    );
  }
  return (
    <fieldset className="part">
      <legend>{name[0]!.toUpperCase() + name.slice(1)}</legend>
      {children}
      <button type="button" className="button-quiet button-small button-danger" onClick={onRemove}>
        Remove {name}
      </button>
    </fieldset>
  );
}

/** A link or button: its https address and its text in each language. */
function LinkPart({
  name,
  id,
  link,
  languages,
  required = false,
  onChange,
}: {
  name: 'link' | 'button';
  id(path: string): string;
  link: Link | undefined;
  languages: string[];
  required?: boolean;
  onChange(link: Link | undefined, field: string): void;
}) {
  const fields = link && (
    <div className="grid-link">
      <AddressInput
        id={id(`${name}.href`)}
        label={FIELD_LABELS[`${name}.href`]!}
        value={link.href}
        onChange={(href, f) => onChange({ ...link, href }, f)}
      />
      <LocalisedInput
        id={id(`${name}.label`)}
        label={FIELD_LABELS[`${name}.label`]!}
        value={link.label}
        onChange={(label, f) => onChange({ ...link, label }, f)}
      />
    </div>
  );
  if (required) {
    return (
      <fieldset className="part">
        <legend>Button</legend>
        {fields}
      </fieldset>
    );
  }
  return (
    <OptionalPart
      name={name}
      present={link !== undefined}
      onAdd={() => onChange({ href: '', label: emptyText(languages) }, '')}
      onRemove={() => onChange(undefined, '')}
    >
      {fields}
    </OptionalPart>
  );
}

/** Hashtags as typed ("#a #b", "#" optional); the block keeps them as a list. */
function HashtagsInput({ value, onChange, ...props }: ValueControl<string[]>) {
  const joined = value.join(' ');
  const [raw, setRaw] = useState(joined);
  const [shown, setShown] = useState(joined);
  // Undo or a restored version changes the list from outside: show it.
  if (joined !== shown) {
    setShown(joined);
    if (parseHashtags(raw).join(' ') !== joined) setRaw(joined);
  }
  return (
    <TextInput
      {...props}
      value={raw}
      onChange={(text, f) => {
        setRaw(text);
        const tags = parseHashtags(text);
        setShown(tags.join(' '));
        onChange(tags, f);
      }}
    />
  );
}

const parseHashtags = (text: string) =>
  text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((tag) => (tag.startsWith('#') ? tag : `#${tag}`));
