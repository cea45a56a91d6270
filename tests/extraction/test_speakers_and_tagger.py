"""Speaker resolution inside an article and the learned cue/source tagger (no Django needed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from claims.extraction import Statement, extract
from claims.extraction import tagger as tagger_mod
from claims.extraction.text import tokenize

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "claims" / "demo"


def by_text(statements: list[Statement], needle: str) -> Statement:
    found = [s for s in statements if needle in s.text]
    assert found, f"no statement containing {needle!r} in {[s.text for s in statements]}"
    return found[0]


@pytest.fixture(scope="module")
def sharaa() -> tuple[str, list[Statement]]:
    text = (DEMO / "sharaa_moscow.txt").read_text(encoding="utf-8")
    return text, extract(text)


@pytest.fixture(scope="module")
def riverton() -> tuple[str, list[Statement]]:
    text = (DEMO / "riverton_budget.txt").read_text(encoding="utf-8")
    return text, extract(text)


# -- names ------------------------------------------------------------------------------------


def test_surname_with_lowercase_particle_resolves_to_full_name(sharaa) -> None:
    s = by_text(sharaa[1], "We respect all agreements")
    assert (s.kind, s.cue, s.speaker_mention, s.speaker) == (
        "direct",
        "told",
        "al-Sharaa",
        "Ahmed al-Sharaa",
    )


@pytest.mark.parametrize("particle", ["bin", "van", "de"])
def test_particle_surnames_keep_the_person(particle: str) -> None:
    text = (
        f"Finance minister Karim {particle} Laden arrived on Monday.\n\n"
        f'"The budget is balanced," {particle} Laden told reporters.'
    )
    s = by_text(extract(text), "budget is balanced")
    assert s.speaker == f"Karim {particle} Laden"


def test_title_is_not_part_of_the_speaker_name(sharaa) -> None:
    s = by_text(sharaa[1], "two leaders had discussed")
    assert s.speaker_mention == "Kremlin spokesman Dmitry Peskov"
    assert s.speaker == "Dmitry Peskov"
    assert by_text(sharaa[1], "All issues related").speaker == "Dmitry Peskov"


def test_description_then_name_apposition_gives_the_name() -> None:
    text = (
        "Clinton's campaign chairman, John Podesta, said in a statement: "
        '"Tonight, Donald Trump painted a dark picture of an America in decline."'
    )
    s = by_text(extract(text), "dark picture")
    assert s.kind == "direct"
    assert s.speaker == "John Podesta"


# -- pronouns and role descriptions --------------------------------------------------------------


def test_pronoun_resolves_to_most_recent_person_mention_not_earlier_speaker(riverton) -> None:
    s = by_text(riverton[1], "own figures showed")
    assert s.speaker_mention == "He"
    assert s.speaker == "Tom Becker"


def test_pronoun_after_alias_paragraph_resolves_to_the_person(sharaa) -> None:
    s = by_text(sharaa[1], "We are trying")
    assert s.kind == "direct"
    assert s.text.endswith("nature of these relations.")
    assert s.speaker == "Ahmed al-Sharaa"


def test_gendered_pronoun_skips_incompatible_recent_mention() -> None:
    text = (
        "Mrs. Angela Merkel met Mr. Emmanuel Macron in Berlin. She said the talks had been useful."
    )
    s = by_text(extract(text), "talks had been useful")
    assert s.speaker == "Angela Merkel"


def test_state_office_description_resolves_to_the_titled_person_from_that_state() -> None:
    text = (
        "Iowa Sen. Joni Ernst spoke first. Florida Sen. Marco Rubio spoke next. "
        "Sen. Joni Ernst left early.\n\n"
        '"We will win Florida," the Florida senator said. '
        '"Iowa is ours," the Iowa senator said. '
        '"We never give up," the senator said.'
    )
    statements = extract(text)
    assert by_text(statements, "win Florida").speaker == "Marco Rubio"
    assert by_text(statements, "Iowa is ours").speaker == "Joni Ernst"
    assert by_text(statements, "never give up").speaker == "Joni Ernst"  # the last one named


def test_short_form_of_an_organisation_resolves_to_its_name_as_written() -> None:
    text = (
        "The Trump campaign said it would appeal the ruling. Later, the campaign said the "
        "judge was biased. A new CNN/ORC poll found that 85% of Democrats back Clinton. "
        "The poll also shows that Trump is gaining."
    )
    statements = extract(text)
    assert by_text(statements, "appeal the ruling").speaker == "Trump campaign"
    assert by_text(statements, "judge was biased").speaker == "Trump campaign"
    assert by_text(statements, "85% of Democrats").speaker == "CNN/ORC poll"
    assert by_text(statements, "Trump is gaining").speaker == "CNN/ORC poll"


@pytest.mark.parametrize(
    ("text", "speaker", "kind"),
    [
        (
            "Sen. Chuck Grassley and Sen. Patrick J. Leahy wrote to the agency. "
            "Mr. Grassley and Mr. Leahy said developers had dodged the rules.",
            "Chuck Grassley and Patrick J. Leahy",
            "group",
        ),
        (
            "Donald Trump and Hillary Clinton met on Monday. Trump and Clinton said it went well.",
            "Donald Trump and Hillary Clinton",
            "group",
        ),
        ("Johnson & Johnson said it would appeal.", "Johnson & Johnson", "organisation"),
        (
            "The Bill and Melinda Gates Foundation said it would help.",
            "Bill and Melinda Gates Foundation",
            "organisation",
        ),
    ],
)
def test_two_people_named_together_are_both_the_speaker(text, speaker, kind) -> None:
    # Not the last conjunct alone ("Patrick J. Leahy") nor every capitalised word as one
    # person ("Trump Clinton"); a firm's "X & Y" and a foundation keep their names.
    s = extract(text)[-1]
    assert (s.speaker, s.speaker_kind) == (speaker, kind)


def test_a_pronoun_is_not_the_person_named_at_the_start_of_what_it_says() -> None:
    text = (
        "White House spokesman Josh Earnest said Monday that President Barack Obama has long "
        "called for tax fairness. He said Obama hopes his successor will push for the same goals."
    )
    s = by_text(extract(text), "Obama hopes his successor will push for the same goals")
    assert (s.speaker_mention, s.speaker) == ("He", "Josh Earnest")


def test_a_title_case_headline_does_not_make_people_of_its_words() -> None:
    text = (
        "Clinton Says Russians Hacked DNC\n\n"
        "Hillary Clinton spoke on Sunday. Clinton said the hack raised serious issues."
    )
    s = by_text(extract(text), "the hack raised serious issues")
    assert s.speaker == "Hillary Clinton"  # not "Clinton Says Russians Hacked DNC"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Sen. Lindsey Graham (R-S.C.) has been critical of Trump. "
            "In June, the South Carolina senator said the party was lost.",
            "Lindsey Graham",
        ),
        (
            "Sen. Ted Cruz (R-TX) and Sen. Marco Rubio (R-Fla.) spoke. "
            "The Florida senator said he was ready.",
            "Marco Rubio",
        ),
    ],
)
def test_a_state_office_description_finds_the_lawmaker_by_the_party_state_tag(text, speaker):
    assert extract(text)[-1].speaker == speaker


@pytest.mark.parametrize(
    "text",
    [
        "A reporter for USA Today said the bus was full.",
        "A spokesman for Democratic presidential candidate Hillary Clinton said it was ready.",
    ],
)
def test_someone_described_by_whom_they_work_for_is_not_that_name(text) -> None:
    s = extract(text)[0]
    assert (s.speaker, s.speaker_kind) == (None, "person")


def test_participle_after_the_attribution_does_not_frame_the_quotation_again(sharaa) -> None:
    _, statements = sharaa
    quoted = [s for s in statements if "We respect all agreements" in s.text]
    assert [(s.kind, s.cue, s.speaker) for s in quoted] == [("direct", "told", "Ahmed al-Sharaa")]


def test_it_resolves_to_the_last_organisation_and_an_event_title_is_not_a_person() -> None:
    text = (
        "The Kremlin said on Monday that talks would continue. It added that no date was set."
        '\n\nClinton spoke at a "Commander-in-Chief Forum" and said she would win.'
    )
    statements = extract(text)
    assert by_text(statements, "no date was set").speaker == "Kremlin"
    assert by_text(statements, "she would win").speaker == "Clinton"


def test_a_description_after_a_possessive_names_nobody_but_a_name_there_is_kept() -> None:
    text = (
        "The Senate's top Republican said the vote would go ahead. "
        "The Post's Dana Milbank wrote that the votes were there."
    )
    statements = extract(text)
    assert by_text(statements, "the vote would go ahead").speaker is None
    assert by_text(statements, "the votes were there").speaker == "Dana Milbank"


@pytest.mark.parametrize(
    ("mention", "speaker", "kind"),
    [
        ("Gary Black of the Future Fund", "Gary Black", "person"),
        ("Meenakshi Ganguly of Human Rights Watch", "Meenakshi Ganguly", "person"),
        ("Sen. Bernie Sanders of Vermont", "Bernie Sanders", "person"),
        ("The Communications Workers of America", "Communications Workers of America", None),
        ("The Hollywood Chamber of Commerce", "Hollywood Chamber of Commerce", "organisation"),
        ("Secretary of State John Kerry", "John Kerry", "person"),
    ],
)
def test_a_name_before_of_is_the_person_and_a_body_named_with_of_is_kept_whole(
    mention: str, speaker: str, kind: str | None
) -> None:
    [s] = extract(f"{mention} said the deal was bad.")
    assert s.speaker == speaker
    if kind:
        assert s.speaker_kind == kind


def test_it_after_a_one_word_name_of_nobody_in_particular_is_that_organisation() -> None:
    """News names people in full; "Boeing", with no first name, title or gender, that "It"
    takes up is a company, and the last organisation before it ("the Kremlin") is not meant."""
    text = (
        "The Kremlin said the talks would go on. Boeing declined to comment on the contracts. "
        "It said earlier that it was reviewing them."
    )
    statements = extract(text)
    s = by_text(statements, "it was reviewing them")
    assert (s.speaker_mention, s.speaker, s.speaker_kind) == ("It", "Boeing", "organisation")
    # and the statement before "It" showed what Boeing is gets that kind too
    assert by_text(statements, "the contracts").speaker_kind == "organisation"


def test_a_role_opening_a_sentence_resolves_to_the_person_introduced_with_a_place() -> None:
    statements = extract(
        "California Gov. Gavin Newsom on Tuesday unveiled a plan. "
        "The governor said the plan would cut permitting times in half."
    )
    assert by_text(statements, "cut permitting times").speaker == "Gavin Newsom"


def test_a_poll_is_named_without_the_participle_that_describes_it() -> None:
    statements = extract(
        "A CBS poll released Monday found that Clinton led by four points. "
        "The poll also showed that turnout would be high."
    )
    assert by_text(statements, "Clinton led").speaker == "CBS poll"
    assert by_text(statements, "turnout would be high").speaker == "CBS poll"


@pytest.mark.parametrize("group", ["Demonstrators", "Investors", "Respondents"])
def test_a_plural_of_people_opening_a_sentence_is_a_group(group: str) -> None:
    [s] = extract(f"{group} said they wanted answers.")
    assert (s.speaker_mention, s.speaker_kind) == (group, "group")


def test_a_one_word_speaker_that_says_it_would_is_an_organisation() -> None:
    statements = extract(
        'Ford said it would cut prices on its electric pickup. Ford said, "It is a hard market."'
    )
    assert by_text(statements, "it would cut prices").speaker_kind == "organisation"


def test_a_quotation_opening_with_it_says_nothing_of_the_speaker_kind() -> None:
    [s] = extract('Clinton said, "It doesn\'t make any sense."')
    assert s.speaker_kind == "person"


def test_it_never_takes_up_a_person_named_with_a_first_name_or_a_plural() -> None:
    text = (
        "The Kremlin said the talks would go on. Iranians doubted the plan. "
        "Donald Trump criticised it. It said later that no date was set."
    )
    assert by_text(extract(text), "no date was set").speaker == "Kremlin"


def test_role_description_with_trailing_according_to_is_one_statement_with_chain(sharaa) -> None:
    _text, statements = sharaa
    in_sentence = [s for s in statements if "Damascus would honour" in s.text]
    assert len(in_sentence) == 1
    s = in_sentence[0]
    assert s.kind == "indirect"
    assert s.cue == "assured"
    assert s.speaker_mention == "The Syrian leader"
    assert s.speaker == "Ahmed al-Sharaa"
    assert s.attribution_chain == "according to a statement released by his office"
    assert "according to" not in s.text
    assert not any(s.speaker_mention == "a statement released" for s in statements)


# -- frames -------------------------------------------------------------------------------------


def test_appositive_between_subject_and_cue_gives_mixed_statement(sharaa) -> None:
    s = by_text(sharaa[1], "balanced relations")
    assert s.kind == "mixed"
    assert s.cue == "said"
    assert s.text.startswith("his government wanted")
    assert s.speaker_mention.startswith("Al-Sharaa")
    assert s.speaker == "Ahmed al-Sharaa"
    assert not any("once known as" in x.text for x in sharaa[1])


def test_participle_adjective_is_not_a_cue(riverton) -> None:
    _text, statements = riverton
    assert not any(s.cue == "reported" for s in statements)
    assert not any(s.speaker_mention == "that" for s in statements)


def test_statement_noun_phrase_is_one_cue() -> None:
    s = by_text(extract("Trump issued a statement saying the decision was a disgrace."), "disgrace")
    assert (s.cue, s.speaker, s.text) == (
        "issued a statement saying",
        "Trump",
        "the decision was a disgrace",
    )


def test_participle_subject_stops_before_its_verb() -> None:
    text = "A federal judge sided with the Democrats, saying the law violated the Constitution."
    s = by_text(extract(text), "law violated")
    assert s.speaker_mention == "A federal judge"
    assert s.cue == "saying"


def test_whole_quotation_after_said_in_a_statement_is_direct() -> None:
    text = 'The senator said in a statement on Friday: "We will not back this bill."'
    s = by_text(extract(text), "We will not back")
    assert s.kind == "direct"
    assert s.text == "We will not back this bill."


# -- learned tagger -----------------------------------------------------------------------------


def test_model_ships_and_tags_cues_and_sources() -> None:
    assert tagger_mod.load() is not None
    text = "Kremlin spokesman Dmitry Peskov told reporters that the talks went well."
    toks = tokenize(text)
    cues, prob, sources = tagger_mod.tag(toks, [])
    assert len(prob) == len(toks)
    assert any(toks[a].text == "told" for a, _ in cues)
    assert any(toks[b - 1].text == "Peskov" for _, b in sources)


def test_learned_cue_beyond_the_lexicon_is_extracted() -> None:
    text = "A federal judge sided with the Democrats in the voting case."
    s = by_text(extract(text), "the Democrats")
    assert s.cue == "sided with"
    assert s.speaker_mention == "A federal judge"


def test_model_loads_quickly_in_a_fresh_process() -> None:
    code = (
        "import time; t = time.perf_counter(); from claims.extraction import tagger; "
        "assert tagger.load() is not None; print(time.perf_counter() - t)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert float(proc.stdout) < 2.0  # about 0.1-0.4 s; generous for a shared machine


def test_a_stacked_cue_pass_loads_and_a_zero_correction_changes_nothing(monkeypatch) -> None:
    """Files with a stacked second cue pass (``w_cue2``) load and tag; old files tag in one pass."""
    import numpy as np

    with np.load(tagger_mod.MODEL_PATH) as f:
        data = {k: f[k] for k in f.files if not k.startswith(("w_cue2", "stack_"))}
    one = tagger_mod.Model(data)  # the shipped file without its second pass
    assert one.w_cue2 is None
    text = "The senator wants the bill passed, and she would like a vote, aides said on Friday."
    toks = tokenize(text)
    base, off, aux = one.base_features(toks, np.zeros(len(toks), dtype=bool))
    _, rows = tagger_mod.stack_features(
        base, off, aux, np.zeros(len(toks), dtype=bool), one.cue_scores(base), with_base=False
    )
    stacked = tagger_mod.Model(
        {**data, "w_cue2": np.zeros((rows, 3)), "stack_residual": np.array(True)}
    )
    monkeypatch.setattr(tagger_mod, "load", lambda: one)
    expected = tagger_mod.tag(toks, [])
    monkeypatch.setattr(tagger_mod, "load", lambda: stacked)
    got = tagger_mod.tag(toks, [])
    assert got[0] == expected[0]
    assert got[2] == expected[2]
    assert np.allclose(got[1], expected[1])


def _random_neural_pass(
    rng, *, dim: int = 6, lam: float = 1.0, prefix: str = "nn_", sizes=(10, 5, 4), dense=None
):
    """A small NeuralCuePass with random weights (by default vocabularies of 10 words, 5
    suffixes, 4 shapes and the cue pass's dense inputs), as ``prefix`` model-file arrays."""
    import numpy as np

    def r(*shape):
        return rng.normal(size=shape).astype(np.float32)

    data = {
        "emb_word": r(sizes[0], 3),
        "emb_suf": r(sizes[1], 2),
        "emb_shape": r(sizes[2], 2),
        "w_in": r(3 + 2 + 2 + (dense or tagger_mod.N_DENSE), dim),
        "b_in": r(dim),
        "dilations": np.array([1, 2]),
        "w_conv0": r(3, dim, dim),
        "b_conv0": r(dim),
        "w_conv1": r(3, dim, dim),
        "b_conv1": r(dim),
        "w_out": r(2 * dim, 3),
        "b_out": r(3),
        "lambda": np.array(lam),
    }
    if prefix == "nn_":
        data["replaces_linear"] = np.array(False)
    data = {prefix + k: v for k, v in data.items()}
    return tagger_mod.NeuralCuePass(data, prefix), data


def test_the_neural_cue_pass_computes_its_dilated_convolutions_and_sentence_maximum() -> None:
    """The vectorised forward pass against a token-by-token reading of the same network."""
    import numpy as np

    rng = np.random.default_rng(0)
    net, w = _random_neural_pass(rng)
    n = 9
    word, suf, shp = rng.integers(0, 10, n), rng.integers(0, 5, n), rng.integers(0, 4, n)
    dense = rng.normal(size=(n, tagger_mod.N_DENSE)).astype(np.float32)
    sent = np.array([0, 0, 0, 0, 1, 1, 1, 2, 2])

    x = np.concatenate(
        [w["nn_emb_word"][word], w["nn_emb_suf"][suf], w["nn_emb_shape"][shp], dense], 1
    )
    h = np.maximum(x @ w["nn_w_in"] + w["nn_b_in"], 0)
    for layer, d in enumerate((1, 2)):
        conv = np.zeros_like(h)
        for i in range(n):
            for tap, j in enumerate((i - d, i, i + d)):
                if 0 <= j < n:  # zeros beyond the article's ends
                    conv[i] += h[j] @ w[f"nn_w_conv{layer}"][tap]
            conv[i] += w[f"nn_b_conv{layer}"]
        h = h + np.maximum(conv, 0)
    smax = np.stack([h[sent == sent[i]].max(axis=0) for i in range(n)])
    expected = np.concatenate([h, smax], 1) @ w["nn_w_out"] + w["nn_b_out"]

    assert np.allclose(net.forward(word, suf, shp, dense, sent), expected, atol=1e-4)


def test_the_neural_cue_pass_reads_pretrained_word_vectors_of_lower_cased_words() -> None:
    """A file with ``nn_glove_*`` arrays: a token's frozen vector (row 0, zeros, for a word
    without one) enters the input layer between its own embeddings and the dense inputs."""
    import numpy as np

    rng = np.random.default_rng(2)
    _, w = _random_neural_pass(rng)
    vecs = rng.normal(size=(2, 4)).astype(np.float32)
    w_in = rng.normal(size=(3 + 2 + 2 + 4 + tagger_mod.N_DENSE, 6)).astype(np.float32)
    net = tagger_mod.NeuralCuePass({**w, "nn_glove_vecs": vecs, "nn_w_in": w_in})
    with np.load(tagger_mod.MODEL_PATH) as f:
        data = {k: f[k] for k in f.files if not k.startswith("nn_")}
    model = tagger_mod.Model({**data, "glove_words": np.array(["decried", "quipped"])})
    glove = np.array([model.ids(text)[5] for text in ("Quipped", "decried", "said")])
    assert glove.tolist() == [2, 1, 0]

    word, suf, shp = np.array([1, 2, 3]), np.array([0, 1, 2]), np.array([1, 1, 0])
    dense = rng.normal(size=(3, tagger_mod.N_DENSE)).astype(np.float32)
    sent = np.zeros(3, dtype=np.int64)
    # Words without a vector read zeros: the same as a network without the vectors' rows.
    w_in_without = np.vstack([w_in[:7], w_in[11:]])
    without = tagger_mod.NeuralCuePass({**w, "nn_w_in": w_in_without})
    none = np.zeros(3, dtype=np.int64)
    assert np.allclose(
        net.forward(word, suf, shp, dense, sent, none),
        without.forward(word, suf, shp, dense, sent),
        atol=1e-5,
    )
    # A vector is the input it should be: moving it into the bias of that pass gives the same
    # output for a one-token sentence.
    one = (word[:1], suf[:1], shp[:1], dense[:1], sent[:1])
    bias = w["nn_b_in"] + vecs[1] @ w_in[7:11]  # "quipped": row 2, vector 1
    moved = tagger_mod.NeuralCuePass({**w, "nn_w_in": w_in_without, "nn_b_in": bias})
    assert np.allclose(net.forward(*one, glove[:1]), moved.forward(*one), atol=1e-5)
    assert not np.allclose(net.forward(*one, glove[:1]), without.forward(*one))


def test_a_neural_cue_pass_with_a_zero_output_changes_nothing(monkeypatch) -> None:
    """Files with the neural pass (``nn_*`` arrays) load and tag; a zero correction is a no-op."""
    import numpy as np

    with np.load(tagger_mod.MODEL_PATH) as f:
        data = {k: f[k] for k in f.files if not k.startswith("nn_")}
    plain = tagger_mod.Model(data)
    assert plain.neural is None
    _, nn = _random_neural_pass(np.random.default_rng(1))
    nn["nn_emb_word"] = np.zeros((plain.nv, 3), dtype=np.float32)
    nn["nn_emb_suf"] = np.zeros((plain.ns, 2), dtype=np.float32)
    nn["nn_emb_shape"] = np.zeros((plain.nh, 2), dtype=np.float32)
    nn["nn_w_out"][:] = 0
    nn["nn_b_out"][:] = 0
    neural = tagger_mod.Model({**data, **nn})
    assert neural.neural is not None
    toks = tokenize("The senator wants the bill passed, and she would like a vote, aides said.")
    monkeypatch.setattr(tagger_mod, "load", lambda: plain)
    expected = tagger_mod.tag(toks, [])
    monkeypatch.setattr(tagger_mod, "load", lambda: neural)
    got = tagger_mod.tag(toks, [])
    assert (got[0], got[2]) == (expected[0], expected[2])
    assert np.allclose(got[1], expected[1])


def test_a_neural_source_pass_adds_lambda_times_its_output_to_the_source_scores(
    monkeypatch,
) -> None:
    """Files with ``ns_*`` arrays add lam x the CNN's output (over the source inputs) to the
    source scores and leave the cues alone; files without them score sources as before."""
    import numpy as np

    with np.load(tagger_mod.MODEL_PATH) as f:
        data = {k: f[k] for k in f.files if not k.startswith("ns_")}
    plain = tagger_mod.Model(data)
    assert plain.neural_src is None
    net, ns = _random_neural_pass(
        np.random.default_rng(3),
        lam=0.5,
        prefix="ns_",
        sizes=(plain.nv, plain.ns, plain.nh),
        dense=tagger_mod.N_SRC_DENSE,
    )
    neural = tagger_mod.Model({**data, **ns})
    assert neural.neural_src is not None
    assert neural.neural is not None

    text = "Kremlin spokesman Dmitry Peskov told reporters that the talks went well, he added."
    toks = tokenize(text)
    iq = np.zeros(len(toks), dtype=bool)
    base, off, aux = plain.base_features(toks, iq)
    cue_scores = plain.cue_pass(base, off, aux, iq)[1]
    cues = tagger_mod.decode(cue_scores)
    words = [t.text for t in toks]
    told, he = words.index("told"), words.index("he")
    assert cues == [(told, told + 1), (he + 1, he + 2)]  # "told", "added"
    cue = np.zeros(len(toks), dtype=bool)
    cue[[told, he + 1]] = True
    feats, _ = plain.src_features(base, off, aux, cue)
    old = plain.src_scores(feats)  # the source scores without the neural pass
    assert np.array_equal(plain.source_pass(base, off, aux, cue_scores, cues), old)

    # The dense inputs: the scores, the cue flags and the closeness to the cues ("Peskov" and
    # "reporters" next to "told", "Kremlin" 4 tokens before it; "reporters" 8 tokens and a
    # comma before "added", "he" next to it and 8 tokens and a comma after "told").
    start = cue.copy()
    dense = tagger_mod.neural_src_dense(feats, off, aux.columns, cue_scores, start, old)
    assert dense.shape == (len(toks), tagger_mod.N_SRC_DENSE)
    assert np.allclose(dense[:, 3], tagger_mod._not_o(old), atol=1e-6)
    assert np.allclose(dense[:, 7], tagger_mod._not_o(cue_scores), atol=1e-6)
    assert dense[:, 8].tolist() == cue.tolist()
    assert dense[:, 9].tolist() == start.tolist()
    assert dense[told - 1, 10:14].tolist() == [1, 0, 0, 0]  # cue right, adjacent
    assert dense[0, 10:14].tolist() == pytest.approx([6 / 9, 0, 0, 0])
    assert dense[told + 1, 10:14].tolist() == pytest.approx([3 / 9, 1, 1, 0])
    assert dense[he, 10:14].tolist() == pytest.approx([1, 0, 3 / 9, 1])
    assert dense[told, 10:14].tolist() == [0, 0, 0, 0]

    word, suf, shp = tagger_mod.neural_ids(plain, base)
    delta = net.forward(word, suf, shp, dense, aux.sent)
    assert np.abs(delta).max() > 0.1
    got = neural.source_pass(base, off, aux, cue_scores, cues)
    assert np.allclose(got, old + 0.5 * delta, atol=1e-5)

    monkeypatch.setattr(tagger_mod, "load", lambda: plain)
    before = tagger_mod.tag(toks, [])
    assert before[2] == tagger_mod.decode(old)
    monkeypatch.setattr(tagger_mod, "load", lambda: neural)
    after = tagger_mod.tag(toks, [])
    assert after[0] == before[0]
    assert after[1] == before[1]
    assert after[2] == tagger_mod.decode(old + 0.5 * delta) != before[2]


def test_the_neural_source_pass_corrects_only_sentences_near_a_cue_as_a_whole_run_would() -> None:
    """Sentences without a likely cue keep the source model's scores; the others get exactly
    the correction the CNN gives when it reads the whole article (it reads ``reach`` tokens
    either side of them)."""
    import numpy as np

    model = tagger_mod.load()
    net = model.neural_src
    assert net is not None
    assert net.reach == sum(net.dilations)
    text = (
        "The committee met on Tuesday in the old hall near the river bank. "
        "Its chairman said that the budget would pass before the end of the month. "
        "The weather was cold and the roads along the coast were closed all day."
    )
    toks = tokenize(text)
    iq = np.zeros(len(toks), dtype=bool)
    base, off, aux = model.base_features(toks, iq)
    cue_scores = model.cue_pass(base, off, aux, iq)[1]
    cues = tagger_mod.decode(cue_scores)
    said = [t.text for t in toks].index("said")
    assert cues == [(said, said + 1)]
    inside, start = tagger_mod.cue_marks(len(toks), cues)
    feats, _ = model.src_features(base, off, aux, inside)
    plain = model.src_scores(feats)
    dense = tagger_mod.neural_src_dense(feats, off, aux.columns, cue_scores, start, plain)
    whole = net.forward(*tagger_mod.neural_ids(model, base), dense, aux.sent, aux.glove)

    got = model.source_pass(base, off, aux, cue_scores, cues)
    middle = aux.sent == aux.sent[said]
    assert 0 < middle.sum() < len(toks)
    assert np.array_equal(got[~middle], plain[~middle])
    assert np.allclose(got[middle], (plain + net.lam * whole)[middle], atol=1e-5)
    assert not np.allclose(got[middle], plain[middle])


def test_packed_linear_scores_are_the_sums_of_each_labels_feature_weights() -> None:
    import numpy as np

    rng = np.random.default_rng(5)
    w = rng.normal(size=(1000, 3)).astype(np.float32)
    feats = rng.integers(0, 1000, size=(37, 11))
    got = tagger_mod._score(tagger_mod.pack_weights(w), feats)
    assert got.shape == (37, 3)
    assert np.allclose(got, w[feats].sum(axis=1), atol=1e-5)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            '"This is a waste of time," said Rep. Elijah Cummings of Maryland, the ranking Democrat.',
            "Elijah Cummings",
        ),
        (
            '"It is destroying this committee," said Del. Stacey Plaskett of the Virgin Islands.',
            "Stacey Plaskett",
        ),
        ("Sen. Ted Cruz of Texas said he would vote no.", "Ted Cruz"),
        ("Secretary of State John Kerry said the talks would resume.", "John Kerry"),
    ],
)
def test_a_place_after_a_persons_name_is_not_part_of_it(text: str, speaker: str) -> None:
    """ "Rep. Elijah Cummings of Maryland" is Elijah Cummings ("Del." is a title too); the "of"
    of a title before the name is no place."""
    assert [s.speaker for s in extract(text)] == [speaker]


