from django.urls import path

from . import views

app_name = "claims"

urlpatterns = [
    path("claims/<int:pk>/", views.claim_detail, name="claim-detail"),
]
