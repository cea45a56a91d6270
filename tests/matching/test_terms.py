"""ClaimTerms, the narrow copy of claims' lexemes that matching scans, follows the claims."""

import pytest
from django.db import connection

from claims import services
from claims.models import Claim, ClaimTerms

pytestmark = pytest.mark.django_db


def terms_of(claim: Claim) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array(SELECT lexeme FROM unnest(terms) ORDER BY lexeme), "
            "terms = strip(terms) FROM claims_claimterms WHERE claim_id = %s",
            [claim.pk],
        )
        row = cursor.fetchone()
    if row is None:
        return set()
    lexemes, without_positions = row
    assert without_positions
    return set(lexemes)


def test_new_claim_gets_the_lexemes_of_its_text_and_title(editor):
    claim = services.create_claim(text="Tariffs raised prices", title="Trade war", by=editor)
    assert terms_of(claim) == {"tariff", "rais", "price", "trade", "war"}


def test_rewording_replaces_the_terms(editor):
    claim = services.create_claim(text="Tariffs raised prices", by=editor)
    Claim.objects.filter(pk=claim.pk).update(text="Wages doubled")
    assert terms_of(claim) == {"wage", "doubl"}
    claim.refresh_from_db()
    claim.title = "Pay"
    claim.save()
    assert terms_of(claim) == {"wage", "doubl", "pay"}


def test_merged_and_deleted_claims_leave_no_terms(editor):
    survivor = services.create_claim(text="Crime doubled in Riverton", by=editor)
    duplicate = services.create_claim(text="Riverton crime has doubled", by=editor)
    services.merge_claims(survivor=survivor, duplicate=duplicate, by=editor)
    assert terms_of(duplicate) == set()
    assert terms_of(survivor)
    other = services.create_claim(text="Bridges are crumbling", by=editor)
    assert ClaimTerms.objects.filter(claim_id=other.pk).exists()
    other.delete()
    assert not ClaimTerms.objects.filter(claim_id=other.pk).exists()
