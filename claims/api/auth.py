"""Token login/logout (knox: tokens stored hashed, with expiry) and "who am I"."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox import views as knox_views
from knox.models import get_token_model
from knox.settings import knox_settings
from rest_framework import status
from rest_framework.authentication import BasicAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.serializers import DateTimeField
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from .base import reject_unstorable_query
from .permissions import request_role
from .schema import ERROR_DESCRIPTIONS
from .serializers import ErrorSerializer, LoginSerializer, TokenSerializer, UserSerializer


def _user_data(request, user) -> dict:
    return {"id": user.pk, "username": user.get_username(), "role": request_role(request)}


@extend_schema(tags=["auth"])
class LoginView(APIView):
    """Exchange credentials for an API token (HTTP Basic, or username/password in JSON)."""

    authentication_classes = [BasicAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(
        request=LoginSerializer,
        responses={
            200: TokenSerializer,
            429: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[429]),
        },
        summary="Log in and get a token",
        description="Send `Authorization: Basic …` with an empty body, or a JSON body with "
        "username and password. Use the token as `Authorization: Token <token>`; it expires.",
    )
    def post(self, request) -> Response:
        reject_unstorable_query(request)
        user = request.user if request.user.is_authenticated else None
        if user is None:
            serializer = LoginSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            user = authenticate(
                request,
                username=serializer.validated_data["username"],
                password=serializer.validated_data["password"],
            )
            if user is None or not user.is_active:
                raise AuthenticationFailed("Wrong username or password.")
            request.user = user
        instance, token = get_token_model().objects.create(
            user=user, expiry=knox_settings.TOKEN_TTL, prefix=knox_settings.TOKEN_PREFIX
        )
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        expiry = DateTimeField().to_representation(instance.expiry) if instance.expiry else None
        return Response({"token": token, "expiry": expiry, "user": _user_data(request, user)})


@extend_schema(tags=["auth"])
class LogoutView(knox_views.LogoutView):
    """Revoke the token used for this request."""

    @extend_schema(request=None, responses={204: None}, summary="Revoke this token")
    def post(self, request, format=None) -> Response:
        return super().post(request, format)


@extend_schema(tags=["auth"])
class LogoutAllView(knox_views.LogoutAllView):
    """Revoke every token of the caller."""

    @extend_schema(request=None, responses={204: None}, summary="Revoke all my tokens")
    def post(self, request, format=None) -> Response:
        return super().post(request, format)


@extend_schema(tags=["auth"])
class MeView(APIView):
    """The caller and their role."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: UserSerializer}, summary="Who am I")
    def get(self, request) -> Response:
        reject_unstorable_query(request)
        return Response(_user_data(request, request.user), status=status.HTTP_200_OK)
