import { describe, expect, it } from 'vitest';
import { linkify } from './linkify.js';

describe('linkify', () => {
  it('turns http(s) URLs and e-mail addresses into links, leaving the rest as text', () => {
    expect(linkify('Track it at https://shop.example/t/SF123. Or mail help@shop.example!')).toEqual([
      { text: 'Track it at ' },
      { text: 'https://shop.example/t/SF123', href: 'https://shop.example/t/SF123' },
      { text: '. Or mail ' },
      { text: 'help@shop.example', href: 'mailto:help@shop.example' },
      { text: '!' },
    ]);
  });

  it('never links other schemes', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'ftp://files.example/x', 'vbscript:msgbox']) {
      expect(linkify(text).every((p) => !('href' in p))).toBe(true);
    }
  });

  it('ends a URL at Chinese punctuation', () => {
    expect(linkify('查看 https://shop.example/o/1，谢谢')).toEqual([
      { text: '查看 ' },
      { text: 'https://shop.example/o/1', href: 'https://shop.example/o/1' },
      { text: '，谢谢' },
    ]);
  });

  it('keeps every character of the text, in order', () => {
    const text = 'a http://x.example b c@d.example e <img src=x onerror=alert(1)>';
    expect(linkify(text).map((p) => p.text).join('')).toBe(text);
  });
});
