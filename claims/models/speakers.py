"""Who says things: people, organisations and unnamed groups."""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


def name_key(name: str) -> str:
    """Return the normalised form used to recognise the same speaker name."""
    return " ".join(name.replace("’", "'").split()).casefold()


class SpeakerQuerySet(models.QuerySet):
    def matching_name(self, name: str):
        """Speakers whose name or one of whose aliases is ``name`` (case-insensitive)."""
        key = name_key(name)
        return self.filter(Q(name_key=key) | Q(alias_keys__contains=[key]))


class Speaker(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"
        GROUP = "group", "Unnamed group"

    name = models.CharField(max_length=300)
    name_key = models.CharField(max_length=300, editable=False, db_index=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.PERSON)
    aliases = ArrayField(models.CharField(max_length=300), default=list, blank=True)
    alias_keys = ArrayField(models.CharField(max_length=300), default=list, editable=False)
    external_id = models.CharField(
        "external id", max_length=64, blank=True, help_text="e.g. a Wikidata QID such as Q123"
    )
    description = models.TextField(blank=True)
    verified = models.BooleanField(
        default=False, help_text="Checked by an editor (unverified speakers come from extraction)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = SpeakerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [GinIndex(fields=["alias_keys"], name="speaker_alias_keys_gin")]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="speaker_unique_external_id",
            ),
            # Extraction creates unverified speakers by name; two workers racing on the same new
            # name must end with one row.
            models.UniqueConstraint(
                fields=["name_key"],
                condition=Q(verified=False),
                name="speaker_unique_unverified_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_key = name_key(self.name)
        self.alias_keys = [name_key(a) for a in self.aliases if a.strip()]
        super().save(*args, **kwargs)


class SpeakerRole(models.Model):
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="roles")
    office = models.CharField(max_length=300, help_text="e.g. President")
    organisation = models.CharField(max_length=300, blank=True, help_text="e.g. Syria")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="speaker_role_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office}, {self.organisation}" if self.organisation else self.office