def test_a_title_case_headline_with_a_full_stop_names_no_one() -> None:
    """ "Trump Says His Health Plan Will Work For Everyone." is a headline (its capitalised words
    are common words the article writes in lower case), not a person "Trump Says His ...": the
    speaker of "Trump said" is the Donald Trump of the body."""
    text = (
        "Trump Says His Health Plan Will Work For Everyone.\n\n"
        'Donald Trump says his health plan will work. "It will work for everyone," Trump said.'
    )
    assert {s.speaker for s in extract(text)} == {"Donald Trump"}
    sentence = "Donald Trump and Hillary Clinton spoke on Monday. Clinton said the plan would fail."
    assert [s.speaker for s in extract(sentence)][-1] == "Hillary Clinton"


def test_a_surname_named_before_the_full_name_is_that_person() -> None:
    """A headline's bare "Trump" and the body's "Donald Trump" are one person, named in full;
    with two people of that surname the bare one stays unresolved."""
    text = (
        "Trump: NFL has gone soft.\n\n"
        "RENO, Nev. (AP) - Republican presidential hopeful Donald Trump says he does not watch "
        'football much anymore. "The game has gone soft," Trump said.'
    )
    assert [s.speaker for s in extract(text)] == ["Donald Trump", "Donald Trump"]
    text = (
        "Clinton: we will win.\n\n"
        'Bill Clinton campaigned for Hillary Clinton on Monday. "We will win," Clinton said.'
    )
    assert [s.speaker for s in extract(text)] == ["Clinton"]


