"""Train the CRF sequence tagger that ships as ``src/transcite/data/parser.crfsuite``.

Training data: anystyle's core.xml and good.xml, ParsCit's tagged files, and the hand-labelled
Russian lines in tools/data/russian-labelled.txt. anystyle's gold.xml is the evaluation set and is
held out: any training string equal to a gold string (letters and digits compared) is dropped.

    python tools/train_parser.py --shared ../shared/data            # build the shipped model
    python tools/train_parser.py --shared ../shared/data --dev 0.1  # also report dev accuracy
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from transcite.parse import training as T

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--out", default=str(ROOT / "src" / "transcite" / "data" / "parser.crfsuite"))
    ap.add_argument("--dev", type=float, default=0.0, help="share held out as a dev set")
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3, help="copies of the Russian lines")
    args = ap.parse_args()
    shared = Path(args.shared)
    gold = [T.example_text(ex) for ex in T.read_anystyle(shared / "anystyle" / "gold.xml")]
    corpora = [T.read_anystyle(shared / "anystyle" / "core.xml"),
               T.read_anystyle(shared / "anystyle" / "good.xml")]
    corpora += [T.read_parscit(p) for p in sorted((shared / "parscit").glob("*.tagged.txt"))]
    local = T.read_parscit(HERE / "data" / "russian-labelled.txt")
    data = list(T.examples(corpora, exclude=gold))
    random.Random(4).shuffle(data)
    n_dev = int(len(data) * args.dev)
    dev, train = data[:n_dev], data[n_dev:]
    # the hand-labelled Russian lines are few: they are all trained on, several times over
    train += local * args.repeat
    t0 = time.perf_counter()
    n = T.train(train, args.out, c1=args.c1, c2=args.c2, max_iterations=args.iterations)
    print(f"trained on {n} examples in {time.perf_counter() - t0:.0f} s -> {args.out}")
    if dev:
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open(args.out)
        right = total = 0
        for ex in dev:
            x, y = T.to_sequence(ex)
            pred = tagger.tag(x)
            right += sum(a == b for a, b in zip(pred, y))
            total += len(y)
        print(f"dev token accuracy {right / total:.4f} on {len(dev)} examples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
