"""Ship the two standard verdict vocabularies."""

from django.db import migrations

from claims.seeds import seed_rating_scales


def seed(apps, schema_editor):
    seed_rating_scales(apps.get_model("claims", "RatingScale"), apps.get_model("claims", "Rating"))


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_database_rules")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
