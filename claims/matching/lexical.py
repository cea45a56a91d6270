"""Lexical candidate retrieval in PostgreSQL: idf-weighted full-text search over tracked claims."""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field

# How many candidates the database hands to the re-ranker.
CANDIDATES = 100
# At most this many query terms (the rarest) select candidates; common words only re-rank.
SELECT_TERMS = 16
STATS_TTL = 300.0
TSV_ENTRY = re.compile(r"'((?:[^']|'')+)':([0-9A-D,]+)")


@dataclass(slots=True)
class Candidate:
    claim_id: int
    text: str
    title: str
    coord: float  # idf-weighted share of query terms the claim contains
    rank_cd: float
    trigram: float
    word_sim: float  # best trigram match of the claim text inside the query
    title_word_sim: float
    text_tf: dict[str, int] = field(default_factory=dict)
    title_tf: dict[str, int] = field(default_factory=dict)


def parse_tsvector(value: str) -> tuple[dict[str, int], dict[str, int]]:
    """Split a tsvector's text form into term counts for weight A (text) and B (title)."""
    text_tf: dict[str, int] = {}
    title_tf: dict[str, int] = {}
    for lexeme, positions in TSV_ENTRY.findall(value or ""):
        lexeme = lexeme.replace("''", "'")
        for pos in positions.split(","):
            target = title_tf if pos.endswith("B") else text_tf
            target[lexeme] = target.get(lexeme, 0) + 1
    return text_tf, title_tf


def tsquery_term(lexeme: str) -> str:
    """Quote a lexeme as a tsquery operand."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


class DocumentFrequencies:
    """Document frequencies of lexemes, from planner statistics plus exact counts for rare ones."""

    def __init__(self) -> None:
        self._loaded = -math.inf
        self.total = 0
        self.common: dict[str, float] = {}
        self.floor = 0.0

    def reset(self) -> None:
        """Forget cached statistics (after a bulk import)."""
        self._loaded = -math.inf

    def _refresh(self, cursor) -> None:
        if time.monotonic() - self._loaded < STATS_TTL:
            return
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'claims_claim'")
        row = cursor.fetchone()
        estimate = int(row[0]) if row and row[0] and row[0] > 0 else 0
        if estimate < 50_000:
            cursor.execute("SELECT count(*) FROM claims_claim")
            estimate = cursor.fetchone()[0]
        self.total = max(estimate, 1)
        # ANALYZE keeps the most common lexemes of the tsvector column with their frequencies.
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE tablename = 'claims_claim' AND attname = 'search_vector'"
        )
        row = cursor.fetchone()
        self.common, self.floor = {}, 0.0
        if row and row[0]:
            elems, freqs = row
            self.common = {e: f * self.total for e, f in zip(elems, freqs, strict=False)}
            self.floor = min(self.common.values())
        self._loaded = time.monotonic()

    def lookup(self, cursor, lexemes: list[str]) -> dict[str, float]:
        """Return the number of claims containing each lexeme (estimates for common ones)."""
        self._refresh(cursor)
        found = {lex: self.common[lex] for lex in lexemes if lex in self.common}
        rare = [lex for lex in lexemes if lex not in found]
        if rare:
            # A lexeme missing from the statistics is rarer than all listed ones, so counting
            # its rows through the GIN index is cheap; the cap bounds a stale-statistics case.
            cap = max(int(self.floor) + 1, 1000) if self.common else 1_000_000_000
            # One index scan per lexeme; literal queries let the planner use the GIN index.
            sql = " UNION ALL ".join(
                [
                    "SELECT %s, (SELECT count(*) FROM (SELECT 1 FROM claims_claim "
                    "WHERE search_vector @@ %s::tsquery LIMIT %s) hits)"
                ]
                * len(rare)
            )
            params: list = []
            for lex in rare:
                params += [lex, tsquery_term(lex), cap]
            cursor.execute(sql, params)
            found.update({lex: float(n) for lex, n in cursor.fetchall()})
        return found

    def idf(self, df: float) -> float:
        """BM25 inverse document frequency, never negative."""
        return math.log(1 + (self.total - df + 0.5) / (df + 0.5))


FREQUENCIES = DocumentFrequencies()


def query_lexemes(cursor, text: str) -> dict[str, int]:
    """Stem ``text`` the way the claims' search vectors are stemmed; return term counts."""
    cursor.execute(
        "SELECT lexeme, coalesce(array_length(positions, 1), 1) "
        "FROM unnest(to_tsvector('english', %s))",
        [text],
    )
    return dict(cursor.fetchall())


def candidates(
    cursor, text: str, *, limit: int = CANDIDATES, speaker_id: int | None = None
) -> tuple[list[Candidate], dict[str, int], dict[str, float]]:
    """Fetch claims sharing rare terms with ``text``, ordered by idf-weighted term overlap."""
    qtf = query_lexemes(cursor, text)
    if not qtf:
        return [], qtf, {}
    df = FREQUENCIES.lookup(cursor, list(qtf))
    idf = {lex: FREQUENCIES.idf(df.get(lex, 0.0)) for lex in qtf}
    present = [lex for lex in qtf if df.get(lex, 0) > 0]
    if not present:
        return [], qtf, idf
    selecting = sorted(present, key=lambda lex: -idf[lex])[:SELECT_TERMS]
    total_idf = sum(idf[lex] for lex in selecting) or 1.0
    # One boolean test per selecting term, weighted by idf: a coordinate-match score that,
    # unlike ts_rank, prefers claims sharing rare words over claims repeating common ones.
    coord = " + ".join(["(c.search_vector @@ %s::tsquery)::int * %s"] * len(selecting))
    coord_params: list = []
    for lex in selecting:
        coord_params += [tsquery_term(lex), idf[lex] / total_idf]
    or_query = " | ".join(tsquery_term(lex) for lex in selecting)
    speaker_sql = ""
    speaker_params: list = []
    if speaker_id is not None:
        speaker_sql = (
            " AND c.id IN (SELECT claim_id FROM claims_claim_claimants WHERE speaker_id = %s)"
        )
        speaker_params = [speaker_id]
    cursor.execute(
        f"""
        WITH q AS (SELECT %s::tsquery AS query),
        hits AS (
            SELECT c.id, c.text, c.title, c.search_vector, {coord} AS coord
            FROM claims_claim c, q
            WHERE c.search_vector @@ q.query AND c.state <> 'merged'{speaker_sql}
            ORDER BY coord DESC, c.id
            LIMIT %s
        )
        SELECT h.id, h.text, h.title, h.coord, ts_rank_cd(h.search_vector, q.query, 1 | 32),
               similarity(h.text, %s), word_similarity(h.text, %s),
               word_similarity(h.title, %s), h.search_vector::text
        FROM hits h, q
        """,
        [or_query, *coord_params, *speaker_params, limit, text, text, text],
    )
    found = []
    for cid, ctext, title, co, rcd, sim, wsim, twsim, tsv in cursor.fetchall():
        text_tf, title_tf = parse_tsvector(tsv)
        found.append(
            Candidate(
                cid,
                ctext,
                title,
                float(co),
                float(rcd),
                float(sim),
                float(wsim),
                float(twsim),
                text_tf,
                title_tf,
            )
        )
    return found, qtf, idf
