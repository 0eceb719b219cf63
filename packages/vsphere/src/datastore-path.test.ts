import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { canonicalDatastorePath, formatDatastorePath, parseDatastorePath } from './datastore-path.js';

describe('datastore paths', () => {
  it('parses and formats the seed PV path', () => {
    const text = '[vsanDatastore] fef94d5b-fa8b-491f-bf0a-246e962f4850/kubernetes-dynamic-pvc-91600a74-8d16-11e9-b070-005056a2a261.vmdk';
    const parsed = parseDatastorePath(text);
    expect(parsed).toEqual(E.right({ datastore: 'vsanDatastore', path: 'fef94d5b-fa8b-491f-bf0a-246e962f4850/kubernetes-dynamic-pvc-91600a74-8d16-11e9-b070-005056a2a261.vmdk' }));
    expect(E.isRight(parsed) && formatDatastorePath(parsed.right)).toBe(text);
  });

  it('canonicalises spacing and rejects paths without brackets', () => {
    expect(canonicalDatastorePath('[ds]kubevols/a.vmdk')).toBe('[ds] kubevols/a.vmdk');
    expect(formatDatastorePath({ datastore: 'ds', path: '' })).toBe('[ds]');
    expect(parseDatastorePath('kubevols/a.vmdk')).toEqual(E.left('invalid datastore path "kubevols/a.vmdk"'));
  });
});