def test_a_title_of_the_other_gender_is_another_person_of_that_surname() -> None:
    """ "Mrs. Clinton" after "Bill Clinton" is not him: the article's woman of that surname."""
    text = (
        "Donald Trump once defended Bill Clinton. Hillary Clinton left the White House in 2001. "
        "Mr. Clinton said he would campaign. Mrs. Clinton said she welcomed the help."
    )
    got = {s.speaker_mention: s.speaker for s in extract(text) if s.cue == "said"}
    assert got == {"Mr. Clinton": "Bill Clinton", "Mrs. Clinton": "Hillary Clinton"}


@pytest.mark.parametrize(
    ("text", "speaker", "kind"),
    [
        (
            "A Federal Aviation Administration spokesperson said inspectors would stay.",
            None,
            "person",
        ),
        ("Two White House officials said the deal was close.", None, "group"),
        (
            "Boeing Chief Executive Kelly Ortberg told employees the work would take years.",
            "Kelly Ortberg",
            "person",
        ),
        (
            "The Podesta Group's CEO, Kimberley Fritts, said the firm was cooperating.",
            "Kimberley Fritts",
            "person",
        ),
        (
            "Former Hewlett-Packard CEO Carly Fiorina spoke in Iowa. "
            "The former CEO of Hewlett-Packard said the plan would fail.",
            "Carly Fiorina",
            "person",
        ),
        (
            "The president of the Communications Workers of America said the deal was bad.",
            None,
            "person",
        ),
        (
            "Her party, the National Rally, said in a statement that it would vote no.",
            "National Rally",
            "organisation",
        ),
    ],
)
def test_roles_and_affiliations_name_the_person_or_no_one(text: str, speaker, kind) -> None:
    """An unnamed affiliate ("a White House official") is no organisation; "the CEO of X" is
    the person introduced as X's CEO, or no one; a name after the role and a comma is the
    speaker's."""
    s = [s for s in extract(text) if s.cue.startswith(("said", "told"))][-1]
    assert (s.speaker, s.speaker_kind) == (speaker, kind)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            'NATO Secretary General Mark Rutte welcomed the announcement. "This is exactly the'
            ' leadership we need," the former Dutch prime minister wrote on X.',
            "Mark Rutte",
        ),
        (
            "Donald Trump said on Monday that the plan would fail. The billionaire businessman"
            " added that he would fight it in court.",
            "Donald Trump",
        ),
        # The person last mentioned (Pence) is not the one who spoke last: no one.
        (
            "Donald Trump said on Monday that the plan would fail. He spoke shortly after Mike"
            " Pence arrived in Ohio. The billionaire businessman added that he would fight it.",
            None,
        ),
    ],
)
def test_a_description_that_names_no_role_given_before_is_the_person_written_about(
    text: str, speaker
) -> None:
    """News varies how it names the person it writes about: a description the article gave
    no one ("the former Dutch prime minister") is the person last mentioned when that person
    also spoke last."""
    s = [s for s in extract(text) if s.speaker_mention.lower().startswith("the ")][-1]
    assert s.speaker == speaker


