/**
 * Minimal HCL value writer: enough for variable defaults (strings, numbers, bools, lists, maps of
 * those), written the way `terraform fmt` lays them out so the output passes `fmt -check`.
 * Strings go through JSON escaping plus HCL's own template escapes (`${` and `%{`).
 */
export function hclString(value: string): string {
  // Replacement functions, not strings: in a replacement string "$$" would collapse to "$".
  return JSON.stringify(value)
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{');
}

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function hclKey(key: string): string {
  return BARE_KEY.test(key) ? key : hclString(key);
}

export function hclValue(value: unknown, indent = 0): string {
  const pad = ' '.repeat(indent);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return hclString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => typeof v !== 'object' || v === null)) return `[${value.map((v) => hclValue(v)).join(', ')}]`;
    return `[\n${value.map((v) => `${pad}  ${hclValue(v, indent + 2)},`).join('\n')}\n${pad}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${pad}  ${hclKey(k)} = ${hclValue(v, indent + 2)}`).join('\n')}\n${pad}}`;
  }
  throw new Error(`cannot write ${typeof value} as HCL`);
}

/**
 * Aligns "=" the way terraform fmt does: consecutive single-line attributes at the same indentation
 * form a run; an attribute whose value spans lines stands alone and ends the run. Templates and
 * hclValue therefore need no hand alignment.
 */
export function formatHcl(text: string): string {
  const lines = text.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').split('\n');
  const out: string[] = [];
  let run: { indent: string; key: string; rest: string }[] = [];
  const flush = () => {
    if (!run.length) return;
    const width = Math.max(...run.map((r) => r.key.length));
    for (const r of run) out.push(`${r.indent}${r.key.padEnd(width)} = ${r.rest}`);
    run = [];
  };
  let heredoc: string | null = null;
  for (const line of lines) {
    if (heredoc) {
      out.push(line);
      if (line.trim() === heredoc) heredoc = null;
      continue;
    }
    const m = /^(\s*)([A-Za-z_][A-Za-z0-9_-]*|"(?:[^"\\]|\\.)*")\s*=\s*(.*)$/.exec(line);
    if (!m || /^\s*(#|\/\/)/.test(line)) {
      flush();
      out.push(line);
      continue;
    }
    if (run.length && run[0].indent !== m[1]) flush();
    const open = /<<-?([A-Z]+)$/.exec(m[3]);
    if (open || /[[{(]$/.test(m[3])) {
      flush();
      out.push(`${m[1]}${m[2]} = ${m[3]}`);
      if (open) heredoc = open[1];
      continue;
    }
    run.push({ indent: m[1], key: m[2], rest: m[3] });
  }
  flush();
  return `${out.join('\n').trimEnd()}\n`;
}
