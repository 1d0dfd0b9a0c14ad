// The machine-readable parts of reports are header-style fields: RFC 3464 delivery-status (a group of fields
// for the message, then one group per recipient, groups separated by blank lines) and RFC 5965 feedback-report
// (one group). Names are matched case-insensitively and folded lines are joined.

/** One group of fields: lower-cased name → value (the first occurrence of a name wins). */
export type FieldGroup = Map<string, string>;

export function parseFieldGroups(text: string): FieldGroup[] {
  const groups: FieldGroup[] = [];
  let current: FieldGroup | undefined;
  let lastName: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      current = undefined;
      lastName = undefined;
      continue;
    }
    if (/^[ \t]/.test(line) && current && lastName) {
      current.set(lastName, `${current.get(lastName) ?? ''} ${line.trim()}`.trim());
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    if (!current) {
      current = new Map();
      groups.push(current);
    }
    const name = line.slice(0, colon).trim().toLowerCase();
    if (current.has(name)) {
      lastName = undefined;
      continue;
    }
    current.set(name, line.slice(colon + 1).trim());
    lastName = name;
  }
  return groups;
}

/** The value after a type prefix: `rfc822; user@example.com` → `user@example.com`, `dns; mx.test` → `mx.test`. */
export function typedValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const semicolon = value.indexOf(';');
  const bare = (semicolon >= 0 ? value.slice(semicolon + 1) : value).trim();
  return bare === '' ? undefined : bare;
}
