"""Lexical candidate retrieval in PostgreSQL: idf-weighted full-text search over tracked claims."""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field

# How many candidates the database hands to the re-ranker.
CANDIDATES = 100
# The rarest this many query terms count in coord, the overlap candidates are ordered by.
SELECT_TERMS = 16
# Candidates come from claims containing the rarest query terms: at least SEED_TERMS of them,
# more while their document frequencies add up to no more than ROW_BUDGET rows to score;
# WIDEN times that when too few claims were found.
SEED_TERMS = 1
ROW_BUDGET = 4000
WIDEN = 8
# However common the rarest term, no more rows than this are scored (which ones is arbitrary):
# it bounds the time of a statement made only of common words.
SCAN_CAP = 8000
STATS_TTL = 300.0
CACHE_COUNTS_FROM = 50
# Lexemes outside the planner's statistics are counted up to this many claims.
COUNT_CAP = 1000
CACHED_COUNTS = 200_000
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
    embedding: bytes | None = None  # stored sentence embedding (see embedding.py), if any


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
        # Exact counts of lexemes outside the statistics, kept as long as the statistics; only
        # counts worth caching (CACHE_COUNTS_FROM or more rows to count), so that a new rare
        # word is seen at once.
        self.counted: dict[str, float] = {}

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
        self.counted = {}
        if row and row[0]:
            elems, freqs = row
            self.common = {e: f * self.total for e, f in zip(elems, freqs, strict=False)}
            self.floor = min(self.common.values())
        self._loaded = time.monotonic()

    def lookup(self, cursor, lexemes: list[str]) -> dict[str, float]:
        """Return the number of claims containing each lexeme (estimates for common ones)."""
        self._refresh(cursor)
        found = {lex: self.common[lex] for lex in lexemes if lex in self.common}
        found.update({lex: self.counted[lex] for lex in lexemes if lex in self.counted})
        rare = [lex for lex in lexemes if lex not in found]
        if rare:
            # A lexeme missing from the statistics is rarer than all listed ones, so counting
            # its rows through the GIN index is cheap; each counted row costs a heap visit, so
            # counting stops at COUNT_CAP (the idf of a lexeme in more claims barely differs).
            cap = COUNT_CAP if self.common else 1_000_000_000
            # One index scan per lexeme; literal queries let the planner use the GIN index.
            sql = " UNION ALL ".join(
                [
                    "SELECT %s, (SELECT count(*) FROM (SELECT 1 FROM claims_claimterms "
                    "WHERE terms @@ %s::tsquery LIMIT %s) hits)"
                ]
                * len(rare)
            )
            params: list = []
            for lex in rare:
                params += [lex, tsquery_term(lex), cap]
            cursor.execute(sql, params)
            counts = {lex: float(n) for lex, n in cursor.fetchall()}
            found.update(counts)
            if len(self.counted) < CACHED_COUNTS:
                self.counted.update({k: n for k, n in counts.items() if n >= CACHE_COUNTS_FROM})
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


def seed_terms(selecting: list[str], df: dict[str, float], budget: float) -> list[str]:
    """The rarest selecting terms whose claims (by document frequency) fit in ``budget`` rows.

    ``selecting`` is ordered rarest first; at least SEED_TERMS are taken whatever they cost.
    """
    seeds: list[str] = []
    rows = 0.0
    for lex in selecting:
        if len(seeds) >= SEED_TERMS and rows + df.get(lex, 0.0) > budget:
            break
        seeds.append(lex)
        rows += df.get(lex, 0.0)
    return seeds


def candidates(
    cursor, text: str, *, limit: int = CANDIDATES, speaker_id: int | None = None
) -> tuple[list[Candidate], dict[str, int], dict[str, float]]:
    """Fetch claims sharing rare terms with ``text``, ordered by idf-weighted term overlap.

    Two stages keep the rows scored bounded on a large corpus: claims containing the rarest
    terms (as many as ROW_BUDGET allows) are ranked by their overlap with all selecting terms;
    only when that finds fewer than ``limit`` claims are more common terms let in.
    """
    qtf = query_lexemes(cursor, text)
    if not qtf:
        return [], qtf, {}
    df = FREQUENCIES.lookup(cursor, list(qtf))
    idf = {lex: FREQUENCIES.idf(df.get(lex, 0.0)) for lex in qtf}
    present = [lex for lex in qtf if df.get(lex, 0) > 0]
    if not present:
        return [], qtf, idf
    selecting = sorted(present, key=lambda lex: (-idf[lex], lex))[:SELECT_TERMS]
    seeds = seed_terms(selecting, df, ROW_BUDGET)
    found = _fetch(cursor, text, selecting, seeds, idf, limit, speaker_id)
    if len(found) < limit and len(seeds) < len(selecting):
        wider = seed_terms(selecting, df, ROW_BUDGET * WIDEN)
        if len(wider) > len(seeds):
            found = _fetch(cursor, text, selecting, wider, idf, limit, speaker_id)
    return found, qtf, idf


def _fetch(
    cursor,
    text: str,
    selecting: list[str],
    seeds: list[str],
    idf: dict[str, float],
    limit: int,
    speaker_id: int | None,
) -> list[Candidate]:
    # Candidates are found and scored in claims_claimterms, a narrow copy of the claims' terms
    # (models.ClaimTerms) whose rows stay in PostgreSQL's buffers; only the chosen ones are
    # read from claims_claim.
    total_idf = sum(idf[lex] for lex in selecting) or 1.0
    # One boolean test per selecting term, weighted by idf: a coordinate-match score that,
    # unlike ts_rank, prefers claims sharing rare words over claims repeating common ones.
    coord = " + ".join(["(c.terms @@ %s::tsquery)::int * %s::float8"] * len(selecting))
    coord_params: list = []
    for lex in selecting:
        coord_params += [tsquery_term(lex), idf[lex] / total_idf]
    seed_query = " | ".join(tsquery_term(lex) for lex in seeds)
    all_query = " | ".join(tsquery_term(lex) for lex in selecting)
    speaker_sql = ""
    speaker_params: list = []
    if speaker_id is not None:
        speaker_sql = (
            " AND c.claim_id IN (SELECT claim_id FROM claims_claim_claimants WHERE speaker_id = %s)"
        )
        speaker_params = [speaker_id]
    cursor.execute(
        f"""
        WITH q AS (SELECT %s::tsquery AS query),
        hits AS MATERIALIZED (
            SELECT c.id, {coord} AS coord
            FROM (
                SELECT c.claim_id AS id, c.terms FROM claims_claimterms c
                WHERE c.terms @@ %s::tsquery{speaker_sql}
                LIMIT %s
            ) c
            ORDER BY coord DESC, c.id
            LIMIT %s
        )
        SELECT c.id, c.text, c.title, h.coord, ts_rank_cd(c.search_vector, q.query, 1 | 32),
               similarity(c.text, %s), word_similarity(c.text, %s),
               word_similarity(c.title, %s), c.search_vector::text, c.embedding
        FROM hits h JOIN claims_claim c ON c.id = h.id, q
        """,
        [all_query, *coord_params, seed_query, *speaker_params, SCAN_CAP, limit, text, text, text],
    )
    found = []
    for cid, ctext, title, co, rcd, sim, wsim, twsim, tsv, emb in cursor.fetchall():
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
                None if emb is None else bytes(emb),
            )
        )
    return found
