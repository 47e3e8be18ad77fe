// A row of radio buttons that looks like a segmented switch: the preview's language, width and look.
import { useId, type ReactNode } from 'react';

/** A row of radio buttons that looks like a segmented switch. */
export function Toggle<T extends string>({
  label,
  value,
  onChange,
  options,
}: {
  label: string;
  value: T;
  onChange(value: T): void;
  options: [T, ReactNode][];
}) {
  const name = useId();
  return (
    <fieldset className="toggle">
      <legend>{label}</legend>
      {options.map(([option, text]) => (
        <label key={option} className={option === value ? 'is-checked' : undefined}>
          <input type="radio" name={name} value={option} checked={option === value} onChange={() => onChange(option)} />
          {text}
        </label>
      ))}
    </fieldset>
  );
}
