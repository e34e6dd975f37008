// Every answer of the query API that the collector's HTTP tests saw (written by
// tests/support/query_client.cpp under build/native/tests/api-answers/), checked against
// collector/openapi.yaml: its route and status are described, its body has the schema, every
// query parameter it was asked with is declared, and every described route was seen answering 200.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import YAML from 'yaml';

const root = fileURLToPath(new URL('../..', import.meta.url));
const answersFolder = `${root}build/native/tests/api-answers`;
const spec = YAML.parse(readFileSync(`${root}collector/openapi.yaml`, 'utf8'));

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema({ $id: 'openapi', components: spec.components });
const schemaOf = (schema) => ajv.compile(rewriteRefs(schema));

// '#/components/...' inside the spec's paths refers into the schema registered as 'openapi'.
function rewriteRefs(value) {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) =>
    [key, key === '$ref' && inner.startsWith('#/') ? `openapi${inner}` : rewriteRefs(inner)]));
}

function resolve(node) {
  while (node?.$ref) node = node.$ref.slice(2).split('/').reduce((at, key) => at[key], spec);
  return node;
}

const routes = Object.entries(spec.paths).flatMap(([template, operations]) =>
  Object.entries(operations).map(([method, operation]) => ({
    template,
    method: method.toUpperCase(),
    operation,
    pattern: new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`),
  })));

function answers() {
  assert.ok(existsSync(answersFolder),
    `${answersFolder} is missing: run the collector's tests first (ctest --preset native)`);
  return readdirSync(answersFolder).filter((name) => name.endsWith('.json')).flatMap((name) =>
    JSON.parse(readFileSync(`${answersFolder}/${name}`, 'utf8')).map((answer) => ({ ...answer, file: name })));
}

test('every answer the HTTP tests saw is described by collector/openapi.yaml', () => {
  const seen = answers();
  assert.ok(seen.length > 100, `only ${seen.length} answers recorded`);
  const validators = new Map();
  for (const answer of seen) {
    const where = `${answer.method} ${answer.path}?${answer.query} -> ${answer.status} (${answer.file})`;
    const route = routes.find((r) => r.method === answer.method && r.pattern.test(answer.path));
    if (!route) {
      // Answers outside the API's routes are refusals of paths that are no route.
      assert.ok([404, 405].includes(answer.status), `${where}: no route in openapi.yaml`);
      continue;
    }
    const declared = new Set((route.operation.parameters ?? []).map(resolve).filter((p) => p.in === 'query')
      .map((p) => p.name));
    if (answer.status === 200) {
      for (const pair of answer.query ? answer.query.split('&') : []) {
        const name = decodeURIComponent(pair.split('=')[0]);
        assert.ok(declared.has(name), `${where}: query parameter '${name}' is not declared`);
      }
    }
    const response = route.operation.responses[String(answer.status)] ?? route.operation.responses.default;
    assert.ok(response, `${where}: status not described`);
    const mediaType = answer.contentType.split(';')[0].trim();
    const content = resolve(response).content?.[mediaType];
    assert.ok(content, `${where}: ${mediaType} not described`);
    const key = `${route.template} ${answer.method} ${answer.status} ${mediaType}`;
    if (!validators.has(key)) validators.set(key, schemaOf(content.schema));
    const validate = validators.get(key);
    assert.ok(validate(answer.body), `${where}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(answer.body).slice(0, 400)}`);
  }
});

test('every route of collector/openapi.yaml was seen answering 200', () => {
  const seen = answers();
  for (const route of routes) {
    assert.ok(seen.some((a) => a.method === route.method && a.status === 200 && route.pattern.test(a.path)),
      `${route.method} ${route.template} was never answered 200 in the tests`);
  }
});
