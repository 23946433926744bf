/** Types for the browser module `markdown.js`, so tests can import it under strict TypeScript. */
export declare function escapeHtml(text: string): string;
export declare function splitFrontMatter(source: string): {
  frontMatter: string | undefined;
  body: string;
  bodyStartLine: number;
};
export declare function renderInline(text: string): string;
export declare function renderMarkdown(source: string): string;
