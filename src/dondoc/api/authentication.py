"""Token authentication in one query.

DRF's ``TokenAuthentication`` reads the token with its user (one query built and compiled on every request), and
then ``policy.role_of`` and ``/api/me/`` read the user's profile (a second query), and for a user with an agency
``policy``'s scope its agency (a third). This one reads the token, the user, the profile and the profile's agency
in one query, compiled once per process (``prepared``), and answers exactly as DRF's does: the same errors for an
unknown token and for an inactive user, the same ``(user, token)`` otherwise. Nothing is kept between requests:
a token deleted, a user deactivated or given another role counts from the next request on.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from . import prepared


def _token_query(key: str):
    from rest_framework.authtoken.models import Token

    return Token.objects.select_related("user", "user__profile", "user__profile__agency").filter(key=key)


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        if self.get_model().__name__ != "Token" or self.get_model()._meta.app_label != "authtoken":
            return super().authenticate_credentials(key)  # a custom token model: DRF's own way
        found = prepared.rows("api.token", _token_query, key)
        if not found:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token = found[0]
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)
