"""atheris harness: HTML pages through extract_article and extract_facts.

.venv/bin/python fuzz/fuzz_extract.py -max_total_time=60 [corpus_dir]   (or fuzz/run.py for all)
"""

from __future__ import annotations

from _harness import fuzz

if __name__ == "__main__":
    fuzz("extract")
