// A date and time in the browser's zone, for scheduling a send: <input type="datetime-local"> reads
// and writes local wall-clock time, the API wants an instant with its zone.
import { Field } from '../components';

const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** "2026-12-01T15:00" (local) → "2026-12-01T14:00:00.000Z"; undefined while the input is incomplete. */
export function localToIso(value: string): string | undefined {
  const date = value ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}

/** An instant as the input shows it, to the minute, in the browser's zone. */
export function isoToLocal(iso: string): string {
  const date = new Date(iso);
  date.setMinutes(date.getMinutes() - date.getTimezoneOffset());
  return date.toISOString().slice(0, 16);
}

export function ScheduleField({
  label,
  value,
  onChange,
  error,
}: {
  label: string;
  value: string;
  onChange(value: string): void;
  error?: string | undefined;
}) {
  return (
    <Field label={label} hint={`Your time zone: ${ZONE}`} error={error}>
      <input
        type="datetime-local"
        value={value}
        min={isoToLocal(new Date().toISOString())}
        onChange={(e) => onChange(e.target.value)}
        required
      />
    </Field>
  );
}
