"""Coursesmith benchmarks: build cost against plain MkDocs, scale, preview latency and sizes.

Run with ``make bench`` (or ``.venv/bin/python bench/run.py``). Every build runs in its own child
process, so peak memory (``ru_maxrss``) belongs to that build alone, and the generator's build
alternates with a plain ``mkdocs build`` of the same pages so both meet the same machine state.
Results are printed as a table and written to ``bench/results.json``.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import yaml

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

from synthetic import write_course  # noqa: E402

from generator.source.diagnostics import Diagnostics  # noqa: E402
from generator.source.yaml_nodes import compose  # noqa: E402

SIZES = (10, 100, 1000)
PREVIEW_SIZES = (200, 1000)
PAGE_LIMIT = 80_000
ASSETS = ("quiz.js", "quiz.css", "checklist.js", "checklist.css")
ASSET_LIMIT = 15_000


# --- configurations ---------------------------------------------------------------------------


def generator_config(project: Path) -> Path:
    """The repo's mkdocs.yml pointed at ``project``'s content, PDFs off."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = [
        {"coursesmith": {"pdf": False}} if p == "coursesmith" else p for p in config["plugins"]
    ]
    config["docs_dir"] = str(REPO / "site_templates" / "static")
    config["theme"]["custom_dir"] = str(REPO / "site_templates" / "overrides")
    config["site_dir"] = str(project / "site")
    path = project / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def plain_config(project: Path) -> Path:
    """The same pages written to disk and a mkdocs.yml with the same theme, extensions and nav,
    minus the coursesmith plugin."""
    from generator.adapters.engine_config import nav_config
    from generator.load import load_course
    from generator.render.disk import write_pages
    from generator.render.pages import navigation, render_site

    course = load_course(project).course
    assert course is not None
    docs = project / "plain-docs"
    shutil.rmtree(docs, ignore_errors=True)
    shutil.copytree(REPO / "site_templates" / "static", docs)
    write_pages(render_site(course), docs)
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = [p for p in config["plugins"] if p != "coursesmith"]
    config["docs_dir"] = str(docs)
    config["theme"]["custom_dir"] = str(REPO / "site_templates" / "overrides")
    config["site_dir"] = str(project / "plain-site")
    config["nav"] = nav_config(navigation(course))
    path = project / "plain-mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def plain_zensical_config(project: Path) -> Path:
    """The site input the generator stages for Zensical (pages, assets, overrides and the
    configuration with the nav), written once to ``plain-zensical/``: a plain ``zensical build``
    of it is what Zensical costs on its own."""
    from generator.adapters.engines import engine_named
    from generator.adapters.pipeline import Project, load_sites, stage

    config = Project.read(project / "mkdocs.yml")
    folder = project / "plain-zensical"
    shutil.rmtree(folder, ignore_errors=True)
    (site,) = load_sites(config.course_root)
    return stage(site, config, engine_named("zensical"), folder).config_file


def has_zensical() -> bool:
    return importlib.util.find_spec("zensical") is not None


# --- child processes: one build each ----------------------------------------------------------


def child(mode: str, config: str) -> None:
    """Run one build in this process and print its time and peak memory as JSON."""
    import logging

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    start = time.perf_counter()
    if mode == "generator":
        from generator.adapters.pipeline import build_site

        build_site(Path(config))
    elif mode == "generator-zensical":
        from generator.adapters.pipeline import build_site

        build_site(Path(config), Path(config).parent / "site-zensical", engine="zensical")
    elif mode == "plain-zensical":
        folder = Path(config).parent
        command = [sys.executable, "-m", "zensical", "build", "--clean", "-f", config]
        subprocess.run(command, cwd=folder, capture_output=True, check=True)
    elif mode == "plain":
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        loaded = load_config(config_file=config)
        loaded.plugins.on_startup(command="build", dirty=False)
        build(loaded)
        loaded.plugins.on_shutdown()
    elif mode == "pdf":
        from generator.load import load_course
        from generator.render.pdf import publish_handouts
        from generator.source.fingerprint import content_fingerprint

        course = load_course(Path(config)).course
        assert course is not None
        with tempfile.TemporaryDirectory() as out:
            written = publish_handouts(course, Path(out), content_fingerprint(Path(config)))
        print(json.dumps({"pdfs": sum(p.suffix == ".pdf" for p in written)}), file=sys.stderr)
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # The generator writes the handouts in a process of its own, which RUSAGE_SELF leaves out.
    children_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # CPU time, this process's and its children's (the handout process, Zensical): on a loaded
    # machine the wall time follows the CPU a build asks for, on a quiet one its critical path.
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    cpu = sum(u.ru_utime + u.ru_stime for u in usage)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_s": cpu,
                "peak_mib": peak_kib / 1024,
                "child_peak_mib": children_kib / 1024,
            }
        )
    )


