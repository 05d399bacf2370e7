"""Load test of the assessment pages: 30 inspectors answering their own cases, and two people
(the lead and the assessor) answering the same shared case at the same time.

Reads the manifest written by bench/seed_load.py (BENCH_SEED, default bench/out/seed.json) and, at
the end of the run, writes every save's outcome to BENCH_SAVES_LOG (default bench/out/saves.json)
for bench/check_lost_updates.py. See bench/README.md.

Request names in the statistics:
  "sign in"          GET /sign-in/ and the POST (with the redirect it follows)
  "criterion page"   GET /inspections/<slug>/cases/<ref>/criteria/<code>/
  "answer save"      POST /inspections/<slug>/cases/<ref>/answers/<question>/ (htmx autosave)
  "reference save"   the same POST to /bench/reference/<slug>/cases/<ref>/answers/<question>/: the
                     thinnest save on the same stack (bench/reference), for the ratio

Environment:
  BENCH_THINK            think time in seconds between two requests of one user, "MIN-MAX"
                         (default "0.5-2"); "0" runs every user flat out (a capacity test).
  BENCH_SHARED_CRITERIA  criteria the two shared users work through together (default "1.1,1.2").
  BENCH_REFERENCE_SHARE  share of the inspectors' saves sent to the reference save instead (default
                         0.25; 0 = none, 1 = all); the shared editors always save answers.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
import time
from pathlib import Path

import gevent
import gevent.event
from locust import HttpUser, constant, events, task

HERE = Path(__file__).resolve().parent
SEED_PATH = Path(os.environ.get("BENCH_SEED", HERE / "out" / "seed.json"))
SAVES_LOG = Path(os.environ.get("BENCH_SAVES_LOG", HERE / "out" / "saves.json"))
SEED = json.loads(SEED_PATH.read_text())
SLUG = SEED["slug"]
PASSWORD = SEED["password"]
CRITERIA = SEED["criteria"]
TOTAL_USERS = len(SEED["inspectors"]) + len(SEED["shared"]["users"])
SHARED_CRITERIA = [c for c in os.environ.get("BENCH_SHARED_CRITERIA", "1.1,1.2").split(",") if c]
# The reference save (bench/reference) takes this share of the inspectors' saves, in the same run, so
# both are measured under the same load; the rest go to the answer save.
REFERENCE_SHARE = float(os.environ.get("BENCH_REFERENCE_SHARE", "0.25"))


def _think_range() -> tuple[float, float]:
    raw = os.environ.get("BENCH_THINK", "0.5-2").strip()
    low, _, high = raw.partition("-")
    return float(low), float(high or low)


THINK = _think_range()

CONFLICT_TEXT = "while you were editing"

# --- parsing the pages -------------------------------------------------------------------------
# One question block (templates/cases/includes/question_block.html) starts with this div; gated
# questions that do not apply yet carry the `hidden` attribute.
BLOCK_START = re.compile(r'<div class="govuk-form-group app-question[^"]*" id="q-([^"]+)"( hidden)?')
VERSION = re.compile(r'name="version-([^"]+)" value="(\d+)"')
RADIO = re.compile(r'name="value-([^"]+)" type="radio" value="([^"]*)"( checked)?')
# The autosave response (templates/cases/includes/answer_saved.html) sends the new version out of band.
SAVED_VERSION = re.compile(r'name="version-([^"]+)" value="(\d+)" hx-swap-oob')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def parse_blocks(html: str) -> dict[str, dict]:
    """Question blocks in page order: code -> {hidden, version, options, value}."""
    starts = list(BLOCK_START.finditer(html))
    blocks: dict[str, dict] = {}
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(html)
        text = html[match.start() : end]
        version = VERSION.search(text)
        if version is None:
            continue
        radios = RADIO.findall(text)
        blocks[version.group(1)] = {
            "hidden": bool(match.group(2)),
            "version": int(version.group(2)),
            "options": [value for _, value, _ in radios],
            "value": next((value for _, value, checked in radios if checked), ""),
        }
    return blocks


# --- what happened, for the lost-update check ------------------------------------------------------
_lock = threading.Lock()
SAVES: list[dict] = []  # accepted saves
COUNTS = {"refused_conflict": 0, "refused_not_applicable": 0, "refused_other": 0, "uncertain": 0}
UNCERTAIN: list[dict] = []  # saves whose outcome is unknown (transport error, 5xx): the check reports them
# Saves sent but not answered yet. Those still here when the run stops were cut off by locust: the
# server may have stored them, so the check accepts them as possible last writes.
IN_FLIGHT: dict[int, dict] = {}


def _count(key: str, item: dict | None = None) -> None:
    with _lock:
        COUNTS[key] += 1
        if key == "uncertain" and item is not None:
            UNCERTAIN.append(item)


@events.test_stop.add_listener
def _write_log(environment, **kwargs) -> None:
    with _lock:
        signs = sorted(SIGN_INS)
        data = {
            "slug": SLUG,
            "seed": str(SEED_PATH),
            "measured_from": MEASURED_FROM[0] if MEASURED_FROM else None,
            "sign_in_seconds": signs,
            "written_at": time.time(),
            "counts": dict(COUNTS),
            "saves": list(SAVES),
            "uncertain": list(UNCERTAIN),
            "interrupted": list(IN_FLIGHT.values()),
        }
    SAVES_LOG.parent.mkdir(parents=True, exist_ok=True)
    SAVES_LOG.write_text(json.dumps(data))
    print(
        f"bench: {len(data['saves'])} accepted saves, {COUNTS['refused_conflict']} refused conflicts, "
        f"{COUNTS['refused_not_applicable']} refused as not applicable, {COUNTS['refused_other']} other refusals, "
        f"{COUNTS['uncertain']} uncertain, {len(data['interrupted'])} cut off by the end of the run; log {SAVES_LOG}"
    )
    if signs:
        print(
            f"bench: sign-in (GET + POST) of {len(signs)} users at once: median {signs[len(signs) // 2]:.2f} s, "
            f"slowest {signs[-1]:.2f} s"
        )


# --- signing in -----------------------------------------------------------------------------------
# Signing in costs one PBKDF2 hash (~0.5 s of CPU with Django's 1.5 million iterations), so 32
# sign-ins at once keep 2 cores busy for ~8 s or more. Users wait until all have signed in; then
# the statistics are reset, so the figures describe the steady state of answering, and the sign-in
# times are reported apart (printed at the end and kept in the saves log).
ALL_SIGNED_IN = gevent.event.Event()
SIGN_IN_TIMEOUT = float(os.environ.get("BENCH_SIGN_IN_TIMEOUT", "120"))
SIGN_INS: list[float] = []
MEASURED_FROM: list[float] = []


def _signed_in(environment, seconds: float) -> None:
    with _lock:
        SIGN_INS.append(seconds)
        everyone = len(SIGN_INS) >= min(environment.runner.target_user_count or 0, TOTAL_USERS) > 0
    if everyone and not ALL_SIGNED_IN.is_set():
        environment.runner.stats.reset_all()
        MEASURED_FROM.append(time.time())
        print(f"bench: all {len(SIGN_INS)} users signed in (slowest {max(SIGN_INS):.1f} s); statistics reset")
        ALL_SIGNED_IN.set()


# --- users -------------------------------------------------------------------------------------------
class AssessingUser(HttpUser):
    abstract = True
    wait_time = constant(0)  # think time is taken inside the task, between requests
    username: str
    cases: list[str]

    def think(self) -> None:
        low, high = THINK
        if high > 0:
            time.sleep(random.uniform(low, high))  # gevent-patched: yields to other users

    def on_start(self) -> None:
        self.saves = 0
        started = time.perf_counter()
        response = self.client.get("/sign-in/", name="sign in")
        token = CSRF_INPUT.search(response.text)
        response = self.client.post(
            "/sign-in/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1) if token else ""},
            name="sign in",
        )
        if "sessionid" not in self.client.cookies:
            raise RuntimeError(f"{self.username} could not sign in (status {response.status_code})")
        _signed_in(self.environment, time.perf_counter() - started)
        # Everyone starts working together once all have signed in (see _signed_in).
        ALL_SIGNED_IN.wait(timeout=SIGN_IN_TIMEOUT)
        # The server has closed the connection that waited idle; start on a fresh one.
        self.client.close()
        # Spread the first requests over one think time rather than all at the same instant.
        gevent.sleep(random.uniform(0, THINK[1]))

    def page_url(self, case_ref: str, criterion: str) -> str:
        return f"/inspections/{SLUG}/cases/{case_ref}/criteria/{criterion}/"

    def read_page(self, case_ref: str, criterion: str) -> dict[str, dict] | None:
        with self.client.get(self.page_url(case_ref, criterion), name="criterion page", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code}" + (f": {r.error!r}" if r.status_code == 0 else ""))
                return None
            blocks = parse_blocks(r.text)
            if not blocks:
                r.failure("no question blocks on the page")
                return None
            return blocks

    def save(self, case_ref: str, code: str, blocks: dict[str, dict]) -> str:
        """Post one answer; returns "saved", "conflict", "not_applicable", "error"."""
        block = blocks[code]
        others = [value for value in block["options"] if value != block["value"]] or block["options"]
        value = random.choice(others)
        self.saves += 1
        note = f"{self.username} save {self.saves}"
        base = block["version"]
        item = {"user": self.username, "case": case_ref, "question": code, "value": value, "note": note, "base": base}
        headers = {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "HX-Request": "true"}
        data = {f"value-{code}": value, f"note-{code}": note, f"version-{code}": str(base)}
        url = f"/inspections/{SLUG}/cases/{case_ref}/answers/{code}/"
        IN_FLIGHT[id(item)] = item
        with self.client.post(url, data, headers=headers, name="answer save", catch_response=True) as r:
            del IN_FLIGHT[id(item)]  # not reached when the run stops this user mid-request
            text = r.text or ""
            if r.status_code == 200 and CONFLICT_TEXT in text and r.headers.get("HX-Retarget"):
                _count("refused_conflict")
                return "conflict"  # refused: the correct outcome of a stale version
            if r.status_code == 200 and "Saved at" in text:
                saved = {c: int(v) for c, v in SAVED_VERSION.findall(text)}
                if code not in saved:
                    r.failure("saved, but no new version in the response")
                    _count("uncertain", item)
                    return "error"
                item["version"] = saved[code]
                with _lock:
                    SAVES.append(item)
                block.update(version=saved[code], value=value)
                # Questions whose applicability changed come back out of band.
                for changed, info in parse_blocks(text).items():
                    blocks[changed] = info
                return "saved"
            if r.status_code == 200 and "does not apply" in text:
                _count("refused_not_applicable")
                if not self.expects_interference:
                    r.failure("refused: question does not apply")
                return "not_applicable"
            if r.status_code >= 500 or r.status_code == 0:
                _count("uncertain", item)
            else:
                _count("refused_other")
            r.failure(
                f"status {r.status_code}: {r.error!r}"
                if r.status_code == 0
                else f"status {r.status_code}: {text[:200]}"
            )
            return "error"

    def reference_save(self, case_ref: str, code: str, blocks: dict[str, dict]) -> None:
        """The same POST to the reference view: one row read under a lock and updated, the same response."""
        block = blocks[code]
        self.saves += 1
        data = {
            f"value-{code}": random.choice(block["options"]),
            f"note-{code}": f"{self.username} save {self.saves}",
            f"version-{code}": str(block["version"]),
        }
        headers = {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "HX-Request": "true"}
        url = f"/bench/reference/{SLUG}/cases/{case_ref}/answers/{code}/"
        with self.client.post(url, data, headers=headers, name="reference save", catch_response=True) as r:
            if r.status_code != 200 or "Saved at" not in (r.text or ""):
                r.failure(f"status {r.status_code}: {(r.text or '')[:200]}")

    expects_interference = False
    uses_reference = False

    def answer_page(self, case_ref: str, criterion: str) -> None:
        blocks = self.read_page(case_ref, criterion)
        if blocks is None:
            return
        for code in list(blocks):
            self.think()
            if blocks[code]["hidden"] or not blocks[code]["options"]:
                continue
            if self.uses_reference and random.random() < REFERENCE_SHARE:
                self.reference_save(case_ref, code, blocks)
                continue
            outcome = self.save(case_ref, code, blocks)
            if outcome in {"conflict", "not_applicable"}:
                self.think()
                fresh = self.read_page(case_ref, criterion)  # re-read, then carry on with the next question
                if fresh is None:
                    return
                blocks.update(fresh)
        self.think()


_inspectors = itertools.cycle(SEED["inspectors"])
_shared_users = itertools.cycle(SEED["shared"]["users"])
_identity_lock = threading.Lock()


class Inspector(AssessingUser):
    """An inspector working through the criterion pages of their own four cases."""

    fixed_count = len(SEED["inspectors"])
    uses_reference = True

    def on_start(self) -> None:
        with _identity_lock:
            me = next(_inspectors)
        self.username, self.cases = me["username"], me["cases"]
        self.pages = itertools.cycle([(case, criterion) for case in self.cases for criterion in CRITERIA])
        # Start at a different page per user so the load is spread over criteria.
        for _ in range(random.randrange(len(self.cases) * len(CRITERIA))):
            next(self.pages)
        super().on_start()

    @task
    def work(self) -> None:
        self.answer_page(*next(self.pages))


class SharedEditor(AssessingUser):
    """The lead and the case's assessor answering the same shared case at the same time."""

    fixed_count = len(SEED["shared"]["users"])
    expects_interference = True

    def on_start(self) -> None:
        with _identity_lock:
            self.username = next(_shared_users)
        self.case = SEED["shared"]["case"]
        self.criteria = itertools.cycle(SHARED_CRITERIA)
        super().on_start()

    @task
    def work(self) -> None:
        self.answer_page(self.case, next(self.criteria))
