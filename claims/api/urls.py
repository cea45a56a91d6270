"""Routes under /api/."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from . import auth, exports, feeds, views
from .errors import not_found_json

app_name = "api"


class Router(DefaultRouter):
    include_root_view = False
    include_format_suffixes = False


router = Router()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("statements", views.StatementViewSet, basename="statement")
router.register("speakers", views.SpeakerViewSet, basename="speaker")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("sources", views.SourceViewSet, basename="source")
router.register("rating-scales", views.RatingScaleViewSet, basename="ratingscale")
router.register("ratings", views.RatingViewSet, basename="rating")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("outlets", views.OutletViewSet, basename="outlet")
router.register("flags", views.FlagViewSet, basename="flag")
router.register("feeds", views.FeedViewSet, basename="feed")
router.register("webhooks", views.WebhookViewSet, basename="webhook")
router.register("webhook-deliveries", views.WebhookDeliveryViewSet, basename="webhookdelivery")

urlpatterns = [
    path("auth/login/", auth.LoginView.as_view(), name="login"),
    path("auth/logout/", auth.LogoutView.as_view(), name="logout"),
    path("auth/logoutall/", auth.LogoutAllView.as_view(), name="logoutall"),
    path("auth/me/", auth.MeView.as_view(), name="me"),
    path("claimreviews/", feeds.ClaimReviewFeed.as_view(), name="claimreview-feed"),
    path("exports/claims.csv", exports.ClaimCSVExport.as_view(), name="export-claims-csv"),
    path("exports/claims.jsonl", exports.ClaimJSONLExport.as_view(), name="export-claims-jsonl"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
    # Unknown /api/ paths answer in the API's JSON error shape, not an HTML page.
    re_path(r"^.*$", not_found_json, name="not-found"),
]
