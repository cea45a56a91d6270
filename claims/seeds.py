"""The standard verdict vocabularies every desk starts with."""

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
SCALES = [
    ("truth", "Truth-O-Meter", ["factual", "prediction", "flip_flop"], TRUTH),
    ("promise", "Promise meter", ["promise"], PROMISE),
]


def seed_rating_scales(rating_scale_model, rating_model) -> None:
    """Create the standard scales and ratings where missing (idempotent; edits are kept)."""
    for slug, name, claim_types, ratings in SCALES:
        scale, _ = rating_scale_model.objects.get_or_create(
            slug=slug, defaults={"name": name, "claim_types": claim_types}
        )
        for r_slug, label, value, colour, counts_as_false in ratings:
            rating_model.objects.get_or_create(
                scale=scale,
                slug=r_slug,
                defaults={
                    "label": label,
                    "value": value,
                    "colour": colour,
                    "counts_as_false": counts_as_false,
                },
            )


def ensure_rating_scales(**kwargs) -> None:
    """post_migrate hook: also restores the scales after a database flush (tests, resets)."""
    from claims.models import Rating, RatingScale

    seed_rating_scales(RatingScale, Rating)
