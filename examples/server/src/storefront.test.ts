import { describe, expect, it } from 'vitest';
import { renderStorefront } from './storefront.js';

describe('storefront rendering', () => {
  it('escapes every identity attribute, so a name cannot break out of the tag', () => {
    const html = renderStorefront('<head><script src="/xiaoer.js" defer></script></head>', {
      id: 'buyer-demo',
      name: '"><script>alert(1)</script>&\'',
      expires: 1,
      signature: 'a'.repeat(64),
    });
    expect(html).toBe(
      `<head><script src="/xiaoer.js" data-buyer-id="buyer-demo" data-buyer-name="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&#39;" data-buyer-expires="1" data-buyer-signature="${'a'.repeat(64)}" data-identity-url="/demo/identity" defer></script></head>`,
    );
  });

  it('leaves the page alone for an anonymous visitor', () => {
    expect(renderStorefront('<script src="/xiaoer.js"></script>', null)).toBe('<script src="/xiaoer.js"></script>');
  });
});
