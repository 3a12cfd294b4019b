"""atheris harness: feeds, sitemaps and listing pages through the source adapters' parsers
(the first byte of each input picks which).

    .venv/bin/python fuzz/fuzz_sources.py -max_total_time=60 [corpus_dir]   (or fuzz/run.py for all)
"""

from __future__ import annotations

from _harness import fuzz

if __name__ == "__main__":
    fuzz("feed", "sitemap", "listing")
