/**
 * Strict RFC 4648 §4 base64 (standard alphabet, `=` padding, no whitespace or line breaks), checked
 * by one pass over the characters: a regular expression over a multi-megabyte string overflows V8's
 * backtracking stack (a 3.5 MiB artifact answered 500).
 */
export function isBase64(text: string): boolean {
  if (text.length % 4 !== 0) return false;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const end = text.length - padding;
  for (let index = 0; index < end; index++) {
    if (!isAlphabet(text.charCodeAt(index))) return false;
  }
  return true;
}

/** Bytes that valid base64 `text` decodes to, without decoding it. */
export function base64DecodedBytes(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}

function isAlphabet(code: number): boolean {
  return (
    (code >= 65 && code <= 90) || // A-Z
    (code >= 97 && code <= 122) || // a-z
    (code >= 48 && code <= 57) || // 0-9
    code === 43 || // +
    code === 47 // /
  );
}
