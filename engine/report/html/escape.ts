/**
 * Escaping for report.html. Text from user files (scenario title and description, county and
 * facility names, parameter sources) goes through `escapeHtml`, so `<script>` in a name shows as
 * text. JSON inside a <script> element goes through `jsonForScript`, which leaves no `<` at all, so
 * neither `</script>` nor `<!--` in a string can end or confuse the element.
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(x: unknown): string {
  return String(x ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** JSON safe inside <script type="application/json">: <, >, & and the JS line separators as \u escapes. */
export function jsonForScript(x: unknown): string {
  return JSON.stringify(x).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Library code to inline in a <script> element. Rewriting code is unsafe (a `</` may sit in a regex),
 * so this refuses code that contains a sequence that would end the element instead.
 */
export function inlineScript(code: string, what: string): string {
  if (/<\/script|<!--/i.test(code)) throw new Error(`${what} contains </script or <!-- and cannot be inlined in report.html`);
  return code;
}
