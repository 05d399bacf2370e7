"""Compare the saves the load test saw accepted with what the database holds (lost-update check).

Run after bench/locustfile.py, against the same DATABASE_URL, on a freshly seeded bench-load:

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python bench/check_lost_updates.py [bench/out/saves.json]

For every (case, question) that received an accepted save:
  - the stored version must equal the number of accepted saves (each accepted save raised it by
    exactly one), plus 1 if the seed prefilled the answer (the manifest named in the log says which);
  - no two accepted saves may report the same new version;
  - the stored value and note must be those of the accepted save with the highest version.
Any (case, question) failing one of these counts as one lost update. Saves whose response was never
seen (cut off when locust stopped, or a transport error) may legitimately be the stored last write:
they are counted apart, not as lost. Stored answers with no accepted save at all are reported too.
Prints "lost updates: N" and "refused conflicts: N"; exits 1 if N > 0.
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
    # Answers the seed stored at version 1 before the run.
    seed = json.loads(Path(log["seed"]).read_text()) if log.get("seed") else {}
    baseline = {(case, code) for case, codes in seed.get("prefilled", {}).items() for code in codes}
    accepted: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for save in log["saves"]:
        accepted[(save["case"], save["question"])].append(save)
    stored = {
        (a.assessment.case.case_ref, a.question.code): a
        for a in Answer.objects.filter(assessment__case__inspection__slug=slug).select_related(
            "assessment__case", "question"
        )
    }
    # Saves with no known outcome: a transport error or 5xx ("uncertain"), or cut off when the run
    # stopped ("interrupted"). The server may or may not have stored them.
    unknown: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for save in log.get("uncertain", []) + log.get("interrupted", []):
        unknown[(save["case"], save["question"])].append(save)
    problems: list[str] = []
    lost = 0
    completed_unseen = 0
    for key, saves in sorted(accepted.items()):
        saves.sort(key=lambda s: s["version"])
        answer = stored.get(key)
        issues = []
        versions = [s["version"] for s in saves]
        maybe = unknown.get(key, [])
        base = 1 if key in baseline else 0
        if answer is None:
            issues.append(f"{len(saves)} accepted saves but no stored answer")
        else:
            if len(set(versions)) != len(versions):
                issues.append(f"two accepted saves got the same version: {versions}")
            last = saves[-1]
            if answer.version == base + len(saves):
                if (answer.value, answer.note) != (last["value"], last["note"]):
                    issues.append(
                        f"stored {answer.value!r}/{answer.note!r} but the last accepted save (v{last['version']} "
                        f"by {last['user']}) was {last['value']!r}/{last['note']!r}"
                    )
            elif base + len(saves) < answer.version <= base + len(saves) + len(maybe) and (
                answer.value,
                answer.note,
            ) in {(m["value"], m["note"]) for m in maybe}:
                completed_unseen += 1  # a save whose response the run did not see: stored, nothing lost
            else:
                issues.append(
                    f"stored version {answer.version} != {len(saves)} accepted saves"
                    + (" + 1 (prefilled)" if base else "")
                )
        if issues:
            lost += 1
            problems.append(f"{key[0]} {key[1]}: " + "; ".join(issues))
    unexplained = []
    for key, answer in stored.items():
        base = 1 if key in baseline else 0
        if key in accepted or answer.version == base:
            continue
        maybe = unknown.get(key, [])
        if answer.version <= base + len(maybe) and (answer.value, answer.note) in {
            (m["value"], m["note"]) for m in maybe
        }:
            completed_unseen += 1
        else:
            unexplained.append(key)
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
        "interrupted": len(log.get("interrupted", [])),
        "completed_unseen": completed_unseen,
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
        f"uncertain outcomes: {result['uncertain']}, cut off by the end of the run: {result['interrupted']} "
        f"({result['completed_unseen']} of them stored), stored answers with no accepted save: "
        f"{result['unexplained_rows']}"
    )
    if "--json" in argv:
        print("JSON " + json.dumps({k: v for k, v in result.items() if k != "problems"}))
    return 1 if result["lost_updates"] or result["unexplained_rows"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
