"""What rebuilding Cyrillic loads in a process is the same model, loaded for less: the letter
trigram costs read from the trie as asked for, pymorphy3's dictionary named by its path."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from transcite.translit import to_cyrillic
from transcite.translit.lexicon import TrigramCosts, lexicon


def test_trigram_costs_read_as_asked_are_the_model_s() -> None:
    chars = lexicon().chars
    whole = {key: value[0] / 10 for key, value in chars.items()}
    lazy = TrigramCosts(chars)
    assert len(whole) > 10_000
    assert all(lazy.get(key, -1.0) == cost for key, cost in whole.items())
    assert lazy.get("qqq", 7.5) == 7.5 and lazy.get("qqq", 1.0) == 1.0     # not in the model


_LOAD = """
import json, sys
from transcite.translit.lexicon import morphology
m = morphology()
print(json.dumps([str(m.dictionary.path), "importlib.metadata" in sys.modules,
                  m.parse("стали")[0].normal_form]))
"""


def _load(env: dict[str, str]) -> list[object]:
    done = subprocess.run([sys.executable, "-c", _LOAD], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_morphology_loads_the_dictionary_pymorphy3_finds_without_scanning_packages() -> None:
    import pymorphy3

    env = {k: v for k, v in os.environ.items() if k != "PYMORPHY2_DICT_PATH"}
    path, scanned, lemma = _load(env)
    assert path == str(pymorphy3.MorphAnalyzer(lang="ru").dictionary.path)
    assert scanned is False
    assert lemma == "стать"


def test_morphology_still_takes_the_dictionary_the_environment_names() -> None:
    import pymorphy3_dicts_ru

    where = pymorphy3_dicts_ru.get_path()
    path, _, lemma = _load({**os.environ, "PYMORPHY2_DICT_PATH": where})
    assert path == where and lemma == "стать"


def test_a_sloppy_romanised_title_is_still_rebuilt() -> None:
    assert to_cyrillic("Rossiya predlozhila Yaponii postroity most").text == \
        "Россия предложила Японии построить мост"
