from django.urls import path

from . import desk, views

app_name = "claims"

urlpatterns = [
    path("claims/<int:pk>/", views.claim_detail, name="claim-detail"),
    path("desk/", desk.desk, name="desk"),
    path("desk/flags/<int:pk>/link/", desk.link, name="desk-link"),
    path("desk/flags/<int:pk>/new-claim/", desk.new_claim, name="desk-new-claim"),
    path("desk/flags/<int:pk>/dismiss/", desk.dismiss, name="desk-dismiss"),
]
