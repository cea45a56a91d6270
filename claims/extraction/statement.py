"""The Statement record returned by the extractor."""

from __future__ import annotations

from dataclasses import asdict, dataclass

PRODUCT_KEYS = (
    "kind",
    "text",
    "start",
    "end",
    "cue",
    "cue_start",
    "cue_end",
    "speaker_mention",
    "speaker_start",
    "speaker_end",
    "speaker",
)


@dataclass(frozen=True, slots=True)
class Statement:
    """One attributed statement; every span is a character range into the article text.

    For a direct quote ``text`` is the words inside the quotation marks; for a quote split by its
    attribution ("A," he said, "B.") it runs from the first to the last quoted word and ``parts``
    lists the quoted pieces.
    """

    kind: str  # "direct" | "indirect" | "mixed"
    text: str
    start: int
    end: int
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    speaker_mention: str | None
    speaker_start: int | None
    speaker_end: int | None
    speaker: str | None  # fullest name the article gives for the speaker
    speaker_kind: str | None = None  # "person" | "organisation" | "group" (a guess)
    attribution_chain: str | None = None  # "cited by the Reuters and AFP news agencies"
    parts: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict:
        """The product keys plus the extras, JSON-ready."""
        d = asdict(self)
        d["parts"] = [list(p) for p in self.parts]
        return d
