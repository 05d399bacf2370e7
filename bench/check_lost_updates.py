"""Compare the saves the load test saw accepted with what the database holds (lost-update check).

Run after bench/locustfile.py, against the same DATABASE_URL, on a freshly seeded bench-load:

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python bench/check_lost_updates.py [bench/out/saves.json]

For every (case, question) that received an accepted save:
  - the stored version must equal the number of accepted saves (each accepted save raised it by
    exactly one; the seed starts every answer at version 0, i.e. no row);
  - no two accepted saves may report the same new version;
  - the stored value and note must be those of the accepted save with the highest version.
Any (case, question) failing one of these counts as one lost update. Stored answers with no accepted
save at all are reported too. Prints "lost updates: N" and "refused conflicts: N"; exits 1 if N > 0.
With --json, also prints the figures as one JSON line (for run_load.sh).
"""

from __future__ import annotations

import json
import os
import sys
from collections import defaultdict
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()

from cases.models import Answer  # noqa: E402


def check(log_path: Path) -> dict:
    log = json.loads(log_path.read_text())
    slug = log["slug"]
    accepted: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for save in log["saves"]:
        accepted[(save["case"], save["question"])].append(save)
    stored = {
        (a.assessment.case.case_ref, a.question.code): a
        for a in Answer.objects.filter(assessment__case__inspection__slug=slug).select_related(
            "assessment__case", "question"
        )
    }
    problems: list[str] = []
    lost = 0
    for key, saves in sorted(accepted.items()):
        saves.sort(key=lambda s: s["version"])
        answer = stored.get(key)
        issues = []
        versions = [s["version"] for s in saves]
        if answer is None:
            issues.append(f"{len(saves)} accepted saves but no stored answer")
        else:
            if answer.version != len(saves):
                issues.append(f"stored version {answer.version} != {len(saves)} accepted saves")
            if len(set(versions)) != len(versions):
                issues.append(f"two accepted saves got the same version: {versions}")
            last = saves[-1]
            if (answer.value, answer.note) != (last["value"], last["note"]):
                issues.append(
                    f"stored {answer.value!r}/{answer.note!r} but the last accepted save (v{last['version']} "
                    f"by {last['user']}) was {last['value']!r}/{last['note']!r}"
                )
        if issues:
            lost += 1
            problems.append(f"{key[0]} {key[1]}: " + "; ".join(issues))
    unexplained = [key for key, answer in stored.items() if key not in accepted and answer.version > 0]
    for key in unexplained[:20]:
        problems.append(f"{key[0]} {key[1]}: stored version {stored[key].version} but no accepted save was seen")
    counts = log["counts"]
    shared_saves = sum(1 for s in log["saves"] if s["case"] == "BL-SHARED")
    return {
        "accepted_saves": len(log["saves"]),
        "questions_saved": len(accepted),
        "shared_case_saves": shared_saves,
        "lost_updates": lost,
        "unexplained_rows": len(unexplained),
        "refused_conflicts": counts["refused_conflict"],
        "refused_not_applicable": counts["refused_not_applicable"],
        "refused_other": counts["refused_other"],
        "uncertain": counts["uncertain"],
        "problems": problems,
    }


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    path = (
        Path(args[0]) if args else Path(os.environ.get("BENCH_SAVES_LOG", Path(__file__).parent / "out" / "saves.json"))
    )
    result = check(path)
    for line in result["problems"][:30]:
        print("  " + line)
    print(
        f"accepted saves: {result['accepted_saves']} on {result['questions_saved']} questions "
        f"({result['shared_case_saves']} on the shared case)"
    )
    print(f"lost updates: {result['lost_updates']}")
    print(
        f"refused conflicts: {result['refused_conflicts']} (shared case; correct refusals of a stale version), "
        f"refused as no longer applicable: {result['refused_not_applicable']}, "
        f"other refusals: {result['refused_other']}, "
        f"uncertain outcomes: {result['uncertain']}, stored answers with no accepted save: {result['unexplained_rows']}"
    )
    if "--json" in argv:
        print("JSON " + json.dumps({k: v for k, v in result.items() if k != "problems"}))
    return 1 if result["lost_updates"] or result["unexplained_rows"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
