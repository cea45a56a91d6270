from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claimdesk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from claims.roles import ensure_roles
        from claims.seeds import ensure_rating_scales

        post_migrate.connect(ensure_roles, sender=self)
        post_migrate.connect(ensure_rating_scales, sender=self)
