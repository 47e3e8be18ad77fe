// "New from template": the templates, each a button that starts a bulletin from it.
import { Dialog, ErrorNotice, formatNumber, languageName, Loading } from '../components';
import { useAction, useApi } from '../hooks';
import { BASE, Link } from '../router';
import type { TemplateSummary } from './model';
import { startFromTemplate } from './templates';

export function TemplatePicker({ open, onClose }: { open: boolean; onClose(): void }) {
  return (
    <Dialog open={open} title="New bulletin from a template" onClose={onClose}>
      {/* Rendered only while open: each opening lists the templates saved since. */}
      <Templates />
    </Dialog>
  );
}

function Templates() {
  const templates = useApi<{ data: TemplateSummary[] }>('/api/templates');
  const start = useAction(startFromTemplate);
  if (templates.error) return <ErrorNotice error={templates.error} title="The templates could not be loaded." />;
  if (!templates.data) return <Loading label="Loading the templates…" />;
  if (templates.data.data.length === 0)
    return (
      <p>
        No templates yet. Open a bulletin with its usual sections and choose “Save as template”; the{' '}
        <Link to={`${BASE}/library`}>Library</Link> lists them.
      </p>
    );
  return (
    <>
      <ErrorNotice error={start.error} title="The bulletin was not started." />
      <ul className="library-choices">
        {templates.data.data.map((template) => (
          <li key={template.id}>
            <div>
              <strong>{template.name}</strong>
              <div className="muted small">
                {formatNumber(template.blocks)} {template.blocks === 1 ? 'block' : 'blocks'} ·{' '}
                {template.languages.map(languageName).join(', ')}
              </div>
            </div>
            <button
              type="button"
              className="button-small button-primary"
              disabled={start.busy}
              onClick={() => void start.run(template.id)}
            >
              Start<span className="visually-hidden"> from “{template.name}”</span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
