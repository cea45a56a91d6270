import json

import pytest
from django.conf import settings
from django.core.management import call_command

from claims.matching import similar_claims
from claims.matching.text import normalise
from claims.services import merge_claims

pytestmark = pytest.mark.django_db


def threshold():
    return settings.CLAIMDESK["REPEAT_THRESHOLD"]


def test_exact_restatement_ranks_first_with_a_high_score(tracked_claims):
    matches = similar_claims("Mexico will pay for the border wall.")
    assert matches[0].claim_id == tracked_claims["c-wall"].pk
    assert matches[0].score >= 0.9


def test_paraphrase_is_found(tracked_claims):
    matches = similar_claims("Did you know the US-Mexico wall is going to be paid for by Mexico?")
    assert matches[0].claim_id == tracked_claims["c-wall"].pk
    assert matches[0].score >= threshold()


def test_unrelated_text_scores_below_the_threshold(tracked_claims):
    matches = similar_claims("The city council approved a new budget for public libraries.")
    assert all(m.score < threshold() for m in matches)


def test_scores_are_between_zero_and_one_and_best_first(tracked_claims):
    matches = similar_claims("children vaccine autism hurricane cocaine Florida", limit=10)
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)


def test_merged_claims_are_excluded(tracked_claims):
    merge_claims(survivor=tracked_claims["c-vaccine"], duplicate=tracked_claims["c-fluoride"])
    matches = similar_claims("Fluoride in drinking water lowers children's IQ.")
    assert tracked_claims["c-fluoride"].pk not in {m.claim_id for m in matches}


def test_empty_or_symbol_only_text_matches_nothing(tracked_claims):
    assert similar_claims("") == []
    assert similar_claims("😀 https://t.co/abc") == []


def test_tweet_with_url_hashtags_and_signature_is_matched(tracked_claims):
    tweet = (
        "Hurricane #Dorian washed up bricks of #cocaine on Florida’s coast 😱 "
        "pic.twitter.com/ApEtNvR7tb — NowThis (@nowthisnews) September 10, 2019"
    )
    assert similar_claims(tweet)[0].claim_id == tracked_claims["c-cocaine"].pk


def test_normalise_splits_hashtags_and_drops_urls_and_emoji():
    text = normalise("#BlackLivesMatter says @realDonaldTrump 🇺🇸 https://t.co/x &amp; more")
    assert text == "Black Lives Matter says real Donald Trump & more"


def test_match_claims_prints_one_line_per_statement(tracked_claims, tmp_path, capsys):
    path = tmp_path / "in.jsonl"
    path.write_text(
        json.dumps({"id": "q1", "text": "Mexico will pay for the border wall"})
        + "\n"
        + json.dumps({"id": 2, "text": "nothing matches zzzz"})
        + "\n",
        encoding="utf-8",
    )
    call_command("match_claims", str(path), "--limit", "2")
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == ["q1", 2]
    first = out[0]["matches"][0]
    assert set(first) == {"external_id", "claim_id", "score"}
    assert first["external_id"] == "c-wall"
    assert len(out[0]["matches"]) <= 2
    assert out[1]["matches"] == []


def test_seed_terms_take_the_rarest_within_the_row_budget():
    from claims.matching.lexical import seed_terms

    df = {"rare": 10.0, "mid": 900.0, "common": 5000.0}
    assert seed_terms(["rare", "mid", "common"], df, 2000) == ["rare", "mid"]
    # The rarest term is always searched, whatever it costs.
    assert seed_terms(["common", "rare"], {"common": 5000.0, "rare": 1.0}, 100) == ["common"]


def test_search_widens_when_the_rarest_terms_find_too_few_claims(tracked_claims, monkeypatch):
    from django.db import connection

    from claims.matching import lexical

    text = "Mexico will pay for the border wall, say children"
    monkeypatch.setattr(lexical, "ROW_BUDGET", 1)
    monkeypatch.setattr(lexical, "WIDEN", 1)
    with connection.cursor() as cursor:
        narrow, _, _ = lexical.candidates(cursor, text)
    monkeypatch.setattr(lexical, "WIDEN", 1000)
    with connection.cursor() as cursor:
        wide, _, _ = lexical.candidates(cursor, text)
    narrow_ids = {c.claim_id for c in narrow}
    wide_ids = {c.claim_id for c in wide}
    assert tracked_claims["c-wall"].pk in narrow_ids
    assert tracked_claims["c-vaccine"].pk not in narrow_ids
    assert {tracked_claims["c-wall"].pk, tracked_claims["c-vaccine"].pk} <= wide_ids
    assert similar_claims(text)[0].claim_id == tracked_claims["c-wall"].pk
