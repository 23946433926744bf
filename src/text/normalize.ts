/**
 * Text normalisation for detection (never for display). Attackers hide instructions with
 * zero-width characters, look-alike letters from other scripts, full-width forms, leetspeak,
 * letter spacing and encoded payloads; detectors look at every "view" this module produces and
 * take the strongest signal.
 */

/** Longest text a detector examines; longer input is truncated so patterns stay bounded in time. */
export const MAX_DETECTION_LENGTH = 8000;

const INVISIBLE =
  /\u034F|[\u00AD\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u206A-\u206F\uFEFF]/gu;

/** Cyrillic and Greek letters that render like Latin ones. */
const HOMOGLYPHS: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ɡ: 'g',
  ɑ: 'a',
  ı: 'i',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
};

const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
};

/** Unicode-normalises, drops invisible characters and collapses whitespace. */
export function basicNormalize(text: string): string {
  return text
    .slice(0, MAX_DETECTION_LENGTH)
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Any code unit outside ASCII (astral characters show up as surrogates, which are outside too). */
const NON_ASCII = /[\u0080-\uFFFF]/;

/** True when a word mixes Latin with Cyrillic or Greek letters: a classic obfuscation tell. */
export function hasMixedScriptWord(text: string): boolean {
  // ASCII text has no Cyrillic or Greek letter, so no word can mix them in.
  if (!NON_ASCII.test(text)) return false;
  return hasMixedScriptWordWithoutShortcut(text);
}

/** {@link hasMixedScriptWord} the plain way, every word visited (the reference its shortcut must equal). */
export function hasMixedScriptWordWithoutShortcut(text: string): boolean {
  return (text.match(/[\p{L}]+/gu) ?? []).some(
    (word) => /\p{Script=Latin}/u.test(word) && /[\p{Script=Cyrillic}\p{Script=Greek}]/u.test(word),
  );
}

/** Cyrillic and Greek look-alikes replaced by Latin letters inside words that mix scripts. */
export function replaceHomoglyphs(text: string): string {
  // Every homoglyph is outside ASCII, and so is the lower case of every letter that maps to one: an
  // ASCII text comes back unchanged, without visiting each word.
  if (!NON_ASCII.test(text)) return text;
  return replaceHomoglyphsWithoutShortcut(text);
}

/** {@link replaceHomoglyphs} the plain way, every word visited (the reference its shortcut must equal). */
export function replaceHomoglyphsWithoutShortcut(text: string): string {
  // Only inside words that mix scripts, so genuine Russian or Greek text is left intact.
  return text.replace(/[\p{L}\p{M}]+/gu, (word) =>
    /\p{Script=Latin}/u.test(word) || [...word].every((letter) => HOMOGLYPHS[letter.toLowerCase()])
      ? [...word].map((letter) => HOMOGLYPHS[letter.toLowerCase()] ?? letter).join('')
      : word,
  );
}

/** Leetspeak ("1gn0re") read back as letters, inside tokens that also hold letters. */
export function undoLeetspeak(text: string): string {
  // A token changes only when it holds one of these characters: without any, nothing can change.
  if (!/[0-9@$!]/.test(text)) return text;
  return undoLeetspeakWithoutShortcut(text);
}

/** {@link undoLeetspeak} the plain way, every token visited (the reference its shortcut must equal). */
export function undoLeetspeakWithoutShortcut(text: string): string {
  // Only inside tokens that also contain letters ("1gn0re"), so amounts like "£150" are untouched.
  return text.replace(/\S+/g, (token) =>
    /\p{L}/u.test(token) && /[0-9@$!]/.test(token.slice(0, -1))
      ? [...token].map((character) => LEET[character] ?? character).join('')
      : token,
  );
}

function joinSpacedLetters(text: string): string {
  // "i g n o r e" or "i.g.n.o.r.e" → "ignore"
  return text.replace(/\b(?:\p{L}[\s.\-_*]){3,}\p{L}\b/gu, (run) => run.replace(/[\s.\-_*]/g, ''));
}

function isMostlyReadable(text: string): boolean {
  if (text.length < 6) return false;
  const readable = text.match(/[\p{L}\p{N}\p{P}\s]/gu)?.length ?? 0;
  return readable / text.length > 0.9 && /\p{L}{3,}/u.test(text);
}

/** Decodes base64, hex and percent-encoded payloads found in the text (each at most once, not nested). */
export function decodePayloads(text: string): string[] {
  const decoded: string[] = [];
  for (const candidate of text.match(/[A-Za-z0-9+/_-]{16,}={0,2}/g) ?? []) {
    if (/^[0-9a-fA-F]+$/.test(candidate)) continue;
    try {
      const value = Buffer.from(candidate.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
      if (isMostlyReadable(value)) decoded.push(value);
    } catch {
      // Not base64: nothing to add.
    }
  }
  for (const candidate of text.match(/(?<![0-9A-Za-z])(?:(?:0x|\\x)?[0-9a-fA-F]{2}[\s:]?){8,}/g) ?? []) {
    const hex = candidate.replace(/0x|\\x|[\s:]/g, '');
    if (hex.length % 2 !== 0) continue;
    const value = Buffer.from(hex, 'hex').toString('utf8');
    if (isMostlyReadable(value)) decoded.push(value);
  }
  if (/(?:%[0-9a-fA-F]{2}){4,}/.test(text)) {
    try {
      decoded.push(decodeURIComponent(text));
    } catch {
      // Malformed escapes: ignore.
    }
  }
  return decoded;
}

/**
 * Pasted material inside a message: code blocks, HTML comments, quoted passages, e-mail quotes
 * and the last question of a Q/A "many-shot" run. Scored on its own, an instruction hidden in a
 * long benign wrapper is not diluted by the wrapper's words.
 */
export function embeddedSegments(text: string): string[] {
  const segments: string[] = [];
  for (const match of text.matchAll(/```[\s\S]*?```|<!--([\s\S]*?)-->/g))
    segments.push(match[1] ?? match[0].replace(/```/g, ''));
  for (const match of text.matchAll(/["'“‘]([^"'”’]{40,})["'”’]/g)) segments.push(match[1]!);
  const quotedLines = text.split('\n').filter((line) => /^\s*>/.test(line));
  if (quotedLines.length > 0)
    segments.push(quotedLines.map((line) => line.replace(/^\s*>+\s?/, '')).join(' '));
  const original = text.search(/-{2,}\s*(?:original message|forwarded message)|^\s*(?:from|subject):/im);
  if (original > 0) segments.push(text.slice(original));
  const questions = text.split(/\bQ:\s*/);
  if (questions.length >= 3) segments.push(questions.at(-1)!);
  return segments.map((segment) => segment.trim()).filter((segment) => segment.length >= 8);
}

/**
 * Every view of a text a detector should examine: the normalised text, a de-obfuscated copy
 * (homoglyphs, leetspeak, spaced letters) and any decoded payloads. `normalized` is
 * `basicNormalize(text)`, for callers that already have it.
 */
export function detectionViews(text: string, normalized: string = basicNormalize(text)): string[] {
  const deobfuscated = joinSpacedLetters(undoLeetspeak(replaceHomoglyphs(normalized)));
  const views = new Set([normalized, deobfuscated]);
  for (const payload of decodePayloads(normalized)) views.add(basicNormalize(payload));
  for (const segment of embeddedSegments(text.slice(0, MAX_DETECTION_LENGTH)))
    views.add(basicNormalize(segment));
  return [...views];
}
