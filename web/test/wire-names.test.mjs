// The string unions of web/src/engine-module.d.ts against tests/vectors/wire_names.json, which
// the C++ tests check against core's name tables: a name added on one side only fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../..', import.meta.url));
const declarations = `${root}web/src/engine-module.d.ts`;
const names = JSON.parse(readFileSync(`${root}tests/vectors/wire_names.json`, 'utf8'));

// Every `export type X = 'a' | 'b'` of the declarations, as X -> ['a', 'b'], in source order.
function stringUnions() {
  const source = ts.createSourceFile(declarations, readFileSync(declarations, 'utf8'), ts.ScriptTarget.Latest);
  const unions = new Map();
  for (const statement of source.statements) {
    if (!ts.isTypeAliasDeclaration(statement) || !ts.isUnionTypeNode(statement.type)) continue;
    const members = statement.type.types.map((member) =>
      ts.isLiteralTypeNode(member) && ts.isStringLiteral(member.literal) ? member.literal.text : null);
    if (members.every((member) => member !== null)) unions.set(statement.name.text, members);
  }
  return unions;
}

test('each string union of the module\'s declarations is core\'s table, in core\'s order', () => {
  const unions = stringUnions();
  const expected = {
    ErrorCode: names.errorCodes,
    Channel: names.channels,
    LandingOutcome: names.landingOutcomes,
    SendKind: names.sendKinds,
    TrackingHold: names.trackingHolds,
  };
  for (const [type, list] of Object.entries(expected)) {
    assert.deepEqual(unions.get(type), list, `${type} in engine-module.d.ts`);
  }
  assert.deepEqual([...unions.keys()].sort(), Object.keys(expected).sort(), 'every union is checked');
});
