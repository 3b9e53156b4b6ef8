#!/usr/bin/env python3
"""Checks the corpus against the report contract with a small reference reader.

    python3 check_corpus.py

For every messages/*.eml: it must parse with Python's email package; the
reports found in it (MIME-tree order, depth-first, message/rfc822 included),
validated by the rules of the contract and ingested ALONE into an empty store,
must give exactly the outcomes listed in expected.json. expected.json must list
every .eml and nothing else. Report ids and Server IDs must not repeat across
files, except inside one file and in the opt-out files (optout-*, optin-*).

This is an independent, deliberately plain reading of the contract, not the
receiver: a disagreement means the corpus or the expectation is wrong, or the
contract is ambiguous and the note in expected.json should say which reading
was chosen.
"""

from __future__ import annotations

import email
import email.policy
import fnmatch
import gzip
import json
import re
import sys
import zlib
from datetime import date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
MESSAGES = HERE / "messages"
EXPECTED = HERE / "expected.json"

SERVER_ID = re.compile(r"^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")
KINDS = {"install", "monthly", "optout", "optin"}
BEGIN = "--- BEGIN PLAY SQL REPORT ---"
END = "--- END PLAY SQL REPORT ---"


class Bad(Exception):
    pass


def is_count(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def instant(text) -> datetime:
    if not isinstance(text, str) or not INSTANT.match(text):
        raise Bad(f"generatedAt {text!r} is not ISO 8601 with an offset")
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def day(text) -> date:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise Bad(f"period date {text!r}") from None


def server(text) -> str:
    s = text.strip().upper() if isinstance(text, str) else ""
    if not SERVER_ID.match(s):
        raise Bad(f"serverId {text!r}")
    return s


def check_period(kind, period):
    if kind != "monthly":
        return None
    if period is None:
        raise Bad("period missing on a monthly report")
    start, end = day(period[0]), day(period[1])
    if start > end:
        raise Bad("period start after end")
    return start


def format2(data: bytes):
    """Returns ('ok', report) or (outcome, reason)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        return "invalid", f"not valid json ({e})"
    if not isinstance(doc, dict):
        return "invalid", "json but not an object"
    try:
        if doc.get("format") != "playsql-report":
            raise Bad("format")
        v = doc.get("formatVersion")
        if not isinstance(v, int) or isinstance(v, bool):
            raise Bad("formatversion not an integer")
        if v > 2:
            return "unsupported", f"formatversion {v}"
        if v != 2:
            raise Bad("formatversion")
        kind = doc.get("kind")
        if kind not in KINDS:
            raise Bad("kind")
        sid = server(doc.get("serverId"))
        at = instant(doc.get("generatedAt"))
        rid = doc.get("reportId")
        if rid is not None and not (isinstance(rid, str) and UUID.match(rid)):
            raise Bad("reportid")
        p = doc.get("period")
        start = check_period(kind, (p.get("start"), p.get("end")) if isinstance(p, dict) else None)
        if kind in ("install", "monthly"):
            c = doc.get("confluence", {})
            if "userCount" in c and not is_count(c["userCount"]):
                raise Bad("confluence.usercount")
            if "edition" in c and c["edition"] not in ("server", "datacenter"):
                raise Bad("confluence.edition")
            for name, value in doc.get("usage", {}).items():
                if not is_count(value):
                    raise Bad(f"usage.{name}")
            for i, conn in enumerate(doc.get("connections", [])):
                if not is_count(conn.get("count")):
                    raise Bad(f"connections[{i}].count")
            for block in ("features", "errors"):
                for name, value in doc.get(block, {}).items():
                    if not is_count(value):
                        raise Bad(f"{block}.{name}")
    except Bad as e:
        return "invalid", str(e).lower()
    return "ok", {"rid": rid.lower() if rid else None, "kind": kind, "sid": sid, "at": at, "start": start}


def unquote(line: str) -> str:
    s = line.strip()
    while s.startswith(">"):
        s = s[1:].strip()
    return s


def format1_blocks(text: str):
    out, block = [], None
    for raw in text.split("\n"):
        line = unquote(raw)
        if line.upper() == BEGIN:
            if block is not None:
                out.append(("invalid", "missing end line"))
            block = []
        elif line.upper() == END:
            if block is not None:
                out.append(format1(block))
                block = None
        elif block is not None:
            block.append(line)
    if block is not None:
        out.append(("invalid", "no end line"))
    return out


def format1(lines):
    f = {}
    for line in lines:
        if not line:
            continue
        k, sep, v = line.partition(":")
        if not sep:
            return "invalid", f"line {line!r}"
        f[k.strip().lower()] = v.strip()
    try:
        if f.get("report-version") != "1":
            raise Bad("report-version")
        kind = f.get("kind", "").lower()
        if kind not in ("install", "monthly"):
            raise Bad("kind")
        sid = server(f.get("server-id"))
        at = instant(f.get("generated-at"))
        rid = f.get("report-id") or None
        if rid and not UUID.match(rid):
            raise Bad("report-id")
        period = f.get("period")
        start = check_period(kind, period.split("/", 1) if period and "/" in period else None)
        for key in ("confluence-users", "active-users", "spreadsheets", "queries", "pages-with-macros"):
            if key in f and f[key] and not f[key].isdigit():
                raise Bad(key)
        for key in ("connections", "features", "errors"):
            for pair in filter(None, (p.strip() for p in f.get(key, "").split(","))):
                name, eq, count = pair.partition("=")
                if not eq or not count.strip().isdigit():
                    raise Bad(key)
    except Bad as e:
        return "invalid", str(e).lower()
    return "ok", {"rid": rid.lower() if rid else None, "kind": kind, "sid": sid, "at": at, "start": start}


def matches(filename: str | None) -> str | None:
    if not filename:
        return None
    name = filename.lower()
    if fnmatch.fnmatchcase(name, "playsql-report*.json.gz"):
        return "gz"
    if fnmatch.fnmatchcase(name, "playsql-report*.json"):
        return "json"
    return None


def extract(msg):
    items = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        kind = matches(part.get_filename())
        if kind:
            data = part.get_payload(decode=True) or b""
            if kind == "gz":
                try:
                    data = gzip.decompress(data)
                except (OSError, EOFError, zlib.error) as e:
                    items.append(("invalid", f"gzip: {e}"))
                    continue
            items.append(format2(data))
        elif part.get_content_type() == "text/plain":
            items.extend(format1_blocks(part.get_content()))
    return items


def ingest(items):
    """Outcomes of the items ingested in order into an empty store."""
    if not items:
        return ["not-a-report"]
    seen, events, outcomes = set(), [], []
    for status, r in items:
        if status != "ok":
            outcomes.append(status)
            continue
        ident = r["rid"] or (r["sid"], r["kind"], r["start"] if r["kind"] == "monthly" else r["at"])
        if ident in seen:
            outcomes.append("duplicate")
            continue
        seen.add(ident)
        if r["kind"] in ("optout", "optin"):
            events.append((r["at"], r["kind"], r["sid"]))
            outcomes.append("accepted")
        elif suppressed(events, r):
            outcomes.append("dropped")
        else:
            outcomes.append("accepted")
    return outcomes


def suppressed(events, r) -> bool:
    """An optout at T suppresses reports generated before T, and after T until an optin generated later than T."""
    for at, kind, sid in events:
        if kind != "optout" or sid != r["sid"]:
            continue
        if r["at"] < at:
            return True
        if not any(k == "optin" and s == sid and at < a <= r["at"] for a, k, s in events):
            return True
    return False


def identities(msg):
    """(reportIds, Server IDs) of every report-looking thing, valid or not."""
    rids, sids = set(), set()
    for part in msg.walk():
        if part.is_multipart():
            continue
        payload = None
        kind = matches(part.get_filename())
        try:
            if kind == "gz":
                payload = gzip.decompress(part.get_payload(decode=True)).decode("utf-8")
            elif kind == "json" or part.get_content_type() == "text/plain":
                raw = part.get_payload(decode=True) or b""
                payload = raw.decode(part.get_content_charset() or "utf-8", "replace")
        except (OSError, EOFError, zlib.error):
            continue
        if payload:
            rids |= {m.lower() for m in re.findall(
                r'(?:"reportId"|Report-Id)\s*:\s*"?([0-9a-fA-F-]{36})', payload, re.I)}
            sids |= {m.strip().upper() for m in re.findall(
                r'(?:"serverId"|Server-Id)\s*:\s*"?\s*([A-Za-z0-9]{4}(?:-[A-Za-z0-9]{4}){3})', payload, re.I)}
    return rids, sids


def main() -> int:
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    files = sorted(p.name for p in MESSAGES.glob("*.eml"))
    problems = []
    if set(files) != set(expected):
        problems.append(f"expected.json and messages/ differ: only in folder {sorted(set(files) - set(expected))}, "
                        f"only in expected.json {sorted(set(expected) - set(files))}")
    owner_r, owner_s = {}, {}
    for name in files:
        raw = (MESSAGES / name).read_bytes()
        if b"\r" in raw:
            problems.append(f"{name}: CR in file (the corpus uses LF)")
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        items = extract(msg)
        got = ingest(items)
        want = expected.get(name, {}).get("outcomes")
        reason = expected.get(name, {}).get("reason")
        if got != want:
            problems.append(f"{name}: reference reader gives {got} ({[r for s, r in items if s != 'ok']}), expected {want}")
        print(f"{name:55} {' '.join(got):40} {'; '.join(str(r) for s, r in items if s != 'ok')[:70]}")
        if reason and reason != reason.lower():
            problems.append(f"{name}: reason is not lower-case")
        if name.startswith(("optout-", "optin-")):
            continue
        rids, sids = identities(msg)
        for rid in rids:
            if owner_r.setdefault(rid, name) != name:
                problems.append(f"{name}: reportId {rid} also in {owner_r[rid]}")
        for sid in sids:
            if sid == "OPT0-UT00-TEST-0001" or owner_s.setdefault(sid, name) != name:
                problems.append(f"{name}: Server ID {sid} also in {owner_s.get(sid)}")
    for p in problems:
        print("PROBLEM", p, file=sys.stderr)
    print(f"{len(files)} messages, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
