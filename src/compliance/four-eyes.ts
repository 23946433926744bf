/**
 * The four-eyes rule: whoever approved a change must not have written any part of it. Subjects
 * are compared after normalization so that `Alice`, ` alice ` or a look-alike full-width form of
 * the same name count as one person.
 */
export function normalizePerson(subject: string): string {
  return (
    subject
      .normalize('NFKC')
      // Invisible characters would otherwise make one person look like two.
      .replace(/[\u200B-\u200D\u2060\uFEFF\u00AD]/g, '')
      .trim()
      .toLowerCase()
  );
}

/** True when the two subjects name the same person under `normalizePerson`. */
export function samePerson(left: string, right: string): boolean {
  return normalizePerson(left) === normalizePerson(right);
}

/** True when `approver` wrote any revision of the draft (any of `editors`). */
export function isEditor(approver: string, editors: readonly string[]): boolean {
  return editors.some((editor) => samePerson(editor, approver));
}
