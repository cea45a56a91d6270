"""Rule-based claim types, one example family per rule."""

from __future__ import annotations

import pytest

from claims.scoring.types import claim_type


@pytest.mark.parametrize(
    "text",
    [
        "I will cut taxes for every middle-class family.",
        "We're going to build a wall along the southern border.",
        "I promise you that I will never raise your taxes.",
        "My administration will create millions of new jobs.",
        "We have pledged to double funding for research.",
    ],
)
def test_first_person_commitments_are_promises(text: str) -> None:
    assert claim_type(text, 0.7) == "promise"


@pytest.mark.parametrize(
    "text",
    [
        "The deficit will reach two trillion dollars within the next decade.",
        "Prices are expected to rise sharply next year.",
        "I predict that the economy is headed for a recession.",
        "Social Security is going to run out of money by 2035.",
    ],
)
def test_future_statements_about_the_world_are_predictions(text: str) -> None:
    assert claim_type(text, 0.6) == "prediction"


@pytest.mark.parametrize(
    "text",
    [
        "I think he has the wrong approach on foreign policy.",
        "We should be proud of what this country stands for.",
        "That plan is a disaster for working people.",
        "In my opinion the senator is simply not ready to lead.",
    ],
)
def test_evaluations_and_hedged_views_are_opinions(text: str) -> None:
    assert claim_type(text, 0.3) == "opinion"


@pytest.mark.parametrize(
    "text",
    [
        "We lost 700,000 jobs in the last month of that administration.",
        "Unemployment rose to 9 percent in 2009.",
        "I think we spent three billion dollars on that program.",
    ],
)
def test_stated_quantities_are_factual_even_when_hedged(text: str) -> None:
    assert claim_type(text, 0.8) == "factual"


def test_check_worthy_sentence_without_markers_is_factual() -> None:
    assert claim_type("The governor vetoed the minimum wage bill in his state.", 0.7) == "factual"


def test_same_sentence_not_check_worthy_and_neutral_is_other() -> None:
    assert claim_type("The governor and I met in the hallway after lunch.", 0.2) == "other"


@pytest.mark.parametrize(
    "text",
    [
        "Thank you very much.",
        "Good evening, ladies and gentlemen.",
        "What would you do about the deficit?",
        "Yes.",
        "",
    ],
)
def test_questions_greetings_and_fragments_are_other(text: str) -> None:
    assert claim_type(text, 0.9) == "other"
