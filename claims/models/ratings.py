"""Verdict vocabularies: a rating scale per claim type, each rating mapped to ClaimReview."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q


class RatingScale(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(unique=True)
    claim_types = ArrayField(
        models.CharField(max_length=12), default=list, help_text="Claim types this scale rates."
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def verdicts(self) -> list["Rating"]:
        """The ratings that are verdicts: value 0 ("not yet rated") has no ClaimReview value.

        Reads ``ratings.all()``, so a prefetch of ``ratings`` serves it without a query.
        """
        return [rating for rating in self.ratings.all() if rating.value > 0]

    @property
    def best_value(self) -> int | None:
        return max((r.value for r in self.verdicts()), default=None)

    @property
    def worst_value(self) -> int | None:
        return min((r.value for r in self.verdicts()), default=None)


class Rating(models.Model):
    scale = models.ForeignKey(RatingScale, on_delete=models.CASCADE, related_name="ratings")
    label = models.CharField(max_length=100)
    slug = models.SlugField()
    value = models.PositiveSmallIntegerField(
        help_text="ClaimReview ratingValue; 0 means not rated yet (no ClaimReview value)."
    )
    colour = models.CharField(max_length=7, default="#777777", help_text="Hex colour, e.g. #d62728")
    description = models.TextField(blank=True)
    counts_as_false = models.BooleanField(
        default=False, help_text="A repeat of a claim with this rating gets the highest priority."
    )

    class Meta:
        ordering = ["scale", "-value"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "slug"], name="rating_unique_slug_per_scale"),
            models.UniqueConstraint(
                fields=["scale", "value"], name="rating_unique_value_per_scale"
            ),
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="rating_colour_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def text_colour(self) -> str:
        """Near-black or white, whichever contrasts more with ``colour`` (WCAG luminance)."""

        def channel(hex_pair: str) -> float:
            c = int(hex_pair, 16) / 255
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(self.colour[i : i + 2]) for i in (1, 3, 5))
        luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
        # Contrast with white is 1.05 / (L + 0.05), with #1a1a1a (L + 0.05) / 0.0603.
        return "#1a1a1a" if (luminance + 0.05) / 0.0603 > 1.05 / (luminance + 0.05) else "#ffffff"
