"""atheris harness: bytes through the WARC reader (iter_warc_bytes).

.venv/bin/python fuzz/fuzz_warc.py -max_total_time=60 [corpus_dir]   (or fuzz/run.py for all)
"""

from __future__ import annotations

from _harness import fuzz

if __name__ == "__main__":
    fuzz("warc")
