import json

import pytest
from django.core.management import call_command

from claims.matching.importing import import_claims
from claims.models import Claim

pytestmark = pytest.mark.django_db


def line(**fields):
    return json.dumps(fields)


def test_reimport_updates_text_and_creates_nothing_twice():
    first = import_claims(
        [line(external_id="a", text="Old text", title="T"), line(external_id="b", text="B")]
    )
    second = import_claims(
        [line(external_id="a", text="New text", title="T2"), line(external_id="b", text="B")]
    )
    assert (first.created, first.updated) == (2, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 1, 1)
    claim = Claim.objects.get(external_id="a")
    assert (claim.text, claim.title, claim.version) == ("New text", "T2", 2)
    assert Claim.objects.count() == 2


def test_bad_lines_are_reported_and_do_not_stop_the_import():
    report = import_claims(
        [
            "not json",
            line(text="no id"),
            line(external_id="x"),
            "[1, 2]",
            line(external_id="ok", text="Fine"),
        ]
    )
    assert report.created == 1
    assert [n for n, _ in report.skipped] == [1, 2, 3, 4]
    assert "not JSON" in report.skipped[0][1]
    assert "no external_id" in report.skipped[1][1]


def test_ratings_resolve_by_label_slug_or_alias_and_unknown_ones_are_reported():
    report = import_claims(
        [
            line(external_id="1", text="One", rating="Pants on fire"),
            line(external_id="2", text="Two", rating="barely-true"),
            line(external_id="3", text="Three", rating="pants-fire"),
            line(external_id="4", text="Four", rating="wobbly"),
        ]
    )
    slugs = dict(Claim.objects.values_list("external_id", "rating__slug"))
    assert slugs == {"1": "pants-on-fire", "2": "mostly-false", "3": "pants-on-fire", "4": None}
    assert report.unknown_ratings == {"wobbly": 1}


def test_speaker_becomes_a_claimant():
    import_claims(
        [line(external_id="s", text="A claim", speaker="Jane Q. Public", url="https://x.example/1")]
    )
    claim = Claim.objects.get(external_id="s")
    assert [s.name for s in claim.claimants.all()] == ["Jane Q. Public"]
    assert claim.external_url == "https://x.example/1"


def test_import_command_prints_a_summary(tmp_path, capsys):
    path = tmp_path / "claims.jsonl"
    path.write_text(line(external_id="a", text="A") + "\nbroken\n", encoding="utf-8")
    call_command("import_claims", str(path))
    err = capsys.readouterr().err
    assert "created 1, updated 0, unchanged 0, skipped 1" in err
    assert "line 2: skipped" in err
