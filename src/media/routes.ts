// /api/media: the media library. An upload is decoded, resized and stored once; the list says where
// each image is used; an image still shown by a bulletin or as the logo is not deleted.
import { actorOf, type AuditRecorder } from '../audit/audit-log.js';
import { AppError } from '../errors.js';
import { defineRoute, idParams, type RouteSpec } from '../http/api-routes.js';
import { authorOf } from '../library/schemas.js';
import { ImageRefused, processImage } from './image-processing.js';
import type { MediaStore } from './media-store.js';
import { MediaItem, MediaList, MediaQuery } from './schemas.js';
import { readUpload, UPLOAD_FIELD } from './upload.js';

export function mediaRoutes(media: MediaStore, audit: AuditRecorder): RouteSpec[] {
  const tag = 'media';
  return [
    defineRoute({
      method: 'post',
      path: '/media',
      tag,
      role: 'writer',
      summary:
        `Upload an image (multipart/form-data, its one field \`${UPLOAD_FIELD}\`, at most 10 MB): ` +
        'its type read from its bytes, stored as JPEG, PNG or GIF at its width and twice that. ' +
        'Answers 201 with a new image, 200 with the one already stored when the same image comes again',
      query: MediaQuery,
      requestContentType: 'multipart/form-data',
      formFiles: { [UPLOAD_FIELD]: 'The image; its type is read from its bytes, not from its name or Content-Type' },
      response: MediaItem,
      status: 201,
      errors: {
        413: 'The file is larger than 10 MB, or its image has more pixels than Pregón decodes',
        415: 'The body is not multipart/form-data',
      },
      handler: async ({ query, req, res, auth }) => {
        const upload = await readUpload(req);
        const image = await processImage(upload.bytes, { width: query.width }).catch((err: unknown) => {
          if (!(err instanceof ImageRefused)) throw err;
          const issues = [{ path: UPLOAD_FIELD, message: err.message }];
          throw err.status === 413
            ? new AppError('payload_too_large', `${UPLOAD_FIELD}: ${err.message}`, issues)
            : AppError.invalid(issues);
        });
        const { item, created } = await media.add(image, upload.filename, authorOf(auth));
        if (!created) {
          res.status(200).json(item);
          return undefined;
        }
        await audit.record({
          actor: actorOf(auth),
          action: 'media_uploaded',
          target: { type: 'media', id: item.id },
          details: { name: item.name, type: item.type, bytes: item.bytes + item.bytes2x },
        });
        return item;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/media',
      tag,
      role: 'writer',
      summary: 'The media library, newest first, each image with the bulletins that show it',
      response: MediaList,
      handler: async () => ({ items: await media.list() }),
    }),
    defineRoute({
      method: 'delete',
      path: '/media/:id',
      tag,
      role: 'editor',
      summary: 'Delete an image and its files; refused while a bulletin (sent or not) or the logo shows it',
      params: idParams,
      status: 204,
      errors: { 404: 'No image with this id', 409: 'A bulletin or the logo shows the image; the message names which' },
      handler: async ({ params, auth }) => {
        const item = await media.delete(params.id);
        await audit.record({
          actor: actorOf(auth),
          action: 'media_deleted',
          target: { type: 'media', id: item.id },
          details: { name: item.name },
        });
      },
    }),
  ];
}
