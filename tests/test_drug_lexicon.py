"""The drug lexicon: real drugs vs class words and English collisions, brands, classes, user additions,
and the compiled JSON index cache (reused when inputs are unchanged, rebuilt when they change)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from healthlint import lexicon as lexicon_module
from healthlint.lexicon import LexiconDataError, load_lexicon


@pytest.fixture(scope="module")
def lex():
    return load_lexicon()


@pytest.mark.parametrize(
    ("surface", "generic", "brand"),
    [("clonazepam", "clonazepam", False), ("Klonopin", "clonazepam", True), ("VALIUM", "diazepam", True),
     ("Xanax's", "alprazolam", True), ("Tranxene", "clorazepate", True), ("insulin glargine", "insulin glargine", False),
     ("paracetamol", "acetaminophen", False), ("Lipitor", "atorvastatin", True)],
)
def test_lookup_resolves_generic_and_brand(lex, surface, generic, brand):
    entry = lex.lookup(surface)
    assert entry is not None and (entry.generic, entry.is_brand) == (generic, brand)


@pytest.mark.parametrize("word", ["benzodiazepines", "opioids", "GABA", "neurotransmitter", "anticonvulsant", "statins", "can", "dona", "sone", "sodium"])
def test_class_words_and_english_collisions_are_not_drugs(lex, word):
    assert lex.lookup(word) is None


def test_classes_from_mesh_and_curated_yaml(lex):
    assert "benzodiazepine" in lex.classes_of("nitrazepam")  # MeSH tree only
    assert "benzodiazepine" not in lex.classes_of("olanzapine")  # excluded despite its MeSH tree
    assert {"ssri", "antidepressant"} <= lex.classes_of("sertraline")
    assert lex.classes_of("acetaminophen") == {"acetaminophen"}
    assert "klonopin" in lex.brands_of("clonazepam")


def test_english_words_and_confusable_pairs(lex):
    assert lex.is_english("works") and not lex.is_english("klonopin") and not lex.is_english("clonzepam")
    assert lex.confusable("Celexa", "celebrex") and not lex.confusable("sertraline", "fluoxetine")


def test_user_additions_from_config():
    extra = {"drugs": {"Calmazin": {"generic": "clonazepam"}, "zorbitol": {"classes": ["statin"]}}, "not_drugs": ["Valium"]}
    lex = load_lexicon(extra)
    assert lex.lookup("calmazin").generic == "clonazepam" and lex.lookup("calmazin").is_brand
    assert "statin" in lex.lookup("zorbitol").classes
    assert lex.lookup("valium") is None
    assert load_lexicon().lookup("valium") is not None  # additions never leak into the shared lexicon


def test_user_additions_are_key_checked():
    with pytest.raises(LexiconDataError, match="unknown gneric"):
        load_lexicon({"drugs": {"calmazin": {"gneric": "clonazepam"}}})


def test_index_is_json_reused_and_rebuilt_when_inputs_change(tmp_path, monkeypatch):
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path))
    small = {"names": "zorbitol", "entries": "0zorbitol", "classes": {}, "combinations": [], "targets": [], "confused": [], "common_english": 1, "phrase_starts": [], "first_words": []}
    builds = []
    monkeypatch.setattr(lexicon_module, "build_index", lambda: builds.append(1) or (dict(small), "the\nzebra"))
    for key in ("first", "first", "second"):
        monkeypatch.setattr(lexicon_module, "index_key", lambda key=key: key)
        lexicon_module._index.cache_clear()
        lexicon_module._index()
    assert len(builds) == 2  # the second load of "first" read the cache
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["drug-lexicon-second.json", "drug-lexicon-second.sqlite"]  # stale index removed
    assert json.loads((tmp_path / "drug-lexicon-second.json").read_text())["names"] == small["names"]
    lexicon_module._index.cache_clear()


def test_warm_load_never_rebuilds():
    """With the index cached, a fresh process loads it without touching the package's dictionary."""
    load_lexicon()  # make sure the cache exists
    code = (
        "import time, healthlint.lexicon as L\n"
        "L.build_index = lambda: (_ for _ in ()).throw(AssertionError('rebuilt'))\n"
        "start = time.perf_counter(); lex = L.load_lexicon(); print(time.perf_counter() - start)\n"
        "assert lex.lookup('klonopin').generic == 'clonazepam'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert float(result.stdout.split()[-1]) < 8.0, result.stdout  # a rebuild takes 15-20 s; a warm load ~0.2 s


def test_config_lexicon_entries_are_key_checked_at_load():
    from healthlint.config import ConfigError, parse_config

    with pytest.raises(ConfigError, match="lexicon.drugs.calmazin: unknown key gneric"):
        parse_config({"lexicon": {"drugs": {"calmazin": {"gneric": "clonazepam"}}}})
