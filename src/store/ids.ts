import { randomUUID } from 'node:crypto';

/** A prefixed random identifier, e.g. `conv_9f1c…`; prefixes make ids self-describing in logs. */
export function newId(prefix: 'conv' | 'msg' | 'hnd' | 'cnf' | 'req' | 'tex'): string {
  return `${prefix}_${randomUUID().replaceAll('-', '')}`;
}
