// Validates host.json, local.settings.json and every function.json against the Azure Functions JSON schemas in schemas/.
// function.json's schema declares draft-04 but relies on draft-07 behaviour, so every schema is compiled as draft-07.
import Ajv from 'ajv';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const load = (path) => JSON.parse(readFileSync(join(root, path), 'utf8'));
const compile = (path) => {
  const schema = load(path);
  delete schema.$schema;
  delete schema.id;
  return new Ajv({ strict: false, allErrors: true }).compile(schema);
};

const checks = [
  ['host.json', 'schemas/host.schema.json'],
  ['local.settings.json', 'schemas/local.settings.schema.json'],
  ...readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'function.json')))
    .map((d) => [`${d.name}/function.json`, 'schemas/function.schema.json']),
];

let failed = 0;
for (const [file, schema] of checks) {
  const validate = compile(schema);
  if (validate(load(file))) {
    console.log(`ok    ${file}`);
  } else {
    failed++;
    console.log(`FAIL  ${file}`);
    for (const e of validate.errors) console.log(`      ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  }
}
process.exit(failed ? 1 : 0);
