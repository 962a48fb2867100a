// The dashboard's Content-Security-Policy, which its pages meet: scripts only with this response's nonce (Next.js
// puts it on its own scripts). The fixed headers (nosniff, frame denial) are in next.config.js.

/**
 * The policy for one response. `script-src` trusts the nonce and what nonced scripts load ('strict-dynamic');
 * inline `style` attributes (React and Recharts set them on SVG elements) are allowed, inline <style> elements
 * only with the nonce. No upgrade-insecure-requests: the dashboard is plain HTTP on a LAN address too.
 */
export function contentSecurityPolicy(nonce: string, dev = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
