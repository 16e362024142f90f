import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';

/**
 * JSON Schema of a Grafana dashboard (schemaVersion 42), generated from the `Dashboard` type of
 * `@grafana/schema` 13.2.3 (`dist/types/raw/dashboard/x/types.gen.d.ts`) with ts-json-schema-generator 2.4
 * and committed. Objects allow additional properties, as Grafana does for datasource-specific fields
 * (Prometheus annotation `expr`, variable `definition`...); known properties are type-checked.
 */
export const DASHBOARD_SCHEMA_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema', 'grafana-dashboard.schema.json');

/** Where the `Dashboard` TypeScript type lives inside @grafana/schema. */
export function grafanaDashboardTypesPath(): string {
  const pkg = createRequire(import.meta.url).resolve('@grafana/schema/package.json');
  return join(dirname(pkg), 'dist', 'types', 'raw', 'dashboard', 'x', 'types.gen.d.ts');
}

/** Generates the schema (about 10 s: it builds a TypeScript program). */
export async function generateDashboardSchema(): Promise<object> {
  const { createGenerator } = await import('ts-json-schema-generator');
  return createGenerator({
    path: grafanaDashboardTypesPath(),
    type: 'Dashboard',
    skipTypeCheck: true,
    additionalProperties: true,
  }).createSchema('Dashboard');
}

let validator: ValidateFunction | undefined;

/**
 * Validates a dashboard JSON against the committed schema; returns one line per error (`/path message`),
 * empty when valid.
 */
export function dashboardSchemaErrors(dashboard: unknown): string[] {
  if (validator === undefined) {
    const schema = JSON.parse(readFileSync(DASHBOARD_SCHEMA_PATH, 'utf8')) as object;
    validator = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  if (validator(dashboard)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const schema = await generateDashboardSchema();
  writeFileSync(DASHBOARD_SCHEMA_PATH, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote ${DASHBOARD_SCHEMA_PATH}`);
}
