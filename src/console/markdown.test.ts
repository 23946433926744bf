import { describe, expect, it } from 'vitest';
import { escapeHtml, renderInline, renderMarkdown, splitFrontMatter } from './public/markdown.js';

/** Every tag the renderer may emit; anything else in the output means source HTML got through. */
const ALLOWED_TAGS = new Set([
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'p',
  'ul',
  'ol',
  'li',
  'blockquote',
  'pre',
  'code',
  'hr',
  'strong',
  'em',
  'a',
]);

function tagsIn(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((match) => match[1]!.toLowerCase());
}

describe('renderMarkdown', () => {
  it('when given the document structure then renders headings, paragraphs, lists and code', () => {
    const html = renderMarkdown(
      '# Fees\n\nWe charge **£15** per *SWIFT* payment.\nSecond line.\n\n- one\n- two\n\n1. first\n\n```\n<raw>\n```\n\n> quoted\n\n---',
    );
    expect(html).toContain('<h1>Fees</h1>');
    expect(html).toContain('<p>We charge <strong>£15</strong> per <em>SWIFT</em> payment. Second line.</p>');
    expect(html).toContain('<ul><li>one</li><li>two</li></ul>');
    expect(html).toContain('<ol><li>first</li></ol>');
    expect(html).toContain('<pre><code>&lt;raw&gt;</code></pre>');
    expect(html).toContain('<blockquote><p>quoted</p></blockquote>');
    expect(html).toContain('<hr>');
  });

  it('when a code span holds markup then it is shown literally and not formatted', () => {
    expect(renderInline('use `**not bold** <b>` here')).toBe('use <code>**not bold** &lt;b&gt;</code> here');
  });

  it('when links are safe then they are kept, with rel set', () => {
    expect(renderInline('[FOS](https://www.financial-ombudsman.org.uk/)')).toBe(
      '<a href="https://www.financial-ombudsman.org.uk/" rel="noopener noreferrer">FOS</a>',
    );
    expect(renderInline('[fees](/console/chat)')).toContain('href="/console/chat"');
  });

  const attacks = [
    '<script>alert(1)</script>',
    '<img src=x onerror="alert(1)">',
    '<svg/onload=alert(1)>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '# <img src=x onerror=alert(1)>',
    '- <a href="javascript:alert(1)">x</a>',
    '> <style>body{display:none}</style>',
    '**<b onmouseover=alert(1)>bold</b>**',
    '[click](javascript:alert(1))',
    '[click](JaVaScRiPt:alert(1))',
    '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '[click](vbscript:msgbox(1))',
    '[click](//evil.example/path)',
    '[x](https://ok.example/"onmouseover="alert(1))',
    '[x](https://ok.example/)<img src=x onerror=alert(1)>',
    '`</code><script>alert(1)</script>`',
    '```\n</code></pre><script>alert(1)</script>\n```',
    '[<img src=x onerror=alert(1)>](https://ok.example/)',
    '&lt;script&gt;alert(1)&lt;/script&gt;',
  ];

  it.each(attacks)(
    'when the source is the attack %j then no foreign tag, handler or script URL survives',
    (attack) => {
      const html = renderMarkdown(attack);
      for (const tag of tagsIn(html)) expect(ALLOWED_TAGS).toContain(tag);
      // Attributes only ever appear on links this module wrote, and only href and rel.
      for (const match of html.matchAll(/<a ([^>]*)>/g)) {
        expect(match[1]).toMatch(
          /^href="(?:https?:\/\/|mailto:|\/(?!\/)|#)[^"]*" rel="noopener noreferrer"$/,
        );
      }
      expect(html).not.toMatch(/<[a-z]+[^>]*\son[a-z]+=/i);
      expect(html).not.toMatch(/href="\s*(?:javascript|data|vbscript):/i);
    },
  );

  it('when the source is already entity-encoded then the entities are shown, not decoded into markup', () => {
    expect(renderMarkdown('&lt;script&gt;')).toBe('<p>&amp;lt;script&amp;gt;</p>');
  });
});

describe('splitFrontMatter', () => {
  it('when front matter is present then it is separated and the body line is reported', () => {
    const split = splitFrontMatter('---\nid: a\ntitle: b\n---\n# Body\n');
    expect(split.frontMatter).toBe('id: a\ntitle: b');
    expect(split.body).toBe('# Body\n');
    expect(split.bodyStartLine).toBe(5);
  });

  it('when the closing line is missing then everything is body', () => {
    expect(splitFrontMatter('---\nid: a\n# Body').frontMatter).toBeUndefined();
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});
