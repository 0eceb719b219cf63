// A minimal Cassandra shell for the article's data checks (`kubectl exec cassandra-0 --
// cqlsh -e "<statement>"`): CREATE KEYSPACE, USE, CREATE TABLE, INSERT and SELECT *, with
// cqlsh's table output. Keyspaces, tables and rows live in the volume's data (the VMDK's
// content in the storage model), so they survive pod moves and vanish only with the file.
import * as E from 'fp-ts/lib/Either.js';

/** The files of a mounted volume, as the storage model keeps them (a VMDK's content). */
export interface VolumeData {
  read(key: string): string | undefined;
  write(key: string, value: string): void;
}

/** A table's schema: its partition key first, then the other columns. */
interface TableSchema {
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly primaryKey: string;
}

type Row = Record<string, string>;

/** A cqlsh session: the current keyspace, over one volume's data. */
export interface CqlshSession {
  keyspace?: string;
}

const KEYSPACES = 'cassandra/keyspaces';
const schemaKey = (ks: string, table: string): string => `cassandra/${ks}/${table}/schema`;
const rowsKey = (ks: string, table: string): string => `cassandra/${ks}/${table}/rows`;

const readJson = <T>(data: VolumeData, key: string, fallback: T): T => {
  const text = data.read(key);
  return text === undefined ? fallback : (JSON.parse(text) as T);
};

/** Splits `a, b, 'c, d'` at top-level commas, keeping quoted strings whole. */
const splitList = (text: string): string[] => {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let depth = 0;
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    if (!quoted && (ch === '(' || ch === '{')) depth++;
    if (!quoted && (ch === ')' || ch === '}')) depth--;
    if (ch === ',' && !quoted && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
};

const unquote = (value: string): string => (value.startsWith("'") && value.endsWith("'") ? value.slice(1, -1).replace(/''/g, "'") : value);

const invalid = (message: string): E.Either<string, never> => E.left(`<stdin>:1:InvalidRequest: Error from server: code=2200 [Invalid query] message="${message}"`);
const syntax = (near: string): E.Either<string, never> => E.left(`<stdin>:1:SyntaxException: line 1:0 no viable alternative at input '${near}'`);

/** cqlsh's rendering of rows: right-aligned cells, a dashed rule, and "(N rows)". */
export const formatRows = (columns: readonly string[], rows: readonly Row[]): string[] => {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? 'null').length)));
  const line = (cells: readonly string[]): string => cells.map((cell, i) => ` ${cell.padStart(widths[i]!)} `).join('|').trimEnd();
  return ['', line(columns), widths.map((w) => '-'.repeat(w + 2)).join('+'), ...rows.map((r) => line(columns.map((c) => r[c] ?? 'null'))), '', `(${rows.length} rows)`];
};

/**
 * Runs one CQL statement against a volume's data. Returns cqlsh's output lines, or its
 * error line. Supports what the article types; anything else is a syntax error.
 */
export const runCql = (data: VolumeData, session: CqlshSession, statement: string): E.Either<string, string[]> => {
  const cql = statement.trim().replace(/;\s*$/, '');
  let m: RegExpExecArray | null;
  if ((m = /^CREATE\s+KEYSPACE\s+(IF\s+NOT\s+EXISTS\s+)?(\w+)\s+WITH\s+REPLICATION\s*=\s*\{.*\}$/i.exec(cql))) {
    const name = m[2]!.toLowerCase();
    const keyspaces = readJson<string[]>(data, KEYSPACES, []);
    if (keyspaces.includes(name)) return m[1] ? E.right([]) : E.left(`<stdin>:1:AlreadyExists: Keyspace '${name}' already exists`);
    data.write(KEYSPACES, JSON.stringify([...keyspaces, name]));
    return E.right([]);
  }
  if ((m = /^USE\s+(\w+)$/i.exec(cql))) {
    const name = m[1]!.toLowerCase();
    if (!readJson<string[]>(data, KEYSPACES, []).includes(name)) return invalid(`Keyspace '${name}' does not exist`);
    session.keyspace = name;
    return E.right([]);
  }
  const qualified = (name: string): E.Either<string, { ks: string; table: string }> => {
    const [first, second] = name.toLowerCase().split('.');
    if (second) return E.right({ ks: first!, table: second });
    if (!session.keyspace) return invalid('No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename');
    return E.right({ ks: session.keyspace, table: first! });
  };
  if ((m = /^CREATE\s+TABLE\s+([\w.]+)\s*\((.*)\)$/i.exec(cql))) {
    const target = qualified(m[1]!);
    if (E.isLeft(target)) return target;
    const { ks, table } = target.right;
    if (!readJson<string[]>(data, KEYSPACES, []).includes(ks)) return invalid(`Keyspace ${ks} doesn't exist`);
    if (data.read(schemaKey(ks, table)) !== undefined) return E.left(`<stdin>:1:AlreadyExists: Table '${ks}.${table}' already exists`);
    let primaryKey: string | undefined;
    const columns = splitList(m[2]!).map((definition) => {
      const [name = '', type = '', ...rest] = definition.split(/\s+/);
      if (rest.join(' ').toUpperCase() === 'PRIMARY KEY') primaryKey = name.toLowerCase();
      return { name: name.toLowerCase(), type: type.toLowerCase() };
    });
    if (!primaryKey) return syntax(cql.slice(0, 40));
    data.write(schemaKey(ks, table), JSON.stringify({ columns, primaryKey } satisfies TableSchema));
    return E.right([]);
  }
  if ((m = /^INSERT\s+INTO\s+([\w.]+)\s*\(([^)]*)\)\s*VALUES\s*\((.*)\)$/i.exec(cql))) {
    const target = qualified(m[1]!);
    if (E.isLeft(target)) return target;
    const { ks, table } = target.right;
    const schema = readJson<TableSchema | undefined>(data, schemaKey(ks, table), undefined);
    if (!schema) return invalid(`unconfigured table ${table}`);
    const names = splitList(m[2]!).map((n) => n.toLowerCase());
    const values = splitList(m[3]!);
    if (names.length !== values.length) return invalid('Unmatched column names/values');
    const unknown = names.find((n) => !schema.columns.some((c) => c.name === n));
    if (unknown) return invalid(`Undefined column name ${unknown}`);
    const row: Row = Object.fromEntries(names.map((n, i) => [n, unquote(values[i]!)]));
    if (row[schema.primaryKey] === undefined) return invalid(`Some partition key parts are missing: ${schema.primaryKey}`);
    const rows = readJson<Row[]>(data, rowsKey(ks, table), []).filter((r) => r[schema.primaryKey] !== row[schema.primaryKey]);
    data.write(rowsKey(ks, table), JSON.stringify([...rows, row]));
    return E.right([]);
  }
  if ((m = /^SELECT\s+\*\s+FROM\s+([\w.]+)$/i.exec(cql))) {
    const target = qualified(m[1]!);
    if (E.isLeft(target)) return target;
    const { ks, table } = target.right;
    const schema = readJson<TableSchema | undefined>(data, schemaKey(ks, table), undefined);
    if (!schema) return invalid(`unconfigured table ${table}`);
    // Cassandra lists the partition key first, then the other columns in name order.
    const others = schema.columns.map((c) => c.name).filter((n) => n !== schema.primaryKey).sort();
    const rows = readJson<Row[]>(data, rowsKey(ks, table), []);
    return E.right(formatRows([schema.primaryKey, ...others], rows));
  }
  return syntax(cql.split(/\s+/).slice(0, 2).join(' '));
};
