/**
 * A deliberately small Markdown renderer for previews of policy documents. Safety comes from the
 * order of work: every piece of source text is HTML-escaped first, and only then are the few tags
 * this module writes itself added around it. Raw HTML in a document is therefore shown as text,
 * never parsed, and links are kept only for http(s), mailto and same-site targets.
 *
 * Supported: ATX headings, paragraphs, `-`/`*`/`1.` lists, `>` quotes, fenced code, `---` rules,
 * and inline code, **strong**, *emphasis* and [links](https://example.com).
 */

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for use in HTML content and in double-quoted attributes. */
export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (character) => ESCAPES[character]);
}

/** Targets a preview link may point to: web, e-mail, or a path/anchor on this site. */
const SAFE_LINK = /^(?:https?:\/\/|mailto:|\/(?!\/)|#)/i;

/**
 * Splits YAML front matter (between `---` lines at the very top) from the body.
 * `bodyStartLine` is the 1-based line number where the body begins, for error messages.
 */
export function splitFrontMatter(source) {
  const lines = String(source).replace(/\r\n?/g, '\n').split('\n');
  if (lines[0] !== '---') return { frontMatter: undefined, body: lines.join('\n'), bodyStartLine: 1 };
  const end = lines.indexOf('---', 1);
  if (end === -1) return { frontMatter: undefined, body: lines.join('\n'), bodyStartLine: 1 };
  return {
    frontMatter: lines.slice(1, end).join('\n'),
    body: lines.slice(end + 1).join('\n'),
    bodyStartLine: end + 2,
  };
}

/** Inline formatting of one already-split text run (never called on code spans). */
function renderInlineText(text) {
  let html = escapeHtml(text);
  html = html.replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (_match, label, target) =>
    SAFE_LINK.test(target) ? `<a href="${target}" rel="noopener noreferrer">${label}</a>` : label,
  );
  html = html.replace(/\*\*([^*\n]+)\*\*/g, '<strong>$1</strong>');
  html = html.replace(/(^|[^*\w])\*([^*\n]+)\*(?!\w)/g, '$1<em>$2</em>');
  html = html.replace(/(^|[^_\w])_([^_\n]+)_(?!\w)/g, '$1<em>$2</em>');
  return html;
}

/** Inline Markdown to safe HTML: code spans are cut out first so nothing inside them is formatted. */
export function renderInline(text) {
  return String(text)
    .split(/(`[^`\n]+`)/g)
    .map((part) =>
      part.length > 2 && part.startsWith('`') && part.endsWith('`')
        ? `<code>${escapeHtml(part.slice(1, -1))}</code>`
        : renderInlineText(part),
    )
    .join('');
}

/** Renders a Markdown body (no front matter) to an HTML string that is safe to assign to innerHTML. */
export function renderMarkdown(source) {
  const lines = String(source).replace(/\r\n?/g, '\n').split('\n');
  const output = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index];
    if (/^\s*$/.test(line)) {
      index += 1;
      continue;
    }
    if (/^```/.test(line)) {
      const code = [];
      index += 1;
      while (index < lines.length && !/^```/.test(lines[index])) code.push(lines[index++]);
      index += 1;
      output.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const level = heading[1].length;
      output.push(`<h${level}>${renderInline(heading[2])}</h${level}>`);
      index += 1;
      continue;
    }
    if (/^\s*(?:-{3,}|\*{3,})\s*$/.test(line)) {
      output.push('<hr>');
      index += 1;
      continue;
    }
    if (/^>\s?/.test(line)) {
      const quoted = [];
      while (index < lines.length && /^>\s?/.test(lines[index]))
        quoted.push(lines[index++].replace(/^>\s?/, ''));
      output.push(`<blockquote>${renderMarkdown(quoted.join('\n'))}</blockquote>`);
      continue;
    }
    const listKind = /^\s*[-*]\s+/.test(line) ? 'ul' : /^\s*\d+[.)]\s+/.test(line) ? 'ol' : undefined;
    if (listKind) {
      const marker = listKind === 'ul' ? /^\s*[-*]\s+/ : /^\s*\d+[.)]\s+/;
      const items = [];
      while (index < lines.length && marker.test(lines[index])) {
        items.push(`<li>${renderInline(lines[index].replace(marker, ''))}</li>`);
        index += 1;
      }
      output.push(`<${listKind}>${items.join('')}</${listKind}>`);
      continue;
    }
    const paragraph = [];
    while (
      index < lines.length &&
      !/^\s*$/.test(lines[index]) &&
      !/^(?:#{1,6}\s|```|>|\s*[-*]\s+|\s*\d+[.)]\s+)/.test(lines[index])
    ) {
      paragraph.push(lines[index++].trim());
    }
    output.push(`<p>${renderInline(paragraph.join(' '))}</p>`);
  }
  return output.join('\n');
}
