"""Lighthouse on the shipped course's site, served with gzip as any static host serves it.

``.venv/bin/python bench/lighthouse.py`` builds the shipped course (PDFs off) into a temporary
folder, serves it on 127.0.0.1 with ``bench/gzip_server.py``, and runs Lighthouse from
``tests/node`` (the npm package ``make test`` installs) in Debian's Chromium (``CHROME_PATH``) on
the home, a lesson, the quiz and the checklist pages, with the mobile preset (Lighthouse's
default: a throttled mid-range phone) and the desktop preset. Each page and preset runs
``--runs`` times (default 1) and the median score is kept. Scores print as a table and go to
``bench/lighthouse.json`` (not committed: it depends on the machine). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

from gzip_server import serve  # noqa: E402

LIGHTHOUSE = REPO / "tests" / "node" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
MODULE = "ai-engineers-risk-mitigation"
PAGES = {
    "home": "/",
    "lesson": f"/{MODULE}/how-engineers-mitigate-risks/",
    "quiz": f"/{MODULE}/quiz/",
    "checklist": f"/{MODULE}/checklist/",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def build_site(folder: Path) -> Path:
    """The shipped course's site, built with the repository's configuration (PDFs off)."""
    from tests.conftest import build, copy_course

    project = copy_course(REPO, folder / "course", pdf=False)
    return build(project, strict=True)


def lighthouse(url: str, preset: str, out: Path) -> dict[str, object]:
    """One Lighthouse run: category scores (0-100) and the main timings."""
    command = [
        str(LIGHTHOUSE),
        url,
        f"--chrome-flags={CHROME_FLAGS}",
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    subprocess.run(command, check=True, env=env, timeout=300)
    report = json.loads(out.read_text(encoding="utf-8"))
    scores = {c: round(100 * report["categories"][c]["score"]) for c in CATEGORIES}
    audits = report["audits"]
    timings = {
        name: audits[name]["numericValue"]
        for name in (
            "first-contentful-paint",
            "largest-contentful-paint",
            "total-blocking-time",
            "speed-index",
        )
    }
    return {"scores": scores, "timings_ms": timings}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per page and preset (median)")
    parser.add_argument("--site", type=Path, help="a built site to measure instead of building")
    parser.add_argument(
        "--page",
        action="append",
        metavar="NAME=PATH",
        help="measure these pages of --site instead of the shipped course's (repeatable)",
    )
    args = parser.parse_args()
    pages = dict(p.split("=", 1) for p in args.page) if args.page else PAGES
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `make test`, which installs tests/node")
    work = Path(tempfile.mkdtemp(prefix="coursesmith-lighthouse-"))
    try:
        site = args.site or build_site(work)
        base, server = serve(site)
        results: dict[str, dict[str, object]] = {}
        try:
            for preset in ("mobile", "desktop"):
                for name, path in pages.items():
                    runs = [
                        lighthouse(base + path, preset, work / f"{preset}-{name}-{i}.json")
                        for i in range(args.runs)
                    ]
                    scores = {
                        c: statistics.median(r["scores"][c] for r in runs)  # type: ignore[index]
                        for c in CATEGORIES
                    }
                    results[f"{preset}/{name}"] = {"scores": scores, "runs": runs}
                    print(preset, name, scores, flush=True)
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    (BENCH / "lighthouse.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print("\n| preset | page | performance | accessibility | best practices | SEO |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for key, value in results.items():
        preset, name = key.split("/")
        s = value["scores"]
        assert isinstance(s, dict)
        print(f"| {preset} | {name} | " + " | ".join(f"{s[c]:g}" for c in CATEGORIES) + " |")


if __name__ == "__main__":
    main()
