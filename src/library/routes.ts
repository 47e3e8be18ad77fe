// /api/blocks and /api/templates: blocks and whole bulletins saved by name, to be copied into
// bulletins (the staff app copies them; nothing here touches a bulletin).
import { z } from 'zod';
import type { Block, BulletinDocument } from '../bulletins/document.js';
import { defineRoute, idParams, type RouteSpec } from '../http/api-routes.js';
import type { LibraryItem, LibraryStore } from './library-store.js';
import {
  authorOf,
  LibraryBlock,
  LibraryBlockChange,
  LibraryBlockInput,
  Template,
  TemplateChange,
  TemplateInput,
  TemplateSummary,
} from './schemas.js';

const libraryBlock = ({ content, ...item }: LibraryItem<Block>): LibraryBlock => ({ ...item, block: content });
const template = ({ content, ...item }: LibraryItem<BulletinDocument>): Template => ({ ...item, document: content });
const templateSummary = ({ content, ...item }: LibraryItem<BulletinDocument>): TemplateSummary => ({
  ...item,
  title: content.title,
  languages: content.languages,
  blocks: content.blocks.length,
});

export function libraryRoutes(library: LibraryStore): RouteSpec[] {
  return [...blockRoutes(library), ...templateRoutes(library)];
}

function blockRoutes(library: LibraryStore): RouteSpec[] {
  const tag = 'library';
  return [
    defineRoute({
      method: 'get',
      path: '/blocks',
      tag,
      role: 'writer',
      summary: 'List the blocks saved in the library, by name',
      response: z.object({ data: z.array(LibraryBlock) }),
      handler: async () => ({ data: (await library.list<Block>('block')).map(libraryBlock) }),
    }),
    defineRoute({
      method: 'post',
      path: '/blocks',
      tag,
      role: 'writer',
      summary: 'Save a block to the library under a name',
      status: 201,
      body: LibraryBlockInput,
      response: LibraryBlock,
      handler: async ({ body, auth }) =>
        libraryBlock(await library.create('block', body.name, body.block, authorOf(auth))),
    }),
    defineRoute({
      method: 'get',
      path: '/blocks/:id',
      tag,
      role: 'writer',
      summary: 'Get a library block',
      params: idParams,
      response: LibraryBlock,
      handler: async ({ params }) => libraryBlock(await library.get<Block>('block', params.id)),
    }),
    defineRoute({
      method: 'patch',
      path: '/blocks/:id',
      tag,
      role: 'writer',
      summary: 'Rename a library block or replace its block; bulletins it was inserted in keep their copy',
      params: idParams,
      body: LibraryBlockChange,
      response: LibraryBlock,
      handler: async ({ params, body }) =>
        libraryBlock(await library.update('block', params.id, { name: body.name, content: body.block })),
    }),
    defineRoute({
      method: 'delete',
      path: '/blocks/:id',
      tag,
      role: 'editor',
      summary: 'Delete a library block; bulletins it was inserted in keep their copy',
      status: 204,
      params: idParams,
      handler: ({ params }) => library.delete('block', params.id),
    }),
  ];
}

function templateRoutes(library: LibraryStore): RouteSpec[] {
  const tag = 'library';
  return [
    defineRoute({
      method: 'get',
      path: '/templates',
      tag,
      role: 'writer',
      summary: 'List the bulletin templates, by name',
      response: z.object({ data: z.array(TemplateSummary) }),
      handler: async () => ({ data: (await library.list<BulletinDocument>('template')).map(templateSummary) }),
    }),
    defineRoute({
      method: 'post',
      path: '/templates',
      tag,
      role: 'writer',
      summary: 'Save a bulletin document as a template under a name',
      status: 201,
      body: TemplateInput,
      response: Template,
      handler: async ({ body, auth }) =>
        template(await library.create('template', body.name, body.document, authorOf(auth))),
    }),
    defineRoute({
      method: 'get',
      path: '/templates/:id',
      tag,
      role: 'writer',
      summary: 'Get a template and its document, to start a bulletin from (POST /api/bulletins)',
      params: idParams,
      response: Template,
      handler: async ({ params }) => template(await library.get<BulletinDocument>('template', params.id)),
    }),
    defineRoute({
      method: 'patch',
      path: '/templates/:id',
      tag,
      role: 'writer',
      summary: 'Rename a template or replace its document; bulletins started from it keep their copy',
      params: idParams,
      body: TemplateChange,
      response: Template,
      handler: async ({ params, body }) =>
        template(await library.update('template', params.id, { name: body.name, content: body.document })),
    }),
    defineRoute({
      method: 'delete',
      path: '/templates/:id',
      tag,
      role: 'editor',
      summary: 'Delete a template; bulletins started from it keep their copy',
      status: 204,
      params: idParams,
      handler: ({ params }) => library.delete('template', params.id),
    }),
  ];
}
