// A readable "what breaks" for Avro schema changes. Confluent's registry explains incompatibilities
// when asked with ?verbose=true; registries that do not (Apicurio's ccompat API answers only
// is_compatible) would leave the user with a bare "false". This re-applies Avro's schema
// resolution rules (reader vs writer) to name the fields that break. Pure, no I/O.

type AvroNode = string | AvroNode[] | { type: AvroNode; [key: string]: any };

interface Problem {
  kind: 'missingField' | 'type' | 'enumSymbols' | 'name' | 'fixedSize';
  path: string;
  writer?: string;
  reader?: string;
  symbols?: string[];
}

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
const PROMOTIONS: Record<string, string[]> = {
  int: ['long', 'float', 'double'],
  long: ['float', 'double'],
  float: ['double'],
  string: ['bytes'],
  bytes: ['string'],
};

type Named = Map<string, any>;

function fullName(node: any, namespace?: string): string {
  const name: string = node.name;
  if (name.includes('.')) return name;
  const ns = node.namespace ?? namespace;
  return ns ? `${ns}.${name}` : name;
}

/** Collects named types (record, enum, fixed) by full and short name so references resolve. */
function collectNamed(node: AvroNode, named: Named, namespace?: string): void {
  if (Array.isArray(node)) return node.forEach((branch) => collectNamed(branch, named, namespace));
  if (typeof node !== 'object' || node === null) return;
  const type = node.type;
  if ((type === 'record' || type === 'error' || type === 'enum' || type === 'fixed') && typeof node.name === 'string') {
    const full = fullName(node, namespace);
    named.set(full, node);
    named.set(full.split('.').pop()!, node);
    const ns = full.includes('.') ? full.slice(0, full.lastIndexOf('.')) : namespace;
    if (type !== 'enum' && type !== 'fixed') for (const field of node.fields ?? []) collectNamed(field.type, named, ns);
    return;
  }
  if (type === 'array') collectNamed(node.items, named, namespace);
  else if (type === 'map') collectNamed(node.values, named, namespace);
  else if (typeof type === 'object') collectNamed(type, named, namespace);
}

function resolve(node: AvroNode, named: Named): AvroNode {
  if (typeof node === 'string') return PRIMITIVES.has(node) ? node : (named.get(node) ?? node);
  if (!Array.isArray(node) && typeof node === 'object' && node !== null && typeof node.type === 'string' && PRIMITIVES.has(node.type) && !node.logicalType) {
    return node.type;
  }
  if (!Array.isArray(node) && typeof node === 'object' && node !== null && typeof node.type === 'object') return resolve(node.type, named);
  return node;
}

function kindOf(node: AvroNode): string {
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return 'union';
  return typeof node.type === 'string' ? node.type : 'complex';
}

function describe(node: AvroNode): string {
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return `union [${node.map((branch) => describe(branch)).join(', ')}]`;
  if (node.name) return `${node.type} ${node.name}`;
  if (node.type === 'array') return `array<${describe(node.items)}>`;
  if (node.type === 'map') return `map<${describe(node.values)}>`;
  return String(node.type);
}

