"""Signing in: a token for scripts and apps (``POST /api/auth/token/``), the session for the browser (Django's and
DRF's login pages), and ``GET /api/me/``."""

from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.authtoken.models import Token
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.response import Response

from dondoc.tracking import policy

from ..authentication import TokenAuthentication
from ..errors import ApiError
from ..serializers import Me, TokenIn, TokenOut
from .base import ApiView, errors


class TokenView(ApiView):
    # no session here: a login form must not need a CSRF token, and a token is the point of the call
    authentication_classes = [TokenAuthentication]
    permission_classes = [permissions.AllowAny]
    parser_classes = [JSONParser, FormParser]

    @extend_schema(tags=["auth"], summary="Get an API token (Lấy mã truy cập)", request=TokenIn,
                   responses={200: TokenOut, **errors(400)}, auth=[])
    def post(self, request):
        body = TokenIn(data=request.data)
        body.is_valid(raise_exception=True)
        user = authenticate(request._request, **body.validated_data)
        if user is None or not user.is_active:
            raise ApiError("invalid_credentials", "Tên đăng nhập hoặc mật khẩu không đúng.",
                           "Wrong username or password.", status=400)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    @extend_schema(tags=["auth"], summary="Revoke the token in use (Thu hồi mã truy cập)", request=None,
                   responses={204: OpenApiResponse(description="revoked"), **errors(401)})
    def delete(self, request):
        if not request.user.is_authenticated or not isinstance(request.auth, Token):
            raise ApiError("not_authenticated", "Chưa đăng nhập bằng mã truy cập.", "No token was used.", status=401)
        request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(ApiView):
    @extend_schema(tags=["auth"], summary="Who am I (Tài khoản đang dùng)", responses={200: Me, **errors(401)})
    def get(self, request):
        user = request.user
        role = policy.role_of(user)
        profile = getattr(user, "profile", None)
        agency = profile.agency if profile is not None and profile.agency_id else None
        return Response(Me({
            "username": user.get_username(), "role": role,
            "role_label": str(policy.Role(role).label) if role else None,
            "agency": {"id": agency.pk, "name": agency.name} if agency else None,
            "can_ingest": policy.can(user, "ingest"), "can_manage_agencies": policy.can_manage_agencies(user),
        }).data)
