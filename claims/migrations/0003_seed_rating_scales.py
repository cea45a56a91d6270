"""Ship the two standard verdict vocabularies."""

from django.db import migrations

TRUTH = [
    # slug, label, ClaimReview value, colour, counts as false
    ("true", "True", 6, "#1a9850", False),
    ("mostly-true", "Mostly true", 5, "#91cf60", False),
    ("half-true", "Half true", 4, "#fee08b", False),
    ("mostly-false", "Mostly false", 3, "#fc8d59", True),
    ("false", "False", 2, "#d73027", True),
    ("pants-on-fire", "Pants on fire", 1, "#a50026", True),
]
PROMISE = [
    ("kept", "Kept", 5, "#1a9850", False),
    ("compromise", "Compromise", 4, "#91cf60", False),
    ("in-the-works", "In the works", 3, "#fee08b", False),
    ("stalled", "Stalled", 2, "#fc8d59", False),
    ("broken", "Broken", 1, "#d73027", False),
    ("not-yet-rated", "Not yet rated", 0, "#999999", False),
]


def seed(apps, schema_editor):
    RatingScale = apps.get_model("claims", "RatingScale")
    Rating = apps.get_model("claims", "Rating")
    for slug, name, types, ratings in [
        ("truth", "Truth-O-Meter", ["factual", "prediction", "flip_flop"], TRUTH),
        ("promise", "Promise meter", ["promise"], PROMISE),
    ]:
        scale, _ = RatingScale.objects.get_or_create(
            slug=slug, defaults={"name": name, "claim_types": types}
        )
        for r_slug, label, value, colour, counts_as_false in ratings:
            Rating.objects.get_or_create(
                scale=scale,
                slug=r_slug,
                defaults={
                    "label": label,
                    "value": value,
                    "colour": colour,
                    "counts_as_false": counts_as_false,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_database_rules")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
