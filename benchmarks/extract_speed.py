"""Extraction speed and memory over a corpus, against word segmentation as a yardstick.

    python benchmarks/extract_speed.py [CORPUS_DIR ...] [--rounds N]

Reads every *.txt / *.md under the given folders (default: ../shared/corpus), extracts each in
this one process on one core, and prints characters per second (best of N rounds, after a warm-up
that loads the language data), peak resident memory of the extraction phase, and the same text
run through ``underthesea.word_tokenize`` (when installed: ``./dev bench`` installs it) as the
ratio "extraction is X times faster than just word-segmenting the text".
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def load_texts(folders: list[Path]) -> list[str]:
    files = sorted(p for folder in folders for p in folder.rglob("*") if p.suffix in {".txt", ".md"})
    if not files:
        sys.exit(f"no .txt/.md files under {', '.join(map(str, folders))}")
    return [p.read_text(encoding="utf-8") for p in files]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def best_rate(run, texts: list[str], rounds: int) -> tuple[float, float]:
    """(best seconds, chars per second) over rounds."""
    chars = sum(map(len, texts))
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        for text in texts:
            run(text)
        best = min(best, time.perf_counter() - t0)
    return best, chars / best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", type=Path, default=[DEFAULT_CORPUS])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    texts = load_texts(args.folders)
    chars = sum(map(len, texts))
    print(f"corpus: {len(texts)} documents, {chars:,} characters")

    from dondoc.extract import extract_text

    tasks = sum(len(extract_text(t).tasks) for t in texts)  # warm-up: loads data, compiles patterns
    seconds, rate = best_rate(extract_text, texts, args.rounds)
    rss_extract = peak_rss_mb()
    print(f"extraction: {tasks} tasks; best of {args.rounds}: {seconds:.3f} s = {rate:,.0f} chars/s "
          f"({seconds / len(texts) * 1000:.2f} ms per document)")
    print(f"peak memory of the process (max RSS) after extraction: {rss_extract:.0f} MB")

    try:
        from underthesea import word_tokenize
    except ImportError:
        print("underthesea not installed: no segmentation yardstick (./dev bench installs it)")
        return 0
    word_tokenize(texts[0])  # warm-up
    seg_seconds, seg_rate = best_rate(word_tokenize, texts, 1)
    print(f"underthesea.word_tokenize: {seg_seconds:.3f} s = {seg_rate:,.0f} chars/s")
    print(f"extraction is {seg_seconds / seconds:.1f}x faster than word segmentation alone")
    return 0


if __name__ == "__main__":
    sys.exit(main())
