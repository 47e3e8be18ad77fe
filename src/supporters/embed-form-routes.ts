// /api/settings/subscribe-form: the subscribe form to paste into the organisation's website.
import { defineRoute, type RouteSpec } from '../http/api-routes.js';
import { type EmbedForm, EmbedFormQuery, EmbedFormSnippet } from './embed-form.js';

export function embedFormRoutes(embedForm: EmbedForm): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/settings/subscribe-form',
      tag: 'settings',
      role: 'admin',
      summary: "The subscribe form for the organisation's website, in one language, offering the topics named",
      query: EmbedFormQuery,
      response: EmbedFormSnippet,
      handler: ({ query }) => embedForm.snippet(query),
    }),
  ];
}
