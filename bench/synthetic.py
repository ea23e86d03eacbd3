"""Synthetic courses for benchmarks and scale tests: N realistic lessons, 10 per module.

Each lesson has 600-900 words in ``##`` sections, a pipe table, bullet and numbered lists,
glossary terms in running text, ``[@key]`` citations and a ``::: trainer`` note. Each module has
three objectives (all covered and assessed, so a strict build is clean), a quiz of six questions
of every type and the three components. The same ``lessons`` and ``seed`` always give the same
files.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

import yaml

LESSONS_PER_MODULE = 10

TERMS = [
    ("model-drift", "model drift", ["drift"], "A model's performance degrading as data changes."),
    ("data-lineage", "data lineage", [], "The record of where data came from and how it moved."),
    ("bias-audit", "bias audit", [], "A structured review of a model's outcomes across groups."),
    ("red-teaming", "red teaming", [], "Deliberate attempts to make a system fail or misbehave."),
    ("model-card", "model card", [], "A short document describing a model's use and limits."),
    ("feature-store", "feature store", [], "A shared, versioned store of model inputs."),
    ("ground-truth", "ground truth", [], "The reference answers a model is judged against."),
    ("human-oversight", "human oversight", [], "People able to review and override decisions."),
    ("explainability", "explainability", ["explanations"], "Making a model's outputs understood."),
    ("robustness", "robustness", [], "Keeping performance under noise, shifts and attacks."),
    ("privacy-budget", "privacy budget", [], "The total privacy loss a data release allows."),
    ("data-minimisation", "data minimisation", [], "Collecting only the data a purpose needs."),
    ("incident-log", "incident log", [], "A record of failures, near misses and their fixes."),
    ("canary-release", "canary release", [], "Releasing a change to a few users first."),
    ("shadow-mode", "shadow mode", [], "Running a model beside the live one without acting on it."),
    ("rollback-plan", "rollback plan", [], "How to go back to the last working version."),
    ("threat-model", "threat model", [], "A list of who might attack a system, and how."),
    ("label-noise", "label noise", [], "Errors in the answers a model is trained on."),
    ("subgroup-analysis", "subgroup analysis", [], "Measuring performance for each group."),
    ("fairness-metric", "fairness metric", [], "A number comparing outcomes across groups."),
    ("risk-register", "risk register", [], "The list of known risks with owners and controls."),
    ("acceptance-criteria", "acceptance criteria", [], "Conditions a model must meet to ship."),
    ("data-contract", "data contract", [], "An agreement on the shape and meaning of shared data."),
    ("monitoring-dashboard", "monitoring dashboard", [], "A live view of a model's health."),
    ("retraining-trigger", "retraining trigger", [], "The signal that starts a new training run."),
    ("consent-record", "consent record", [], "Evidence that people agreed to a use of their data."),
    ("audit-trail", "audit trail", [], "A tamper-evident history of decisions and changes."),
    ("stress-test", "stress test", [], "Testing under extreme but plausible conditions."),
    ("domain-expert", "domain expert", ["SME"], "A person who knows the field the model serves."),
    ("impact-assessment", "impact assessment", [], "A review of who a system may help or harm."),
]

SURNAMES = ["Abebe", "Bianchi", "Chen", "Dubois", "Eriksen", "Fofana", "García", "Haddad", "Ito"]
TOPICS = [
    "fairness",
    "monitoring",
    "privacy",
    "robustness",
    "oversight",
    "documentation",
    "evaluation",
    "deployment",
    "governance",
    "security",
]
STAGES = ["Data preparation", "Model design", "Training", "Deployment", "Monitoring"]
VERBS = ["review", "measure", "document", "test", "monitor", "explain", "escalate", "compare"]
OBJECTS = [
    "the training data",
    "each release",
    "the evaluation results",
    "the input pipeline",
    "every subgroup",
    "the decision threshold",
    "the incident history",
    "the rollback procedure",
]
REASONS = [
    "so that problems are found before users meet them",
    "because the data changes after launch",
    "since a single metric hides failures in small groups",
    "which lets the domain team check the assumptions",
    "so that decisions can be traced later",
    "because attackers look for the weakest input",
]


def _ascii(name: str) -> str:
    return name.lower().replace("í", "i")


def _sentence(rng: random.Random, terms: list[str]) -> str:
    subject = rng.choice(["The team", "An engineer", "The reviewer", "Each owner", "The SME"])
    verb = rng.choice(VERBS)
    extra = f" with the {rng.choice(terms)} in mind" if rng.random() < 0.35 else ""
    return f"{subject} should {verb} {rng.choice(OBJECTS)}{extra}, {rng.choice(REASONS)}."


def _paragraph(rng: random.Random, terms: list[str], sentences: int) -> str:
    return " ".join(_sentence(rng, terms) for _ in range(sentences))


def lesson_text(
    rng: random.Random, lesson_id: str, title: str, objective: str, keys: list[str]
) -> str:
    """One lesson file: front matter and a body of about 600-900 words."""
    terms = [t[1] for t in TERMS]
    cite = lambda: f"[@{rng.choice(keys)}]"  # noqa: E731
    parts = [
        "---",
        f"id: {lesson_id}",
        f"title: {title}",
        f"minutes: {rng.randint(8, 20)}",
        f"objectives: [{objective}]",
        "---",
        "",
        _paragraph(rng, terms, 5) + f" {cite()}",
        "",
        "## Why it matters",
        "",
        _paragraph(rng, terms, 6),
        "",
        _paragraph(rng, terms, 5) + f" {cite()}",
        "",
        "## What engineers do",
        "",
    ]
    parts += [f"- **{stage}:** {_sentence(rng, terms)}" for stage in STAGES]
    parts += ["", _paragraph(rng, terms, 4), "", "## A worked example", ""]
    parts += [f"{n}. {_sentence(rng, terms)}" for n in range(1, 6)]
    parts += [
        "",
        "| Stage | Risk | Control |",
        "| --- | --- | --- |",
    ]
    for stage in STAGES:
        parts.append(f"| {stage} | {rng.choice(TOPICS).capitalize()} | {rng.choice(terms)} |")
    parts += [
        "",
        _paragraph(rng, terms, 6) + f" {cite()}",
        "",
        "## Summary",
        "",
        _paragraph(rng, terms, 5),
        "",
        "::: trainer",
        f"- Ask the group how they would {rng.choice(VERBS)} {rng.choice(OBJECTS)}.",
        "- Leave five minutes for questions.",
        ":::",
        "",
    ]
    return "\n".join(parts)


def _dump(data: object) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _quiz(module_lessons: list[str], objectives: list[str]) -> dict[str, object]:
    first, second = module_lessons[0], module_lessons[1]
    return {
        "pass_mark": 70,
        "shuffle": True,
        "questions": [
            {
                "id": "q-single",
                "type": "single",
                "prompt": "Which stage comes first?",
                "lesson": first,
                "section": "why-it-matters",
                "objective": objectives[0],
                "explanation": "Data preparation comes before model design.",
                "choices": [
                    {"id": "a", "text": "Data preparation", "correct": True},
                    {"id": "b", "text": "Monitoring"},
                    {"id": "c", "text": "Deployment"},
                ],
                "feedback": {"a": "Right.", "b": "Monitoring comes last.", "c": "Not yet."},
            },
            {
                "id": "q-multiple",
                "type": "multiple",
                "prompt": "Which of these are controls? Select all that apply.",
                "lesson": first,
                "section": "what-engineers-do",
                "objective": objectives[1],
                "points": 2,
                "explanation": "An audit trail and a rollback plan are both controls.",
                "choices": [
                    {"id": "a", "text": "An audit trail", "correct": True},
                    {"id": "b", "text": "A rollback plan", "correct": True},
                    {"id": "c", "text": "Hoping for the best"},
                ],
            },
            {
                "id": "q-true-false",
                "type": "true-false",
                "prompt": "Monitoring can stop once a model is deployed.",
                "lesson": second,
                "objective": objectives[2],
                "answer": False,
                "explanation": "Data changes after launch, so monitoring continues.",
                "feedback": {"true": "Not quite.", "false": "Right."},
            },
            {
                "id": "q-matching",
                "type": "matching",
                "prompt": "Match each activity to its stage.",
                "lesson": second,
                "section": "a-worked-example",
                "objective": objectives[2],
                "explanation": "Each activity belongs to the stage whose risk it addresses.",
                "pairs": [
                    {"id": "clean", "left": "Clean the data", "right": "Data preparation"},
                    {"id": "serve", "left": "Secure the endpoint", "right": "Deployment"},
                    {"id": "watch", "left": "Track drift", "right": "Monitoring"},
                ],
            },
            {
                "id": "q-ordering",
                "type": "ordering",
                "prompt": "Put the stages in order.",
                "lesson": first,
                "objective": objectives[1],
                "explanation": "From data to monitoring.",
                "items": [{"id": f"s{n}", "text": stage} for n, stage in enumerate(STAGES)],
            },
            {
                "id": "q-single-2",
                "type": "single",
                "prompt": "Who knows the domain best?",
                "lesson": second,
                "section": "summary",
                "objective": objectives[0],
                "explanation": "The SME knows the field the model serves.",
                "choices": [
                    {"id": "a", "text": "The SME", "correct": True},
                    {"id": "b", "text": "The compiler"},
                ],
            },
        ],
    }


def _components(rng: random.Random) -> dict[str, object]:
    return {
        "role-template.yml": {
            "title": "Role definition template",
            "intro": "Adapt this template to your project.",
            "role": "AI Engineer (risk mitigation)",
            "overall_responsibility": "Find, prevent and reduce the risks of the system.",
            "groups": [
                {
                    "id": stage.lower().replace(" ", "-"),
                    "title": stage,
                    "responsibilities": [_sentence(rng, [t[1] for t in TERMS]) for _ in range(3)],
                }
                for stage in STAGES
            ],
        },
        "checklist.yml": {
            "title": "Best-practices checklist",
            "intro": "Answer each item for your project.",
            "sections": [
                {
                    "id": stage.lower().replace(" ", "-"),
                    "title": stage,
                    "items": [
                        {
                            "id": f"{stage.lower().replace(' ', '-')}-{n}",
                            "label": f"{stage} check {n}",
                            "description": f"Did the team {rng.choice(VERBS)} "
                            f"{rng.choice(OBJECTS)}?",
                        }
                        for n in range(1, 4)
                    ],
                }
                for stage in STAGES
            ],
        },
        "lifecycle-guide.yml": {
            "title": "Lifecycle guide",
            "intro": "Where risk work fits in the lifecycle.",
            "phases": [
                {
                    "id": stage.lower().replace(" ", "-"),
                    "title": stage,
                    "activities": [f"{v.capitalize()} {rng.choice(OBJECTS)}." for v in VERBS[:3]],
                    "sme_collaboration": [f"Help {v} {rng.choice(OBJECTS)}." for v in VERBS[3:5]],
                }
                for stage in STAGES
            ],
        },
    }


# Text fields that get the module's number, so no two modules share a text: a real course does
# not repeat itself, and a benchmark must not flatter any caching of converted text.
_OWN_TEXT = {
    "prompt",
    "explanation",
    "text",
    "left",
    "right",
    "feedback",
    "label",
    "description",
    "intro",
    "responsibilities",
    "activities",
    "sme_collaboration",
    "overall_responsibility",
}


def _own(data: object, suffix: str, key: str = "") -> object:
    if isinstance(data, dict):
        return {k: _own(v, suffix, key if key == "feedback" else k) for k, v in data.items()}
    if isinstance(data, list):
        return [_own(v, suffix, key) for v in data]
    if isinstance(data, str) and key in _OWN_TEXT:
        return f"{data.rstrip('.?')} ({suffix}){data[len(data.rstrip('.?')) :]}"
    return data


def write_course(
    target: Path, lessons: int, seed: int = 15, per_module: int = LESSONS_PER_MODULE
) -> Path:
    """Write a course of ``lessons`` lessons (``per_module`` per module, 10 unless said) into
    ``target``; return it."""
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    content = target / "content"
    (target / "quizzes").mkdir(parents=True)
    modules = [f"module-{m:03d}" for m in range(1, (lessons + per_module - 1) // per_module + 1)]
    keys = [f"{_ascii(SURNAMES[n % len(SURNAMES)])}{2015 + n}{TOPICS[n]}" for n in range(10)]
    content.mkdir(parents=True, exist_ok=True)
    (content / "course.yml").write_text(
        _dump(
            {
                "id": "synthetic",
                "title": f"Synthetic course of {lessons} lessons",
                "description": "A generated course for benchmarks.",
                "language": "en",
                "audience": "Benchmarks",
                "version": "1.0.0",
                "owner": "Coursesmith",
                "last_reviewed": "2025-01-31",
                "modules": modules,
            }
        ).replace("'2025-01-31'", "2025-01-31"),
        encoding="utf-8",
    )
    (content / "glossary.yml").write_text(
        _dump(
            {
                "terms": [
                    {"id": i, "term": t, **({"aliases": a} if a else {}), "definition": d}
                    for i, t, a, d in TERMS
                ]
            }
        ),
        encoding="utf-8",
    )
    (content / "sources.yml").write_text(
        _dump(
            {
                "sources": [
                    {
                        "key": key,
                        "kind": "article",
                        "authors": [f"{SURNAMES[n % len(SURNAMES)]}, A.", "Other, B."],
                        "year": 2015 + n,
                        "title": f"A study of {TOPICS[n]} in deployed AI systems",
                        "venue": "Journal of Synthetic Studies",
                        "evaluation": {"currency": 3, "authority": 4, "rating": "Good"},
                    }
                    for n, key in enumerate(keys)
                ]
            }
        ),
        encoding="utf-8",
    )
    remaining = lessons
    for number, slug in enumerate(modules, start=1):
        folder = content / "modules" / slug
        (folder / "lessons").mkdir(parents=True)
        count = min(per_module, remaining)
        remaining -= count
        objectives = [f"objective-{n}" for n in range(1, 4)]
        ids = [f"{TOPICS[n % len(TOPICS)]}-{number}-{n + 1}" for n in range(count)]
        for index, lesson_id in enumerate(ids):
            title = f"{TOPICS[index % len(TOPICS)].capitalize()} in practice, part {number}"
            text = lesson_text(rng, lesson_id, title, objectives[index % 3], keys)
            (folder / "lessons" / f"{index + 1:02d}-{lesson_id}.md").write_text(text, "utf-8")
        (folder / "module.yml").write_text(
            _dump(
                {
                    "code": f"SYN-{number:03d}",
                    "title": f"Synthetic module {number}",
                    "level": "beginner",
                    "duration_minutes": 15 * count,
                    "summary": "A generated module.",
                    "objectives": [
                        {"id": o, "text": f"Explain part {n} of the topic."}
                        for n, o in enumerate(objectives, start=1)
                    ],
                    "lessons": ids,
                }
            ),
            encoding="utf-8",
        )
        (folder / "components").mkdir()
        suffix = f"module {number}"
        for name, data in _components(rng).items():
            (folder / "components" / name).write_text(_dump(_own(data, suffix)), "utf-8")
        quiz_lessons = ids if len(ids) > 1 else ids * 2
        (target / "quizzes" / f"{slug}.yml").write_text(
            _dump(_own(_quiz(quiz_lessons, objectives), suffix)), encoding="utf-8"
        )
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic course for benchmarks.")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--lessons", type=int, default=100)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    write_course(args.folder, args.lessons, args.seed)


if __name__ == "__main__":
    main()