/** Can data written with `writer` be read with `reader`? Appends what breaks to `problems`. */
function check(reader: AvroNode, writer: AvroNode, rNamed: Named, wNamed: Named, path: string, problems: Problem[], seen: Set<string>): void {
  const r = resolve(reader, rNamed);
  const w = resolve(writer, wNamed);
  if (Array.isArray(w)) {
    // Every branch the writer may have used must be readable.
    for (const branch of w) check(r, branch, rNamed, wNamed, path, problems, seen);
    return;
  }
  if (Array.isArray(r)) {
    const fits = r.some((branch) => {
      const trial: Problem[] = [];
      check(branch, w, rNamed, wNamed, path, trial, new Set(seen));
      return trial.length === 0;
    });
    if (!fits) problems.push({ kind: 'type', path, writer: describe(w), reader: describe(r) });
    return;
  }
  const rk = kindOf(r);
  const wk = kindOf(w);
  if (PRIMITIVES.has(wk) || PRIMITIVES.has(rk)) {
    if (rk !== wk && !(PROMOTIONS[wk] ?? []).includes(rk)) problems.push({ kind: 'type', path, writer: describe(w), reader: describe(r) });
    return;
  }
  if (rk !== wk) {
    problems.push({ kind: 'type', path, writer: describe(w), reader: describe(r) });
    return;
  }
  const rObj = r as any;
  const wObj = w as any;
  if (rk === 'record' || rk === 'error') {
    // Recursive types: a pair already being compared further up is assumed to fit (co-inductively).
    const key = `${rObj.name}|${wObj.name}`;
    if (seen.has(key)) return;
    seen.add(key);
    const rShort = String(rObj.name).split('.').pop();
    const wShort = String(wObj.name).split('.').pop();
    if (rShort !== wShort && !(rObj.aliases ?? []).includes(wObj.name) && !(rObj.aliases ?? []).includes(wShort)) {
      problems.push({ kind: 'name', path: path || rObj.name, writer: wObj.name, reader: rObj.name });
    }
    const writerFields = new Map<string, any>((wObj.fields ?? []).map((f: any) => [f.name, f]));
    for (const field of rObj.fields ?? []) {
      const fieldPath = path ? `${path}.${field.name}` : field.name;
      const match = writerFields.get(field.name) ?? (field.aliases ?? []).map((alias: string) => writerFields.get(alias)).find(Boolean);
      if (match) check(field.type, match.type, rNamed, wNamed, fieldPath, problems, seen);
      else if (!('default' in field)) problems.push({ kind: 'missingField', path: fieldPath, reader: describe(field.type) });
    }
    seen.delete(key);
    return;
  }
  if (rk === 'enum') {
    const readerSymbols = new Set<string>(rObj.symbols ?? []);
    const unknown = (wObj.symbols ?? []).filter((s: string) => !readerSymbols.has(s));
    if (unknown.length && rObj.default === undefined) problems.push({ kind: 'enumSymbols', path: path || rObj.name, symbols: unknown });
    return;
  }
  if (rk === 'fixed') {
    if (rObj.size !== wObj.size) problems.push({ kind: 'fixedSize', path: path || rObj.name, writer: String(wObj.size), reader: String(rObj.size) });
    return;
  }
  if (rk === 'array') return check(rObj.items, wObj.items, rNamed, wNamed, `${path}[]`, problems, seen);
  if (rk === 'map') return check(rObj.values, wObj.values, rNamed, wNamed, `${path}{}`, problems, seen);
}

function sentence(problem: Problem, direction: 'backward' | 'forward'): string {
  const where = problem.path ? `"${problem.path}"` : 'the top-level type';
  switch (problem.kind) {
    case 'missingField':
      return direction === 'backward'
        ? `field ${where} (${problem.reader}) was added without a default, so records written with the old schema have no value for it`
        : `field ${where} (${problem.reader}) was removed, and the old schema has no default for it, so old consumers cannot read new records`;
    case 'type':
      return direction === 'backward'
        ? `${where} changed from ${problem.writer} to ${problem.reader}, which cannot read the old values`
        : `${where} changed from ${problem.reader} to ${problem.writer}, which old consumers cannot read`;
    case 'enumSymbols':
      return direction === 'backward'
        ? `enum ${where} dropped symbol(s) ${problem.symbols!.join(', ')} that old records may contain, and has no default`
        : `enum ${where} gained symbol(s) ${problem.symbols!.join(', ')} that old consumers do not know, and the old enum has no default`;
    case 'name':
      return direction === 'backward'
        ? `record ${where} was renamed from ${problem.writer} to ${problem.reader} without an alias`
        : `record ${where} was renamed from ${problem.reader} to ${problem.writer}, unknown to old consumers`;
    case 'fixedSize':
      return direction === 'backward'
        ? `fixed ${where} changed size from ${problem.writer} to ${problem.reader}`
        : `fixed ${where} changed size from ${problem.reader} to ${problem.writer}`;
  }
}

function parse(text: string): { node: AvroNode; named: Named } {
  const node = JSON.parse(text) as AvroNode;
  const named: Named = new Map();
  collectNamed(node, named);
  return { node, named };
}

/**
 * What breaks when `next` follows `previous` under `level` (transitive levels: call once per
 * earlier version). BACKWARD: new readers, old data. FORWARD: old readers, new data. FULL: both.
 */
export function explainAvroChange(previous: string, next: string, level: string): string[] {
  const base = level.replace(/_TRANSITIVE$/, '');
  if (base === 'NONE') return [];
  let before;
  let after;
  try {
    before = parse(previous);
    after = parse(next);
  } catch {
    return [];
  }
  const messages: string[] = [];
  if (base === 'BACKWARD' || base === 'FULL') {
    const problems: Problem[] = [];
    check(after.node, before.node, after.named, before.named, '', problems, new Set());
    messages.push(...problems.map((p) => `BACKWARD: ${sentence(p, 'backward')}`));
  }
  if (base === 'FORWARD' || base === 'FULL') {
    const problems: Problem[] = [];
    check(before.node, after.node, before.named, after.named, '', problems, new Set());
    messages.push(...problems.map((p) => `FORWARD: ${sentence(p, 'forward')}`));
  }
  return messages;
}
