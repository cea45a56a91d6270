"""The Django admin, arranged for editors: triage flags, link statements, rate and publish."""

from django.contrib import admin

from . import articles, claims, configuration, flags, speakers  # noqa: F401  (register)

admin.site.site_header = "Claimdesk"
admin.site.site_title = "Claimdesk"
admin.site.index_title = "Fact-tracking desk"
