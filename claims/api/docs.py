"""Interactive docs that work offline: Swagger UI assets served from drf-spectacular-sidecar."""

from __future__ import annotations

from pathlib import Path

import drf_spectacular_sidecar
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.static import serve

ASSETS = Path(drf_spectacular_sidecar.__file__).parent / "static" / "drf_spectacular_sidecar"


@cache_control(public=True, max_age=86400)
def docs_asset(request: HttpRequest, path: str) -> HttpResponse:
    """Serve a Swagger UI file without needing the sidecar app in INSTALLED_APPS/collectstatic."""
    return serve(request, path, document_root=str(ASSETS))