def test_an_organisation_named_only_by_its_kind_has_no_name() -> None:
    """ "The company said" with no company named before: "company" is no speaker's name, nor
    is it one when "it" refers back; "the campaign" after "the Trump campaign" is named, and
    an unnamed group ("Syrian officials") is a speaker of its own."""
    text = (
        "The company said the cuts would mostly affect engineering roles. It added that talks"
        " would begin next week. The Trump campaign said it would appeal. The campaign said"
        " the ruling was wrong. Syrian officials said the road was open."
    )
    got = [(s.speaker_mention, s.speaker, s.speaker_kind) for s in extract(text)]
    assert got == [
        ("The company", None, "organisation"),
        ("It", None, "organisation"),
        ("The Trump campaign", "Trump campaign", "organisation"),
        ("The campaign", "Trump campaign", "organisation"),
        ("Syrian officials", "Syrian officials", "group"),
    ]


def test_british_titles_without_a_full_stop_and_knighthoods() -> None:
    """ "Mrs Badenoch" is Kemi Badenoch; "Sir Keir Starmer" is Keir Starmer."""
    text = (
        "Prime Minister Sir Keir Starmer said talks would go on. Conservative leader Kemi "
        "Badenoch disagreed. Mrs Badenoch said Labour had no plan."
    )
    got = [s.speaker for s in extract(text) if s.cue == "said"]
    assert got == ["Keir Starmer", "Kemi Badenoch"]


