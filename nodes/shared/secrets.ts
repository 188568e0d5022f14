/**
 * Every secret the adapter sees (passwords, API secrets, tokens, connection strings, private keys)
 * is registered here so that error messages and log lines can be scrubbed before they leave the
 * adapter. Values are kept only in memory, for the life of the process.
 */
const registeredSecrets = new Set<string>();

// Patterns catch secrets that reach a message without passing through a credential first
// (e.g. a connection string echoed back by a broker, or a URL with user:password@).
const SECRET_PATTERNS: RegExp[] = [
  /(SharedAccessKey\s*=\s*)[^;"'\s]+/gi,
  /(password\s*[=:]\s*)("?)[^\s"',;]+/gi,
  /(client_secret\s*[=:]\s*)[^\s"'&,;]+/gi,
  /(Authorization:\s*(?:Basic|Bearer)\s+)[^\s"']+/gi,
  /(\/\/[^/\s:@]+:)[^@\s/]+@/g,
];

export function registerSecret(value: unknown): void {
  if (typeof value !== 'string') return;
  const trimmed = value.trim();
  // Very short values would scrub ordinary words out of messages; they are not secrets worth the noise.
  if (trimmed.length >= 4) registeredSecrets.add(trimmed);
}

export function scrubSecrets(text: string): string {
  let result = text;
  // Longest first so a connection string is replaced whole before its key part is.
  const secrets = [...registeredSecrets].sort((a, b) => b.length - a.length);
  for (const secret of secrets) {
    if (result.includes(secret)) result = result.split(secret).join('***');
  }
  for (const pattern of SECRET_PATTERNS) {
    result = result.replace(pattern, (_match, prefix: string) => `${prefix}***${_match.endsWith('@') ? '@' : ''}`);
  }
  return result;
}
