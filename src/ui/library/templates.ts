// Starting a bulletin from a template: a new bulletin with a copy of the template's document.
import type { Bulletin } from '../../bulletins/schemas';
import { api } from '../api';
import { BASE, navigate } from '../router';
import type { Template } from './model';

/** Creates the bulletin from template `id` and opens it in the composer. */
export async function startFromTemplate(id: number): Promise<void> {
  const { document } = await api<Template>('GET', `/api/templates/${id}`);
  const bulletin = await api<Bulletin>('POST', '/api/bulletins', document);
  navigate(`${BASE}/bulletins/${bulletin.id}`);
}