def test_a_description_before_a_persons_name_is_not_part_of_it() -> None:
    """ "Retired neurosurgeon Ben Carson" is Ben Carson; an organisation's name keeps its
    adjective."""
    text = "Retired neurosurgeon Ben Carson said the plan would fail."
    assert [s.speaker for s in extract(text)] == ["Ben Carson"]
    text = "The Republican Party said the rules would not change."
    assert [s.speaker for s in extract(text)] == ["Republican Party"]


def test_you_names_no_one() -> None:
    [s] = extract("You said the plan would work, and it did.")
    assert (s.speaker_mention, s.speaker, s.speaker_kind) == ("You", None, "person")


def test_countries_and_platforms_are_organisations() -> None:
    """ "Russia said", "Twitter reported": speakers, but no person a pronoun could mean."""
    got = {
        (s.speaker, s.speaker_kind)
        for s in extract("Russia said the talks would go on, Twitter reported.")
    }
    assert got == {("Russia", "organisation"), ("Twitter", "organisation")}


def test_a_headline_first_paragraph_names_no_one() -> None:
    """The article's one-sentence title-case first paragraph is a headline, numbers aside
    ("5-Word"): "Trump Launched A ..." is no person."""
    text = (
        "Right After The Debate, Trump Launched A 6-Word Missile That Buried Jeb.\n\n"
        "Donald Trump dismissed the report. Trump said it was wrong."
    )
    assert {s.speaker for s in extract(text)} == {"Donald Trump"}


