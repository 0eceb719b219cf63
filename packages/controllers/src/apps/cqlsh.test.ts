import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { runCql, type CqlshSession, type VolumeData } from './cqlsh.js';

const volume = (): VolumeData & { files: Map<string, string> } => {
  const files = new Map<string, string>();
  return { files, read: (k) => files.get(k), write: (k, v) => void files.set(k, v) };
};

const run = (data: VolumeData, session: CqlshSession, cql: string): string[] => {
  const result = runCql(data, session, cql);
  if (E.isLeft(result)) throw new Error(result.left);
  return result.right;
};

describe('cqlsh', () => {
  it('runs the article session and prints the row as cqlsh does', () => {
    const data = volume();
    const session: CqlshSession = {};
    run(data, session, "CREATE KEYSPACE mydemo WITH REPLICATION = { 'class' : 'SimpleStrategy', 'replication_factor' : 1 };");
    run(data, session, 'use mydemo;');
    run(data, session, 'CREATE TABLE emp(emp_id int PRIMARY KEY, emp_name text, emp_city text, emp_sal varint,emp_phone varint);');
    run(data, session, "INSERT INTO emp (emp_id, emp_name, emp_city, emp_phone, emp_sal) VALUES (100, 'Cormac', 'Cork', 999, 1000000);");
    expect(run(data, {}, 'select * from mydemo.emp;')).toEqual([
      '',
      ' emp_id | emp_city | emp_name | emp_phone | emp_sal',
      '--------+----------+----------+-----------+---------',
      '    100 |     Cork |   Cormac |       999 | 1000000',
      '',
      '(1 rows)',
    ]);
  });

  it('keeps everything in the volume data: a new session on the same data sees the rows, other data sees nothing', () => {
    const data = volume();
    run(data, {}, "CREATE KEYSPACE k WITH REPLICATION = { 'class' : 'SimpleStrategy', 'replication_factor' : 1 }");
    run(data, {}, 'CREATE TABLE k.t (id int PRIMARY KEY, v text)');
    run(data, {}, "INSERT INTO k.t (id, v) VALUES (1, 'a')");
    run(data, {}, "INSERT INTO k.t (id, v) VALUES (1, 'b')");
    expect(run(data, {}, 'SELECT * FROM k.t').at(-1)).toBe('(1 rows)');
    expect(run(data, {}, 'SELECT * FROM k.t')[3]).toBe('  1 | b');
    expect(runCql(volume(), {}, 'SELECT * FROM k.t')).toEqual(E.left('<stdin>:1:InvalidRequest: Error from server: code=2200 [Invalid query] message="unconfigured table t"'));
  });

  it('answers errors as cqlsh does', () => {
    const data = volume();
    expect(runCql(data, {}, 'USE nope')).toEqual(E.left('<stdin>:1:InvalidRequest: Error from server: code=2200 [Invalid query] message="Keyspace \'nope\' does not exist"'));
    expect(runCql(data, {}, 'CREATE TABLE t (id int PRIMARY KEY)')).toEqual(
      E.left('<stdin>:1:InvalidRequest: Error from server: code=2200 [Invalid query] message="No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename"'),
    );
    expect(E.isLeft(runCql(data, {}, 'DROP TABLE x'))).toBe(true);
  });
});
