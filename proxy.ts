// Runs before every request (Next.js 16's Proxy, formerly middleware), static files included: refuses Host
// names the server was not started for (DNS rebinding), and gives each response a fresh CSP nonce.
import { NextResponse, type NextRequest } from 'next/server';
import { ALLOWED_HOSTS_ENV, allowedHostsFromEnv, hostAllowed, MISDIRECTED_BODY } from '@/lib/server/allowedHosts';
import { contentSecurityPolicy } from '@/lib/server/contentSecurityPolicy';

let allowed: string[] | null = null;

export function proxy(request: NextRequest): NextResponse {
  allowed ??= allowedHostsFromEnv(process.env[ALLOWED_HOSTS_ENV]);
  if (!hostAllowed(request.headers.get('host'), allowed)) {
    return new NextResponse(MISDIRECTED_BODY, { status: 421, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
  }
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === 'development');
  // Next.js reads the nonce from the request's CSP header while it renders, and stamps its scripts with it.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', csp);
  return response;
}