def test_extractor_works_without_the_model(monkeypatch) -> None:
    monkeypatch.setattr(tagger_mod, "load", lambda: None)
    s = by_text(extract('"We are ready," said Vladimir Putin.'), "We are ready")
    assert s.speaker == "Vladimir Putin"


def test_dash_attribution_after_a_quotation() -> None:
    text = (
        "“He speaks his mind, and that is what the country needs.” ― Maria Gonzalez\n\n"
        "The vote – a close one – passed on Tuesday."
    )
    statements = extract(text)
    s = by_text(statements, "speaks his mind")
    assert (s.kind, s.cue, s.speaker) == ("direct", "―", "Maria Gonzalez")
    assert len(statements) == 1


def test_a_date_in_the_mention_is_not_the_speakers_name() -> None:
    (s,) = [x for x in extract("A CNN poll in January found that Clinton leads in Ohio.") if x.cue]
    assert s.speaker == "CNN poll"


def test_a_participle_and_a_date_after_the_subject_leave_the_cue_its_speaker() -> None:
    text = (
        "Voters want to know what is in his returns. A Quinnipiac University poll released in "
        "late August found that 74 percent of likely voters said he should release them."
    )
    s = next(x for x in extract(text) if x.cue == "found")
    assert s.speaker_mention == "A Quinnipiac University poll"


def test_a_pronoun_answering_a_question_is_not_someone_named_in_it() -> None:
    text = (
        "Syria's President Ahmed al-Sharaa said on Wednesday that ties with Russia were strong. "
        "Asked whether Syria would seek the extradition of Bashar al-Assad, he said the matter would be "
        "raised later."
    )
    s = next(x for x in extract(text) if x.speaker_mention == "he")
    assert s.speaker == "Ahmed al-Sharaa"


def test_a_society_is_an_organisation_named_whole_with_its_acronym() -> None:
    text = (
        "According to the Society of Motor Manufacturers and Traders (SMMT), electric cars "
        "made up 18% of new registrations last year."
    )
    (s,) = extract(text)
    assert s.speaker_mention == "the Society of Motor Manufacturers and Traders (SMMT)"
    assert (s.speaker, s.speaker_kind) == (
        "Society of Motor Manufacturers and Traders",
        "organisation",
    )
    assert s.text == "electric cars made up 18% of new registrations last year"
