"""The cautious dispute check flagging asks before calling a statement an urgent repeat."""

import pytest

from claims.matching.stance import disputes

CLAIM = "Crime in Riverton has doubled since 2020"


@pytest.mark.parametrize(
    "statement",
    [
        "The city's own figures showed that reported crime had fallen for three years in a row",
        "Crime in Riverton has not doubled since 2020",
        "Crime in Riverton hasn't really doubled",
        "The idea that crime in Riverton doubled is a myth",
    ],
)
def test_plain_disputes_are_recognised(statement):
    assert disputes(statement, CLAIM)


@pytest.mark.parametrize(
    "statement",
    [
        "Crime in Riverton has doubled since 2020",
        "crime in Riverton had doubled since 2020 and that more police were needed",
        "Crime doubled, and nobody is doing anything about it",
        "We cannot wait any longer: crime in Riverton has doubled",
        "Crime in Riverton soared since 2020",
    ],
)
def test_repeats_are_not_taken_for_disputes(statement):
    assert not disputes(statement, CLAIM)


def test_a_claim_that_itself_denies_is_repeated_by_a_denial():
    claim = "Unemployment has not fallen since the election"
    assert not disputes("Unemployment hasn't fallen since the election, she said", claim)
    assert disputes("Unemployment has risen since the election", "Unemployment has fallen")
