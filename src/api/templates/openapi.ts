// OpenAPI entries of /v1/templates.
import { bearer, commonErrors, errorResponse, json, pathParam } from '../openapi-helpers';
import { createTemplateSchema, renderTemplateSchema, replaceTemplateSchema } from './schemas';

const nameParam = pathParam('name');
const notFound = errorResponse('No such template');
const invalidBody = errorResponse('Validation failed');

export const templatesOpenApi: Record<string, object> = {
  '/v1/templates': {
    post: {
      summary: 'Create a template; its variables are read from the sources, a syntax error is a 422 naming the part',
      security: bearer,
      requestBody: { required: true, content: json(createTemplateSchema) },
      responses: { '201': { description: 'Created' }, '422': invalidBody, ...commonErrors },
    },
    get: {
      summary: "The project's templates by name (without their bodies)",
      security: bearer,
      responses: { '200': { description: 'The templates' }, ...commonErrors },
    },
  },
  '/v1/templates/{name}': {
    get: {
      summary: 'A template with its sources and variables',
      security: bearer,
      parameters: [nameParam],
      responses: { '200': { description: 'The template' }, '404': notFound, ...commonErrors },
    },
    put: {
      summary: 'Replace a template (every part; absent html or text becomes empty)',
      security: bearer,
      parameters: [nameParam],
      requestBody: { required: true, content: json(replaceTemplateSchema) },
      responses: { '200': { description: 'Replaced' }, '404': notFound, '422': invalidBody, ...commonErrors },
    },
    delete: {
      summary: 'Delete a template',
      security: bearer,
      parameters: [nameParam],
      responses: { '200': { description: 'Deleted' }, '404': notFound, ...commonErrors },
    },
  },
  '/v1/templates/{name}/render': {
    post: {
      summary: 'Render a template with template_data, as a send would (preview)',
      security: bearer,
      parameters: [nameParam],
      requestBody: { required: true, content: json(renderTemplateSchema) },
      responses: {
        '200': { description: '{subject, html, text}' },
        '404': notFound,
        '422': errorResponse('A variable is missing, or the rendered subject has a line break'),
        ...commonErrors,
      },
    },
  },
};
