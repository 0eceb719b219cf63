// Datastore paths as vSphere writes them: "[datastore] folder/file.vmdk". Models govmomi
// object/datastore_path.go (DatastorePath.FromString / String, govmomi v0.20–v0.50).
import * as E from 'fp-ts/lib/Either.js';

/** A parsed datastore path. */
export interface DatastorePath {
  /** The datastore name between the brackets (`vsanDatastore`). */
  readonly datastore: string;
  /** The path inside the datastore, without a leading slash (`kubevols/x.vmdk`); may be empty. */
  readonly path: string;
}

const PATTERN = /^\[([^\]]+)\]\s*(.*)$/;

/** Parses `[ds] folder/file.vmdk`; Left with a message when the brackets are missing. */
export const parseDatastorePath = (text: string): E.Either<string, DatastorePath> => {
  const match = PATTERN.exec(text.trim());
  if (!match) return E.left(`invalid datastore path "${text}"`);
  return E.right({ datastore: match[1]!, path: match[2]!.replace(/^\/+/, '') });
};

/** Formats a datastore path the way vSphere prints it: `[ds] path` (`[ds]` alone for the root). */
export const formatDatastorePath = (p: DatastorePath): string => (p.path === '' ? `[${p.datastore}]` : `[${p.datastore}] ${p.path}`);

/** The canonical text of a datastore path (single space after the bracket), or the input if it does not parse. */
export const canonicalDatastorePath = (text: string): string => {
  const parsed = parseDatastorePath(text);
  return E.isRight(parsed) ? formatDatastorePath(parsed.right) : text;
};
