"""Security headers Django's SecurityMiddleware does not set: Content-Security-Policy and Permissions-Policy.

Every page gets a strict policy (no inline script or style, nothing from other origins). Three areas relax
exactly what they need, and nothing else: the Django admin's widgets set inline style attributes, Swagger UI /
Redoc boot from inline scripts and run a worker from a blob, and the OAuth consent form's answer goes back to
the platform that asked. Uploaded files and badge images are sandboxed: opened on their own they are documents
(an SVG, or a file a browser would sniff as HTML) that must run nothing and load nothing.
"""

from django.conf import settings

STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
RELAXED = {
    "/admin/": {"style-src": "'self' 'unsafe-inline'"},
    # The consent form posts here, and the answer redirects to the platform's registered (https) redirect URI;
    # browsers apply form-action to that redirect too.
    "/oauth/authorize/": {"form-action": "'self' https:"},
    "/api/v1/docs/": {"script-src": "'self' 'unsafe-inline'", "style-src": "'self' 'unsafe-inline'"},
    "/api/v1/redoc/": {
        "script-src": "'self' 'unsafe-inline'",
        "style-src": "'self' 'unsafe-inline'",
        "worker-src": "'self' blob:",
    },
}
SANDBOXED = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


def policy_for(path: str) -> str:
    if path.startswith("/" + settings.MEDIA_URL.lstrip("/")):
        return SANDBOXED
    directives = dict(STRICT)
    for prefix, overrides in RELAXED.items():
        if path.startswith(prefix):
            directives.update(overrides)
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", policy_for(request.path))
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