def run_child(mode: str, config: Path) -> dict[str, float]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(config)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{mode} build of {config} failed:\n{done.stderr[-4000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- measurements -----------------------------------------------------------------------------


def site_sizes(site: Path) -> dict[str, Any]:
    """Total size, and the largest page (handouts are print documents, reported apart)."""
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    pages = [p for p in site.rglob("*.html") if "handouts" not in p.parts]
    largest = max(pages, key=lambda p: p.stat().st_size)
    lessons = [p for p in pages if p.parent.parent.name.startswith("module-")]
    return {
        "site_mb": total / 1e6,
        "pages": len(pages),
        "largest_page_kb": largest.stat().st_size / 1e3,
        "home_kb": (site / "index.html").stat().st_size / 1e3,
        "progress_kb": (site / "progress" / "index.html").stat().st_size / 1e3,
        "largest_page": largest.relative_to(site).as_posix(),
        "largest_lesson_kb": max((p.stat().st_size for p in lessons), default=0) / 1e3,
    }


Runs = list[dict[str, float]]


def alternate(
    modes: tuple[str, str], configs: tuple[Path, Path], repeats: int
) -> tuple[Runs, Runs, float, float]:
    """The generator's build and the plain one in turn, ``repeats`` times each, so both meet the
    same machine state: every run of each, and the best time of each."""
    gen_runs: Runs = []
    plain_runs: Runs = []
    for _ in range(repeats):
        gen_runs.append(run_child(modes[0], configs[0]))
        plain_runs.append(run_child(modes[1], configs[1]))
    gen_best = min(r["seconds"] for r in gen_runs)
    plain_best = min(r["seconds"] for r in plain_runs)
    return gen_runs, plain_runs, gen_best, plain_best


def measure_size(size: int, work: Path, repeats: int) -> dict[str, Any]:
    project = write_course(work / f"course-{size}", size)
    gen_config = generator_config(project)
    gen_runs, plain_runs, gen_best, plain_best = alternate(
        ("generator", "plain"), (gen_config, plain_config(project)), repeats
    )
    zensical = measure_zensical(project, gen_config, repeats) if has_zensical() else None
    result = {
        "lessons": size,
        "repeats": repeats,
        "generator_s": gen_best,
        "plain_s": plain_best,
        "ratio": gen_best / plain_best,
        "generator_ms_per_lesson": 1000 * gen_best / size,
        "plain_ms_per_lesson": 1000 * plain_best / size,
        "generator_peak_mib": max(r["peak_mib"] for r in gen_runs),
        "plain_peak_mib": max(r["peak_mib"] for r in plain_runs),
        "generator_handout_process_peak_mib": max(r["child_peak_mib"] for r in gen_runs),
        "generator_runs_s": [r["seconds"] for r in gen_runs],
        "plain_runs_s": [r["seconds"] for r in plain_runs],
        "generator_cpu_s": min(r["cpu_s"] for r in gen_runs),
        "plain_cpu_s": min(r["cpu_s"] for r in plain_runs),
        "load_average": os.getloadavg(),
        **site_sizes(project / "site"),
        **({"zensical": zensical} if zensical else {}),
    }
    shutil.rmtree(project)
    return result


def measure_zensical(project: Path, gen_config: Path, repeats: int) -> dict[str, Any]:
    """The full build with ``--engine zensical`` against a plain ``zensical build`` of the same
    staged input, alternating; best of ``repeats``."""
    gen_runs, plain_runs, gen_best, plain_best = alternate(
        ("generator-zensical", "plain-zensical"),
        (gen_config, plain_zensical_config(project)),
        repeats,
    )
    return {
        "generator_s": gen_best,
        "plain_s": plain_best,
        "generator_runs_s": [r["seconds"] for r in gen_runs],
        "plain_runs_s": [r["seconds"] for r in plain_runs],
        "ratio": gen_best / plain_best,
        **site_sizes(project / "site-zensical"),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def _wait_for(url: str, text: str, seconds: float, interval: float) -> float | None:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if text in _fetch(url):
            return time.monotonic() - start
        time.sleep(interval)
    return None


def preview_latency(project: Path, edits: int, engine: str = "mkdocs") -> dict[str, Any]:
    """Seconds from saving a lesson to `serve --engine ENGINE` showing the change (median of
    ``edits``)."""
    generator_config(project)
    port = free_port()
    lessons = sorted((project / "content" / "modules").glob("*/lessons/*.md"))
    lesson = lessons[len(lessons) // 2]
    lesson_id = yaml.safe_load(lesson.read_text(encoding="utf-8").split("---")[1])["id"]
    url = f"http://127.0.0.1:{port}/{lesson.parent.parent.name}/{lesson_id}/"
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "generator.adapters.cli", "--root", str(project)),
            *("serve", "--dev-addr", f"127.0.0.1:{port}", "--engine", engine),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=REPO,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        started = _wait_for(url, "</html>", 300, 0.2)
        if started is None:
            raise SystemExit(f"serve did not start for {project}")
        original = lesson.read_text(encoding="utf-8")
        latencies: list[float] = []
        for number in range(edits):
            marker = f"benchmarkmarker{number}x{time.time_ns()}"
            lesson.write_text(f"{original}\n{marker}\n", encoding="utf-8")
            seconds = _wait_for(url, marker, 120, 0.01)
            if seconds is None:
                raise SystemExit(f"serve never showed the edit of {lesson}")
            latencies.append(seconds)
            time.sleep(0.5)  # let the server settle so edits do not overlap
        lesson.write_text(original, encoding="utf-8")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "lessons": len(lessons),
        "first_build_s": started,
        "median_s": statistics.median(latencies),
        "all_s": latencies,
    }


def measure_previews(work: Path, sizes: list[int], edits: int) -> dict[str, Any]:
    """Preview latency of the shipped course and of a synthetic course of each size, with each
    engine installed."""
    engines = ["mkdocs", *(["zensical"] if has_zensical() else [])]
    out: dict[str, Any] = {}
    for engine in engines:
        suffix = "" if engine == "mkdocs" else ", Zensical"
        out[f"shipped course{suffix}"] = preview_latency(shipped_course(work), edits, engine)
        for size in sizes:
            course = write_course(work / "preview", size)
            out[f"synthetic course of {size}{suffix}"] = preview_latency(course, edits, engine)
    return out


def shipped_course(work: Path) -> Path:
    project = work / "shipped"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    for name in ("content", "quizzes"):
        shutil.copytree(REPO / name, project / name)
    return project


def asset_sizes() -> dict[str, Any]:
    folder = REPO / "site_templates" / "static" / "assets"
    sizes = {name: len(gzip.compress((folder / name).read_bytes(), 9, mtime=0)) for name in ASSETS}
    return {"files": sizes, "total_gzip_bytes": sum(sizes.values()), "limit": ASSET_LIMIT}


def alias_bomb() -> dict[str, Any]:
    """Time and memory of refusing a 9-level, 9-way alias bomb (about 387 million nodes)."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    text = "\n".join(lines) + "\n"
    tracemalloc.start()
    start = time.perf_counter()
    diags = Diagnostics()
    compose(text, "bomb.yml", diags)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"seconds": seconds, "peak_kib": peak / 1024, "message": str(next(iter(diags)))}


def machine() -> dict[str, str]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    import material
    import mkdocs

    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "python": platform.python_version(),
        "mkdocs": mkdocs.__version__,
        "material": getattr(material, "__version__", "?"),
        "system": platform.platform(),
    }


# --- report -----------------------------------------------------------------------------------


def _runs(row: dict[str, Any]) -> str:
    """Each run's seconds, the generator's and the plain build's, in the order they ran."""
    pairs = zip(row.get("generator_runs_s", []), row.get("plain_runs_s", []), strict=True)
    return "; ".join(f"gen {g:.1f} s, plain {p:.1f} s ({g / p:.3f})" for g, p in pairs)


def report(results: dict[str, Any]) -> str:
    lines = ["", "Build: the generator (full build, PDFs off) against plain mkdocs build", ""]
    head = (
        f"{'lessons':>8} {'gen s':>8} {'plain s':>8} {'ratio':>6} {'gen ms/l':>9} "
        f"{'plain ms/l':>10} {'gen MiB':>8} {'plain MiB':>9} {'max page KB':>11} {'site MB':>8}"
    )
    lines.append(head)
    for row in results["builds"]:
        lines.append(
            f"{row['lessons']:>8} {row['generator_s']:>8.2f} {row['plain_s']:>8.2f} "
            f"{row['ratio']:>6.3f} {row['generator_ms_per_lesson']:>9.1f} "
            f"{row['plain_ms_per_lesson']:>10.1f} {row['generator_peak_mib']:>8.0f} "
            f"{row['plain_peak_mib']:>9.0f} {row['largest_page_kb']:>11.1f} "
            f"{row['site_mb']:>8.1f}"
        )
    for row in results["builds"]:
        lines.append(f"{row['lessons']:>8} lessons: every run in turn, {_runs(row)}")
        if "zensical" in row:
            lines.append(f"{row['lessons']:>8} lessons, Zensical: {_runs(row['zensical'])}")
    for row in results["builds"]:
        lines.append(
            f"{row['lessons']:>8} lessons: CPU time (handout process included) generator "
            f"{row['generator_cpu_s']:.1f} s, plain {row['plain_cpu_s']:.1f} s; load average "
            f"{' '.join(f'{x:.1f}' for x in row['load_average'])} at the end"
        )
    zensical = [row for row in results["builds"] if "zensical" in row]
    if zensical:
        lines.append("\nBuild with --engine zensical against plain zensical build of its input")
        lines.append(f"{'lessons':>8} {'gen s':>8} {'plain s':>8} {'ratio':>6} {'max page KB':>11}")
        for row in zensical:
            z = row["zensical"]
            lines.append(
                f"{row['lessons']:>8} {z['generator_s']:>8.2f} {z['plain_s']:>8.2f} "
                f"{z['ratio']:>6.3f} {z['largest_page_kb']:>11.1f}"
            )
    builds = {row["lessons"]: row for row in results["builds"]}
    if 100 in builds and 1000 in builds:
        growth = builds[1000]["generator_ms_per_lesson"] / builds[100]["generator_ms_per_lesson"]
        results["linearity_1000_over_100"] = growth
        lines.append(f"\nper-lesson cost at 1000 / at 100: {growth:.2f} (1.00 = linear)")
    if results["builds"]:  # none with --sizes and no size given
        largest = max(results["builds"], key=lambda r: r["largest_page_kb"])
        lines.append(
            f"largest page: {largest['largest_page']} at {largest['lessons']} lessons, "
            f"{largest['largest_page_kb']:.1f} KB (limit {PAGE_LIMIT / 1000:.0f} KB)"
        )
        for row in results["builds"]:
            lines.append(
                f"{row['lessons']} lessons: home page {row['home_kb']:.1f} KB, progress page "
                f"{row['progress_kb']:.1f} KB"
            )
    if "pdf" in results:
        pdf = results["pdf"]
        lines.append(f"PDF handouts of the shipped course: {pdf['seconds']:.1f} s")
    for name, row in results.get("preview", {}).items():
        lines.append(
            f"preview latency, {name} ({row['lessons']} lessons): median "
            f"{row['median_s']:.2f} s of {[round(s, 2) for s in row['all_s']]}"
        )
    assets = results["assets"]
    lines.append(
        f"quiz + checklist JS and CSS, gzip: {assets['total_gzip_bytes'] / 1000:.1f} KB "
        f"(limit {ASSET_LIMIT / 1000:.0f} KB) {assets['files']}"
    )
    bomb = results["alias_bomb"]
    lines.append(
        f"alias bomb refused in {bomb['seconds'] * 1000:.2f} ms, peak "
        f"{bomb['peak_kib']:.0f} KiB: {bomb['message']}"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=2, metavar=("MODE", "CONFIG"), help=argparse.SUPPRESS)
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--repeats", type=int, default=3, help="builds per size under 1000")
    parser.add_argument("--repeats-large", type=int, default=2, help="builds per size >= 1000")
    parser.add_argument("--edits", type=int, default=3, help="lesson edits per preview run")
    parser.add_argument("--preview-lessons", type=int, nargs="*", default=list(PREVIEW_SIZES))
    parser.add_argument("--skip-preview", action="store_true")
    parser.add_argument("--skip-pdf", action="store_true")
    parser.add_argument("--out", type=Path, default=BENCH / "results.json")
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    results: dict[str, Any] = {"machine": machine(), "builds": []}
    with tempfile.TemporaryDirectory(prefix="coursesmith-bench-") as folder:
        work = Path(folder)
        for size in args.sizes:
            repeats = args.repeats_large if size >= 1000 else args.repeats
            print(f"building {size} lessons ({repeats}x each)...", flush=True)
            results["builds"].append(measure_size(size, work, repeats))
        if not args.skip_pdf:
            print("writing the shipped course's PDF handouts...", flush=True)
            results["pdf"] = run_child("pdf", shipped_course(work))
        if not args.skip_preview:
            print("measuring preview latency...", flush=True)
            results["preview"] = measure_previews(work, args.preview_lessons, args.edits)
    results["assets"] = asset_sizes()
    results["alias_bomb"] = alias_bomb()
    print(report(results))
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nresults written to {args.out}")
    heavy = over_limit(results)
    if heavy:
        raise SystemExit("pages over the limit: " + "; ".join(heavy))


def over_limit(results: dict[str, Any]) -> list[str]:
    """Each build's largest page over PAGE_LIMIT, as '<lessons> lessons[, engine]: <page>, <KB>'."""
    rows = [(f"{r['lessons']} lessons", r) for r in results["builds"]]
    rows += [
        (f"{r['lessons']} lessons, Zensical", r["zensical"])
        for r in results["builds"]
        if "zensical" in r
    ]
    return [
        f"{label}: {row['largest_page']}, {row['largest_page_kb']:.1f} KB "
        f"(limit {PAGE_LIMIT / 1000:.0f} KB)"
        for label, row in rows
        if row["largest_page_kb"] * 1000 > PAGE_LIMIT
    ]


if __name__ == "__main__":
    main()
