"""Security headers the settings cannot express: a Content-Security-Policy for the web pages.

The pages load only dondoc's own scripts and style sheets (no inline scripts, no CDN), so the policy allows
``'self'`` alone. The Django admin and the API's documentation pages keep their own behaviour (they use inline
scripts of their own), so the header is set on the web app's responses only."""

from __future__ import annotations

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
          "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'")


class ContentSecurityPolicy:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.app_name == "web" and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = POLICY
        return response
