// The one Content-Security-Policy for the app, whether the Electron shell or the loopback browser
// host serves it. Everything the renderer needs ships with it: no remote scripts, styles, frames
// or connections. 'unsafe-inline' styles stay allowed because Svelte sets style attributes.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
