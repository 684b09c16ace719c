import { escapeHtml, fileHref, html, SafeHtml, trusted } from './html';

describe('escapeHtml', () => {
  it('escapes every character that can open markup or close an attribute', () => {
    expect(escapeHtml(`<script>alert("x" + 'y')</script> & \``)).toBe(
      '&lt;script&gt;alert(&quot;x&quot; + &#39;y&#39;)&lt;/script&gt; &amp; &#96;',
    );
  });

  it('escapes an ampersand once, so entities in the text stay visible as written', () => {
    expect(escapeHtml('&lt; is not <')).toBe('&amp;lt; is not &lt;');
  });

  it('leaves other text, including non-ASCII and control characters, as it is', () => {
    expect(escapeHtml('größe → 100 %\u0000\n')).toBe('größe → 100 %\u0000\n');
  });
});

describe('html', () => {
  it('escapes interpolated strings in text and in quoted attributes', () => {
    const title = '"><img src=x onerror=alert(1)>';
    expect(html`<p title="${title}">${title}</p>`.value).toBe(
      '<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</p>',
    );
  });

  it('keeps nested html results as markup and escapes strings inside arrays', () => {
    const items = ['<b>', 'ok'].map((t) => html`<li>${t}</li>`);
    expect(html`<ul>${items}</ul>`.value).toBe('<ul><li>&lt;b&gt;</li><li>ok</li></ul>');
    expect(html`${['<', html`<i></i>`]}`.value).toBe('&lt;<i></i>');
  });

  it('renders numbers, and nothing for null, undefined and false', () => {
    expect(html`${0}|${12.5}|${null}|${undefined}|${false}`.value).toBe('0|12.5|||');
  });

  it('does not trust an object that only looks like its result', () => {
    const fake = { value: '<script>' } as unknown as string;
    expect(html`${fake}`.value).toBe('[object Object]');
  });

  it('returns a SafeHtml whose string is its markup', () => {
    const h = html`<a>${'<'}</a>`;
    expect(h).toBeInstanceOf(SafeHtml);
    expect(`${h}`).toBe('<a>&lt;</a>');
    expect(trusted('<style>a{}</style>').value).toBe('<style>a{}</style>');
  });
});

describe('fileHref', () => {
  it('percent-encodes each segment, so a name cannot add a scheme, a query or markup', () => {
    expect(fileHref('stage-a b.log')).toBe('stage-a%20b.log');
    expect(fileHref('../x/javascript:alert(1)"<>.log')).toBe('../x/javascript%3Aalert(1)%22%3C%3E.log');
    expect(fileHref('a/#?.log')).toBe('a/%23%3F.log');
  });
});
