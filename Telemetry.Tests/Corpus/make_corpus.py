#!/usr/bin/env python3
"""Regenerates the corpus of awkward mail: messages/*.eml and expected.json.

    python3 make_corpus.py [--examples DIR]

Every generated message is deterministic (report ids, Server IDs, boundaries and
Message-IDs derive from the file name), so running the script again rewrites the
same bytes. The eleven reference examples of the report contract are not
generated: they are kept as they are in messages/ (pass --examples to copy them
in again) and only their expectations live here.

expected.json maps each file name to
    {"outcomes": [...], "reason": "...", "note": "..."}
where outcomes are, in MIME-tree order (depth-first, message/rfc822 included,
the blocks of a format-1 text part in text order), the outcome of every report
found when the file is ingested ALONE into an empty database, or the single
outcome of a message without a report. "reason", when present, is a lower-case
substring expected in the recorded reason.

Rules kept by the corpus so that a test can ingest the whole folder at once:
every report has its own reportId and its own Server ID, except where the quirk
is a duplicate inside one file, and except the opt-out files (optout-*, optin-*),
which tell the story of one instance, OPT0-UT00-TEST-0001, and reuse the same
notices and monthly reports across files.
"""

from __future__ import annotations

import argparse
import base64
import copy
import gzip
import hashlib
import json
import quopri
import shutil
import sys
import uuid
from datetime import datetime, timedelta, timezone
from email.header import Header
from email.utils import format_datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
MESSAGES = HERE / "messages"
EXPECTED = HERE / "expected.json"

NAMESPACE = uuid.UUID("6f1d3c52-8a47-4b0e-9c1e-3d2a7b5e9f10")
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
REPORT_ADDRESS = "reports@playsql.example"
CONFLUENCE = "Confluence <confluence@customer.example>"
ADMIN = "Wiki Admin <admin@customer.example>"

# --------------------------------------------------------------------------
# Identities


def report_id(key: str) -> str:
    """A UUID (8-4-4-4-12 hex) unique to key."""
    return str(uuid.uuid5(NAMESPACE, "report:" + key))


def server_id(key: str) -> str:
    """A Confluence Server ID (four groups of four A-Z0-9) unique to key."""
    digest = hashlib.sha256(("server:" + key).encode()).digest()
    chars = "".join(ALPHABET[b % 36] for b in digest[:16])
    return "-".join(chars[i:i + 4] for i in range(0, 16, 4))


def digest(key: str, n: int = 24) -> str:
    return hashlib.sha1(key.encode()).hexdigest()[:n]


# --------------------------------------------------------------------------
# MIME building: hand-written so that every header and encoding is exactly
# what the quirk needs (LF line ends throughout).


class Part:
    def __init__(self, headers, body: bytes | None = b"", parts=None, boundary=None, preamble=b""):
        self.headers = list(headers)
        self.body = body
        self.parts = parts
        self.boundary = boundary
        self.preamble = preamble

    def render(self) -> bytes:
        out = b"".join(f"{name}: {value}\n".encode("ascii") for name, value in self.headers)
        if self.parts is None and self.body is None:
            return out  # headers only, not even the blank line
        out += b"\n"
        if self.parts is None:
            body = self.body
            return out + body + (b"" if body.endswith(b"\n") or not body else b"\n")
        out += self.preamble
        for part in self.parts:
            rendered = part.render()
            out += b"--" + self.boundary.encode() + b"\n" + rendered
            if not rendered.endswith(b"\n"):
                out += b"\n"
        return out + b"--" + self.boundary.encode() + b"--\n"


def encode(data: bytes, cte: str) -> bytes:
    if cte == "base64":
        return base64.encodebytes(data)
    if cte == "quoted-printable":
        return quopri.encodestring(data)
    if cte in ("7bit", "8bit", "binary"):
        if cte == "7bit":
            assert all(b < 128 for b in data), "7bit data must be ASCII"
        return data
    raise ValueError(cte)


def leaf(content_type: str, data: bytes, cte: str, disposition: str | None = None, extra=()) -> Part:
    headers = [("Content-Type", content_type), ("Content-Transfer-Encoding", cte)]
    if disposition:
        headers.append(("Content-Disposition", disposition))
    headers.extend(extra)
    return Part(headers, encode(data, cte))


def text(body: str, charset: str = "utf-8", cte: str = "base64", subtype: str = "plain", extra=()) -> Part:
    return leaf(f'text/{subtype}; charset="{charset}"', body.encode(charset), cte, extra=extra)


def attachment(data: bytes, filename: str | None = "playsql-report.json", content_type: str = "application/json",
               cte: str = "base64", disposition: str | None = None) -> Part:
    if disposition is None and filename is not None:
        disposition = f'attachment; filename="{filename}"'
    return leaf(content_type, data, cte, disposition)


def multipart(subtype: str, parts, key: str, style: str = "javamail", params: str = "", preamble: bytes = b"") -> Part:
    if style == "javamail":
        boundary = f"----=_Part_{int(digest(key, 6), 16) % 997}_{int(digest(key + '/t', 10), 16) % 10**10}.{1790000000000 + int(digest(key + '/n', 8), 16) % 10**9}"
    else:
        boundary = f"=_{digest(key + '/' + subtype)}"
    return Part([("Content-Type", f'multipart/{subtype}; {params}boundary="{boundary}"')], None, parts, boundary, preamble)


def message(key: str, subject: str, content: Part, sender: str = CONFLUENCE, to: str = REPORT_ADDRESS,
            date: datetime | None = None, extra=(), domain: str = "mail.customer.example") -> Part:
    date = date or datetime(2026, 11, 1, 1, 5, tzinfo=timezone.utc)
    head = [
        ("From", sender),
        ("To", to),
        ("Subject", subject),
        ("Date", format_datetime(date)),
        ("Message-ID", f"<{digest('mid/' + key, 20)}@{domain}>"),
        ("MIME-Version", "1.0"),
        *extra,
    ]
    return Part(head + content.headers, content.body, content.parts, content.boundary, content.preamble)


def rfc822(inner: Part, filename: str | None = None) -> Part:
    headers = [("Content-Type", "message/rfc822")]
    if filename:
        headers.append(("Content-Disposition", f'attachment; filename="{filename}"'))
    return Part(headers, inner.render())


def encoded_subject(s: str) -> str:
    return Header(s, "utf-8").encode()


# --------------------------------------------------------------------------
# Report documents


def monthly(key: str, *, rid: str | None | bool = True, sid: str | None = None,
            generated: str = "2026-11-01T02:00:03+01:00", period=("2026-10-01", "2026-10-31"),
            contact: bool = True, environment: bool = False, users: int = 412) -> dict:
    doc = {
        "format": "playsql-report",
        "formatVersion": 2,
        "reportId": report_id(key) if rid is True else rid,
        "kind": "monthly",
        "serverId": sid or server_id(key),
        "generatedAt": generated,
        "period": {"start": period[0], "end": period[1]},
        "confluence": {"version": "8.5.4", "edition": "server", "clusterNodes": 1,
                       "userCount": users, "database": "postgresql"},
        "addon": {"version": "4.9.1",
                  "license": {"type": "commercial", "sen": "SEN-L12345678",
                              "maxUsers": 500, "expiresOn": "2027-03-01"}},
        "usage": {"activeUsers": 35, "spreadsheets": 120, "queries": 8301, "pagesWithMacros": 87},
        "connections": [{"type": "postgresql", "count": 2}, {"type": "oracle", "count": 1}],
        "features": {"formulas": 120, "sql-queries": 8301, "excel-import": 4},
        "errors": {"connectionFailures": 12, "queryErrors": 40, "exceptions": 3},
    }
    if rid in (None, False):
        del doc["reportId"]
    if contact:
        doc["contact"] = {"email": "wiki-admin@customer.example", "name": "Hélène Dupré"}
    if environment:
        doc["environment"] = {"javaVersion": "17.0.9", "os": "Linux",
                              "hostname": "wiki.internal", "ip": "10.1.2.3"}
    return doc


def install(key: str, **kw) -> dict:
    doc = monthly(key, **kw)
    doc["kind"] = "install"
    del doc["period"]
    doc["usage"] = {"activeUsers": 0, "spreadsheets": 0, "queries": 0, "pagesWithMacros": 0}
    doc["features"] = {}
    doc["errors"] = {}
    doc["connections"] = []
    return doc


def notice(kind: str, rid: str, sid: str, generated: str) -> dict:
    return {"format": "playsql-report", "formatVersion": 2, "reportId": rid,
            "kind": kind, "serverId": sid, "generatedAt": generated}


def put(doc: dict, path: str, value) -> dict:
    doc = copy.deepcopy(doc)
    *parents, last = path.split(".")
    target = doc
    for p in parents:
        target = target[p]
    target[last] = value
    return doc


def drop(doc: dict, path: str) -> dict:
    doc = copy.deepcopy(doc)
    *parents, last = path.split(".")
    target = doc
    for p in parents:
        target = target[p]
    del target[last]
    return doc


def dumps(doc, pretty: bool = True, ascii_only: bool = True) -> bytes:
    if pretty:
        return json.dumps(doc, indent=2, ensure_ascii=ascii_only).encode("utf-8") + b"\n"
    return json.dumps(doc, ensure_ascii=ascii_only).encode("utf-8")


def intro(kind: str, sid: str) -> str:
    return (f"This is the {kind} usage report of Play SQL Spreadsheets for the Confluence\n"
            f"instance {sid}. You can turn these reports off in the add-on's\n"
            "administration page. Thank you for using Play SQL!\n")


def addon_mail(key: str, doc: dict, *attachments: Part, subject: str | None = None, external: bool = False,
               date: datetime | None = None) -> Part:
    """The e-mail a 4.x add-on sends: a short text and the JSON attachment(s)."""
    kind, sid = doc["kind"], doc["serverId"]
    subject = subject or f"[Play SQL] {kind.capitalize()} usage report for {sid.strip()}"
    if external:
        subject = "[EXTERNAL] " + subject
    if not attachments:
        attachments = (attachment(dumps(doc)),)
    body = multipart("mixed", [text(intro(kind, sid.strip()))] + list(attachments), key)
    return message(key, subject, body, date=date)


# --------------------------------------------------------------------------
# Format 1 blocks

BEGIN = "--- BEGIN PLAY SQL REPORT ---"
END = "--- END PLAY SQL REPORT ---"


def f1_fields(key: str, *, kind: str = "monthly", rid: bool = True, sid: str | None = None,
              generated: str = "2026-11-01T02:00:03+01:00", period: str | None = "2026-10-01/2026-10-31",
              changes: dict | None = None, extra=()) -> list[tuple[str, str]]:
    fields = [
        ("Report-Version", "1"),
        ("Report-Id", report_id(key) if rid else None),
        ("Kind", kind),
        ("Server-Id", sid or server_id(key)),
        ("Generated-At", generated),
        ("Period", period if kind == "monthly" else None),
        ("Confluence-Version", "5.9.4"),
        ("Confluence-Users", "120"),
        ("Play-SQL-Version", "3.5.2"),
        ("License-Type", "commercial"),
        ("License-SEN", "SEN-L7654321"),
        ("Active-Users", "12"),
        ("Spreadsheets", "40"),
        ("Queries", "1200"),
        ("Connections", "postgresql=2, mysql=1"),
        ("Features", "formulas=10, excel-import=2"),
        ("Errors", "connectionFailures=1, queryErrors=5"),
        ("Contact-Email", "admin@customer.example"),
    ]
    changes = changes or {}
    fields = [(k, changes.get(k, v)) for k, v in fields]
    return [(k, v) for k, v in fields if v is not None] + list(extra)


def f1_block(fields, key_case=None, prefix: str = "", marker_prefix: str | None = None) -> str:
    marker_prefix = prefix if marker_prefix is None else marker_prefix
    lines = [marker_prefix + BEGIN]
    for k, v in fields:
        k = k.lower() if key_case == "lower" else k.upper() if key_case == "upper" else k
        lines.append(f"{prefix}{k}: {v}".rstrip() if v == "" else f"{prefix}{k}: {v}")
    lines.append(marker_prefix + END)
    return "\n".join(lines) + "\n"


def f1_mail(key: str, body: str, charset: str = "utf-8", cte: str = "quoted-printable",
            subject: str = "Automatic message", sender: str = CONFLUENCE) -> Part:
    return message(key, subject, text(body, charset, cte), sender=sender)


F1_SIGNATURE = "\n-- \nSent automatically by Confluence\n"


# --------------------------------------------------------------------------
# The cases

CASES: list[tuple[str, list[str], str, str | None, object]] = []


def case(name: str, outcomes, note: str, reason: str | None = None):
    if isinstance(outcomes, str):
        outcomes = [outcomes]

    def register(fn):
        CASES.append((name, list(outcomes), note, reason, fn))
        return fn
    return register


EXAMPLES = {
    "format1-monthly-latin1.eml": (["accepted"], "reference example: format 1 monthly block, ISO-8859-1, quoted-printable", None),
    "format2-gzip.eml": (["accepted"], "reference example: playsql-report.json.gz, application/gzip, base64", None),
    "format2-install.eml": (["accepted"], "reference example: format 2 install report with environment block", None),
    "format2-monthly.eml": (["accepted"], "reference example: format 2 monthly report, application/json, base64", None),
    "format2-no-report-id.eml": (["accepted"], "reference example: monthly without reportId (fallback identity), application/octet-stream", None),
    "format2-optout.eml": (["accepted"], "reference example: optout notice of its own instance", None),
    "format2-quoted-printable.eml": (["accepted"], "reference example: JSON in quoted-printable, file name playsql-report-2.json", None),
    "forwarded-as-attachment.eml": (["accepted"], "reference example: report e-mail forwarded as message/rfc822", None),
    "invalid-negative-count.eml": (["invalid"], "reference example: confluence.userCount is -4", "usercount"),
    "not-a-report-auto-reply.eml": (["not-a-report"], "reference example: Auto-Submitted: auto-replied", None),
    "not-a-report-bounce.eml": (["not-a-report"], "reference example: DSN, multipart/report; report-type=delivery-status", None),
}

# ---- format 2, accepted -----------------------------------------------------


@case("format2-content-type-octet-stream.eml", "accepted",
      "playsql-report.json sent as application/octet-stream (a gateway's relabelling), base64")
def _(k):
    doc = monthly(k)
    return addon_mail(k, doc, attachment(dumps(doc), content_type="application/octet-stream"))


@case("format2-content-type-text-plain.eml", "accepted",
      "playsql-report.json relabelled text/plain; charset=utf-8 by a gateway, quoted-printable; the file name decides, and the text part has no format-1 block")
def _(k):
    doc = monthly(k)
    return addon_mail(k, doc, attachment(dumps(doc, ascii_only=False), content_type='text/plain; charset="utf-8"',
                                         cte="quoted-printable"))


@case("format2-7bit.eml", "accepted", "application/json in 7bit (pretty-printed ASCII JSON, no transfer encoding)")
def _(k):
    doc = monthly(k)
    return addon_mail(k, doc, attachment(dumps(doc), cte="7bit"))


@case("format2-8bit-utf8.eml", "accepted",
      "application/json; charset=utf-8 in 8bit: raw UTF-8 bytes (contact name Hélène Dupré, Zoë) in the message")
def _(k):
    doc = put(monthly(k), "contact.name", "Hélène Dupré-Zoë")
    return addon_mail(k, doc, attachment(dumps(doc, ascii_only=False), content_type='application/json; charset="utf-8"',
                                         cte="8bit"))


@case("format2-filename-with-month.eml", "accepted", "file name playsql-report-2026-10.json")
def _(k):
    doc = monthly(k)
    return addon_mail(k, doc, attachment(dumps(doc), filename="playsql-report-2026-10.json"))


@case("format2-filename-upper-case.eml", "accepted",
      "file name PLAYSQL-REPORT.JSON in upper case (file names are matched case-insensitively)")
def _(k):
    doc = monthly(k)
    return addon_mail(k, doc, attachment(dumps(doc), filename="PLAYSQL-REPORT.JSON"))


@case("format2-name-in-content-type-only.eml", "accepted",
      "no Content-Disposition: the file name is only in Content-Type's name= parameter")
def _(k):
    doc = monthly(k)
    return addon_mail(k, doc, attachment(dumps(doc), filename=None,
                                         content_type='application/json; name="playsql-report.json"'))


@case("format2-filename-rfc2231-encoded.eml", "accepted",
      "RFC 2231 file name: filename*=UTF-8''playsql%2Dreport%2D2026%2D10.json (and a name*= in Content-Type)")
def _(k):
    doc = monthly(k)
    return addon_mail(k, doc, attachment(
        dumps(doc), filename=None,
        content_type="application/json; name*=UTF-8''playsql%2Dreport%2D2026%2D10.json",
        disposition="attachment; filename*=UTF-8''playsql%2Dreport%2D2026%2D10.json"))


@case("format2-filename-rfc2231-continuations.eml", "accepted",
      "RFC 2231 file name split in continuations: filename*0*=utf-8'en'playsql-rep; filename*1*=ort%2Ejson")
def _(k):
    doc = monthly(k)
    return addon_mail(k, doc, attachment(
        dumps(doc), filename=None,
        disposition="attachment;\n filename*0*=utf-8'en'playsql-rep;\n filename*1*=ort%2Ejson"))


@case("format2-gzip-over-64k.eml", "accepted",
      "playsql-report.json.gz, application/gzip: a legitimate report over 64 KiB once inflated (3,200 feature counters); a size cap must let it through")
def _(k):
    doc = monthly(k)
    doc["features"] = {f"macro-{i:04d}": (i * 7) % 50 for i in range(3200)}
    data = dumps(doc)
    assert len(data) > 65536, len(data)
    return addon_mail(k, doc, attachment(gzip.compress(data, mtime=0), filename="playsql-report.json.gz",
                                         content_type="application/gzip"))


@case("format2-gzip-octet-stream.eml", "accepted",
      "playsql-report.json.gz sent as application/octet-stream")
def _(k):
    doc = monthly(k)
    return addon_mail(k, doc, attachment(gzip.compress(dumps(doc), mtime=0), filename="playsql-report.json.gz",
                                         content_type="application/octet-stream"))


@case("format2-utf8-bom.eml", "accepted", "JSON preceded by a UTF-8 byte order mark (EF BB BF)")
def _(k):
    doc = monthly(k)
    return addon_mail(k, doc, attachment(b"\xef\xbb\xbf" + dumps(doc, ascii_only=False)))


@case("format2-inline-disposition.eml", "accepted",
      "Content-Disposition: inline; filename=\"playsql-report.json\" (shown in the body by mail clients)")
def _(k):
    doc = monthly(k)
    return addon_mail(k, doc, attachment(dumps(doc), disposition='inline; filename="playsql-report.json"'))


@case("format2-install-no-report-id.eml", "accepted",
      "install report without reportId (4.0 build): identity falls back to (serverId, kind, generatedAt)")
def _(k):
    doc = install(k, rid=None)
    return addon_mail(k, doc)


@case("format2-monthly-no-report-id-resent-same-period.eml", ["accepted", "duplicate"],
      "two monthly reports without reportId for the same server and period.start, generatedAt 5 minutes apart (a resend by a 4.0 build): the fallback identity (serverId, kind, period.start) makes the second a duplicate")
def _(k):
    first = monthly(k, rid=None, generated="2026-11-01T02:00:03+01:00")
    second = monthly(k, rid=None, generated="2026-11-01T02:05:03+01:00")
    return addon_mail(k, first,
                      attachment(dumps(first), filename="playsql-report.json"),
                      attachment(dumps(second), filename="playsql-report-resent.json"))


@case("format2-server-id-lower-case-padded.eml", "accepted",
      "serverId in lower case with spaces around (\"  abcd-... \"): trimmed and upper-cased, then valid")
def _(k):
    doc = monthly(k)
    doc["serverId"] = "  " + doc["serverId"].lower() + " "
    return addon_mail(k, doc)


@case("format2-unknown-fields.eml", "accepted",
      "unknown fields at the top level and inside objects (new optional fields of a minor release): ignored, not stored")
def _(k):
    doc = monthly(k)
    doc["telemetrySchema"] = "2.7"
    doc["usage"]["dashboards"] = 3
    doc["confluence"]["locale"] = "fr_FR"
    doc["addon"]["buildNumber"] = 4917
    doc["marketplace"] = {"channel": "dc", "trial": False, "tags": ["a", "b"]}
    return addon_mail(k, doc)


@case("format2-environment-block.eml", "accepted",
      "environment block with hostname and IP: accepted, and nothing of it may be stored")
def _(k):
    doc = monthly(k, environment=True)
    doc["environment"]["hostname"] = "confluence-prod-01.corp.customer.example"
    doc["environment"]["ip"] = "192.0.2.44"
    return addon_mail(k, doc)


@case("format2-contact-present.eml", "accepted", "contact block with e-mail and name (personal data, stored as In-App Analytics)")
def _(k):
    doc = monthly(k)
    doc["contact"] = {"email": "marta.kowalska@customer.example", "name": "Marta Kowalska"}
    return addon_mail(k, doc)


@case("format2-contact-absent.eml", "accepted", "no contact block at all (nobody typed an address)")
def _(k):
    return addon_mail(k, monthly(k, contact=False))


@case("format2-generated-at-utc-z.eml", "accepted", "generatedAt with Z: 2026-11-01T01:00:03Z")
def _(k):
    return addon_mail(k, monthly(k, generated="2026-11-01T01:00:03Z"))


@case("format2-generated-at-negative-offset.eml", "accepted", "generatedAt with a negative offset: 2026-10-31T20:00:03-05:00")
def _(k):
    return addon_mail(k, monthly(k, generated="2026-10-31T20:00:03-05:00"))


@case("format2-generated-at-fractional-seconds.eml", "accepted",
      "generatedAt with fractional seconds: 2026-11-01T02:00:03.123456+01:00")
def _(k):
    return addon_mail(k, monthly(k, generated="2026-11-01T02:00:03.123456+01:00"))


@case("format2-license-type-unknown.eml", "accepted",
      "addon.license.type \"enterprise-trial\" is not a known value: kept as given, the report is valid")
def _(k):
    return addon_mail(k, put(monthly(k), "addon.license.type", "enterprise-trial"))


@case("format2-nested-rfc822-two-levels.eml", "accepted",
      "report e-mail forwarded as message/rfc822 inside another forwarded message/rfc822 (two levels deep)")
def _(k):
    doc = monthly(k)
    original = addon_mail(k + "/original", doc)
    first = message(k + "/first", "Fwd: [Play SQL] Monthly usage report",
                    multipart("mixed", [text("Forwarding the usage report, our wiki cannot reach the internet.\n"),
                                        rfc822(original, "Play SQL report.eml")], k + "/first", style="plain"),
                    sender="Ops <ops@customer.example>", to="Wiki Admin <admin@customer.example>")
    outer = multipart("mixed", [text("Hello, here is the report my colleague forwarded to me.\n\nRegards,\nWiki Admin\n",
                                     cte="7bit"),
                                rfc822(first, "Fwd Play SQL report.eml")], k, style="plain",
                      preamble=b"This is a multi-part message in MIME format.\n")
    return message(k, "Fwd: Fwd: [Play SQL] Monthly usage report", outer, sender=ADMIN)


@case("format2-two-reports-attached.eml", ["accepted", "accepted"],
      "an administrator's backlog: two JSON attachments holding two different reports")
def _(k):
    a = monthly(k + "#1", generated="2026-10-01T02:00:03+02:00", period=("2026-09-01", "2026-09-30"))
    b = monthly(k + "#2")
    body = multipart("mixed", [text("Two reports that our wiki could not send, attached.\n", cte="7bit"),
                               attachment(dumps(a), filename="playsql-report-2026-09.json"),
                               attachment(dumps(b), filename="playsql-report-2026-10.json")], k, style="plain")
    return message(k, "Play SQL reports (backlog)", body, sender=ADMIN)


@case("format2-same-report-attached-twice.eml", ["accepted", "duplicate"],
      "the same report (same reportId, same content) attached twice to one e-mail")
def _(k):
    doc = monthly(k)
    return addon_mail(k, doc, attachment(dumps(doc)), attachment(dumps(doc)))


@case("mixed-format1-block-and-format2-attachment.eml", ["accepted", "accepted"],
      "one e-mail carrying a format-1 block in its text/plain body and a format-2 JSON attachment, of two different reports (block first in MIME order)")
def _(k):
    block = f1_block(f1_fields(k + "#1"))
    doc = monthly(k + "#2")
    body = multipart("mixed", [
        text("Hello,\n\nThe old instance sent this:\n\n" + block + "\nand the new one sent the attached file.\n",
             cte="quoted-printable"),
        attachment(dumps(doc))], k, style="plain")
    return message(k, "Play SQL reports from our two wikis", body, sender=ADMIN)

# ---- format 2, invalid or unsupported ---------------------------------------


def invalid2(name, note, reason, mutate, outcome="invalid"):
    @case(name, outcome, note, reason)
    def _(k):
        doc = mutate(monthly(k), k)
        data = doc if isinstance(doc, bytes) else dumps(doc)
        sid = server_id(k)
        return addon_mail(k, {"kind": "monthly", "serverId": sid}, attachment(data))


invalid2("format2-future-version-3.eml", "formatVersion 3: a future format, set aside until the receiver is upgraded",
         "formatversion", lambda d, k: put(d, "formatVersion", 3), outcome="unsupported")
invalid2("format2-format-version-as-string.eml", "formatVersion is the string \"2\", not an integer",
         "formatversion", lambda d, k: put(d, "formatVersion", "2"))
invalid2("format2-format-missing.eml", "the \"format\" field is missing", "format",
         lambda d, k: drop(d, "format"))
invalid2("format2-format-wrong.eml", "\"format\" is \"playsql-usage\" instead of \"playsql-report\"", "format",
         lambda d, k: put(d, "format", "playsql-usage"))
invalid2("format2-kind-unknown.eml", "kind \"weekly\" is not one of install, monthly, optout, optin", "kind",
         lambda d, k: put(d, "kind", "weekly"))
invalid2("format2-server-id-five-groups.eml", "serverId has five groups of four characters", "serverid",
         lambda d, k: put(d, "serverId", server_id(k) + "-ZZ99"))
invalid2("format2-server-id-bad-characters.eml", "serverId holds characters outside A-Z0-9 (\"_\" and \"/\")", "serverid",
         lambda d, k: put(d, "serverId", server_id(k)[:5] + "Q_7/" + server_id(k)[9:]))
invalid2("format2-generated-at-without-offset.eml", "generatedAt \"2026-11-01T02:00:03\" has no offset", "generatedat",
         lambda d, k: put(d, "generatedAt", "2026-11-01T02:00:03"))
invalid2("format2-monthly-without-period.eml", "monthly report without period", "period",
         lambda d, k: drop(d, "period"))
invalid2("format2-period-start-after-end.eml", "period.start 2026-10-31 is after period.end 2026-10-01", "period",
         lambda d, k: put(d, "period", {"start": "2026-10-31", "end": "2026-10-01"}))
invalid2("format2-usage-queries-fractional.eml", "usage.queries is 12.5, not an integer", "queries",
         lambda d, k: put(d, "usage.queries", 12.5))
invalid2("format2-feature-count-negative.eml", "features.formulas is -1", "features",
         lambda d, k: put(d, "features.formulas", -1))
invalid2("format2-errors-value-string.eml", "errors.queryErrors is the string \"40\"", "errors",
         lambda d, k: put(d, "errors.queryErrors", "40"))
invalid2("format2-connection-count-negative.eml", "connections[1].count is -2", "connections",
         lambda d, k: put(d, "connections", [{"type": "postgresql", "count": 2}, {"type": "oracle", "count": -2}]))
invalid2("format2-edition-cloud.eml", "confluence.edition is \"cloud\" (only server or datacenter)", "edition",
         lambda d, k: put(d, "confluence.edition", "cloud"))
invalid2("format2-json-truncated.eml", "the JSON stops in the middle (the attachment was cut short)", "json",
         lambda d, k: dumps(d)[: len(dumps(d)) // 2])
invalid2("format2-json-array.eml", "the JSON is an array holding an otherwise valid report, not an object", "json",
         lambda d, k: dumps([d]))


@case("format2-gzip-not-gzip.eml", "invalid",
      "playsql-report.json.gz, application/gzip, whose data is not gzip at all (corrupt bytes)", "gzip")
def _(k):
    junk = hashlib.sha512(k.encode()).digest() * 4
    junk = b"\x00\x17" + junk  # never the gzip magic 1F 8B
    return addon_mail(k, {"kind": "monthly", "serverId": server_id(k)},
                      attachment(junk, filename="playsql-report.json.gz", content_type="application/gzip"))


@case("format2-gzip-truncated.eml", "invalid",
      "playsql-report.json.gz whose gzip stream is cut in the middle of the deflate data (some inflaters return the partial JSON without error; either way it is invalid)")
def _(k):
    data = gzip.compress(dumps(monthly(k)), mtime=0)
    return addon_mail(k, {"kind": "monthly", "serverId": server_id(k)},
                      attachment(data[: len(data) // 2], filename="playsql-report.json.gz",
                                 content_type="application/gzip"))

# ---- format 1, accepted -----------------------------------------------------


@case("format1-utf8-8bit.eml", "accepted",
      "format-1 block in a UTF-8 text part sent 8bit, accented and non-Latin text around the block")
def _(k):
    body = ("Grüße aus Zürich — 你好 — Ça va ?\n\nVoici le rapport d'utilisation mensuel de Play SQL.\n\n"
            + f1_block(f1_fields(k)) + F1_SIGNATURE)
    return f1_mail(k, body, "utf-8", "8bit")


@case("format1-iso-8859-1-8bit.eml", "accepted",
      "format-1 block in an ISO-8859-1 text part sent 8bit (raw Latin-1 bytes, not valid UTF-8), Contact-Name Hélène Dupré")
def _(k):
    body = ("Bonjour,\n\nVoilà le rapport d'utilisation mensuel de Play SQL. Ça marche très bien.\n\n"
            + f1_block(f1_fields(k, extra=[("Contact-Name", "Hélène Dupré")])) + "\n-- \nEnvoyé automatiquement par Confluence\n")
    return f1_mail(k, body, "iso-8859-1", "8bit")


@case("format1-windows-1252-qp.eml", "accepted",
      "format-1 block in a windows-1252 quoted-printable part; text around uses bytes 0x80-0x9F (€, ’, —, Œ) that ISO-8859-1 lacks")
def _(k):
    body = ("Bonjour,\n\nVoici le rapport d’utilisation mensuel de Play SQL — édition « Server ».\n"
            "Coût : 0 € ; merci à l’équipe Œuvres.\n\n"
            + f1_block(f1_fields(k, extra=[("Contact-Name", "Œdipe Dupré")])) + "\n-- \nEnvoyé automatiquement par Confluence\n")
    return f1_mail(k, body, "windows-1252", "quoted-printable")


@case("format1-base64-text-part.eml", "accepted", "format-1 block in a base64-encoded UTF-8 text/plain part")
def _(k):
    body = "Hello,\n\nHere is the monthly usage report of Play SQL.\n\n" + f1_block(f1_fields(k)) + F1_SIGNATURE
    return f1_mail(k, body, "utf-8", "base64")


@case("format1-keys-lower-case.eml", "accepted", "format-1 keys in lower case (report-version:, server-id:, ...)")
def _(k):
    return f1_mail(k, "Report follows.\n\n" + f1_block(f1_fields(k), key_case="lower"), cte="7bit")


@case("format1-keys-upper-case.eml", "accepted", "format-1 keys in UPPER CASE (REPORT-VERSION:, SERVER-ID:, ...)")
def _(k):
    return f1_mail(k, "Report follows.\n\n" + f1_block(f1_fields(k), key_case="upper"), cte="7bit")


@case("format1-indented-lines.eml", "accepted",
      "every line of the block indented by the mail client (markers by two spaces, fields by four)")
def _(k):
    return f1_mail(k, "Hello,\n\n" + f1_block(f1_fields(k), prefix="    ", marker_prefix="  ") + F1_SIGNATURE)


def quote(text: str) -> str:
    """Quotes every line of text as a mail client does: "> " before it, ">" alone for an empty line."""
    return "".join(("> " + line if line else ">") + "\n" for line in text.split("\n")[:-1])


@case("format1-quoted-forward.eml", "accepted",
      "block forwarded inline by an administrator, every line quoted with \"> \"")
def _(k):
    original = "Hello,\n\nHere is the monthly usage report of Play SQL.\n\n" + f1_block(f1_fields(k)) + F1_SIGNATURE
    body = ("Hi,\n\nour Confluence cannot reach you, so here is its report.\n\nBest regards,\nWiki Admin\n\n"
            "On Sun, 1 Nov 2026 at 02:05, Confluence <confluence@customer.example> wrote:\n" + quote(original))
    return f1_mail(k, body, subject="Fwd: Automatic message", sender=ADMIN)


@case("format1-quoted-twice.eml", "accepted",
      "block quoted twice (\"> > \"): a forwarded report replied to again")
def _(k):
    first = "On Sun, 1 Nov 2026, Wiki Admin wrote:\n" + quote("Here is the report.\n\n" + f1_block(f1_fields(k)))
    body = "Sending it again as asked.\n\nOn Mon, 2 Nov 2026, Ops wrote:\n" + quote(first)
    return f1_mail(k, body, subject="Re: Fwd: Automatic message", sender=ADMIN)


@case("format1-no-report-id.eml", "accepted",
      "format-1 block without Report-Id (builds before 3.2): fallback identity (serverId, kind, period.start)")
def _(k):
    return f1_mail(k, "Report follows.\n\n" + f1_block(f1_fields(k, rid=False)) + F1_SIGNATURE)


@case("format1-empty-connections.eml", "accepted", "\"Connections:\" with an empty value, meaning no connections")
def _(k):
    return f1_mail(k, "Report follows.\n\n" + f1_block(f1_fields(k, changes={"Connections": ""})) + F1_SIGNATURE,
                   cte="7bit")


@case("format1-unknown-keys.eml", "accepted",
      "unknown keys in the block (Java-Version, Server-Hostname, X-Debug): ignored and not stored")
def _(k):
    extra = [("Java-Version", "1.8.0_202"), ("Server-Hostname", "wiki.internal"), ("X-Debug", "true")]
    return f1_mail(k, "Report follows.\n\n" + f1_block(f1_fields(k, extra=extra)) + F1_SIGNATURE)


@case("format1-two-blocks.eml", ["accepted", "accepted"], "two blocks of two different reports in one text part")
def _(k):
    a = f1_block(f1_fields(k + "#1", generated="2026-10-01T02:00:03+02:00", period="2026-09-01/2026-09-30"))
    b = f1_block(f1_fields(k + "#2"))
    body = "Two reports, one per wiki:\n\n" + a + "\nand the second one:\n\n" + b + F1_SIGNATURE
    return f1_mail(k, body, subject="Play SQL reports", sender=ADMIN)


@case("format1-alternative-with-html-twin.eml", "accepted",
      "multipart/alternative: the block in text/plain and the same text rendered in a text/html twin; only the text/plain block counts")
def _(k):
    block = f1_block(f1_fields(k))
    plain = "Hello,\n\nHere is the monthly usage report of Play SQL.\n\n" + block + F1_SIGNATURE
    html = ("<html><body><p>Hello,</p><p>Here is the monthly usage report of Play SQL.</p>\n<pre>\n"
            + block.replace("&", "&amp;").replace("<", "&lt;") + "</pre>\n<p>-- <br>Sent automatically by Confluence</p></body></html>\n")
    body = multipart("alternative", [text(plain, cte="quoted-printable"), text(html, cte="quoted-printable", subtype="html")], k)
    return message(k, "Automatic message", body)


@case("format1-install.eml", "accepted", "format-1 install report (no Period line)")
def _(k):
    return f1_mail(k, "Play SQL was installed.\n\n" + f1_block(f1_fields(k, kind="install")) + F1_SIGNATURE)

# ---- format 1, invalid ------------------------------------------------------


@case("format1-no-end-line.eml", "invalid", "a block that starts but never ends (no END line): the message was cut", "end")
def _(k):
    block = f1_block(f1_fields(k)).split("\n")
    return f1_mail(k, "Report follows.\n\n" + "\n".join(block[:-2]) + "\n")


@case("format1-queries-negative.eml", "invalid", "Queries: -3", "queries")
def _(k):
    return f1_mail(k, "Report follows.\n\n" + f1_block(f1_fields(k, changes={"Queries": "-3"})) + F1_SIGNATURE)


@case("format1-server-id-malformed.eml", "invalid", "Server-Id has three groups (\"ABCD-1234-EFGH\")", "server-id")
def _(k):
    sid = server_id(k)
    return f1_mail(k, "Report follows.\n\n" + f1_block(f1_fields(k, sid=sid[:14])) + F1_SIGNATURE)


@case("format1-kind-optout.eml", "invalid", "Kind: optout in a format-1 block (format 1 has no opt-in/opt-out kinds)", "kind")
def _(k):
    fields = [("Report-Version", "1"), ("Report-Id", report_id(k)), ("Kind", "optout"),
              ("Server-Id", server_id(k)), ("Generated-At", "2026-11-01T02:00:03+01:00")]
    return f1_mail(k, "Usage statistics were turned off.\n\n" + f1_block(fields) + F1_SIGNATURE)

# ---- not a report -----------------------------------------------------------


@case("not-a-report-out-of-office.eml", "not-a-report",
      "out-of-office auto-reply (Auto-Submitted: auto-replied) to a Play SQL mail, encoded-word French subject, no report")
def _(k):
    body = ("Bonjour,\n\nJe suis absent du bureau jusqu’au 9 novembre, sans accès à mes e-mails.\n"
            "Pour toute question sur le rapport Play SQL, écrivez à support@customer.example.\n")
    return message(k, encoded_subject("Réponse automatique : [Play SQL] Monthly usage report"),
                   text(body, cte="quoted-printable"), sender="Jean Martin <jean.martin@customer.example>",
                   extra=[("Auto-Submitted", "auto-replied"), ("X-Autoreply", "yes"), ("Precedence", "auto_reply")])


@case("not-a-report-dsn-bounce.eml", "not-a-report",
      "delivery status notification: multipart/report; report-type=delivery-status, empty return path, the returned headers mention a Play SQL report")
def _(k):
    explanation = ("This is the mail system at host mx.playsql.example.\n\nI'm sorry to have to inform you that your message "
                   "could not\nbe delivered to one or more recipients.\n\n<alerts@customer.example>: host mx.customer.example said: "
                   "550 5.1.1 User unknown\n")
    status = ("Reporting-MTA: dns; mx.playsql.example\nArrival-Date: Mon, 2 Nov 2026 08:00:00 +0000\n\n"
              "Final-Recipient: rfc822; alerts@customer.example\nAction: failed\nStatus: 5.1.1\n"
              "Diagnostic-Code: smtp; 550 5.1.1 User unknown\n")
    headers = ("From: reports@playsql.example\nTo: alerts@customer.example\n"
               "Subject: [Play SQL] Monthly usage report for your instance: missing\n"
               "Date: Mon, 2 Nov 2026 07:59:58 +0000\n")
    body = multipart("report", [text(explanation, "us-ascii", "7bit"),
                                Part([("Content-Type", "message/delivery-status")], status.encode()),
                                Part([("Content-Type", "text/rfc822-headers")], headers.encode())],
                     k, style="plain", params="report-type=delivery-status; ")
    return message(k, "Undelivered Mail Returned to Sender", body,
                   sender="MAILER-DAEMON@mx.playsql.example (Mail Delivery System)",
                   date=datetime(2026, 11, 2, 8, 0, 1, tzinfo=timezone.utc),
                   extra=[("Return-Path", "<>"), ("Auto-Submitted", "auto-replied")], domain="mx.playsql.example")


@case("not-a-report-human-mail.eml", "not-a-report",
      "human mail whose subject says \"Play SQL report\" and whose text talks about the report, with no block and no attachment")
def _(k):
    plain = ("Hi,\n\nI got the Play SQL report request from our Confluence admin. Do I need to send\n"
             "the playsql-report.json file by hand, or is the monthly report automatic?\n\nThanks,\nPeter\n")
    html = "<p>Hi,</p><p>I got the <b>Play SQL report</b> request from our Confluence admin.</p><p>Thanks,<br>Peter</p>\n"
    body = multipart("alternative", [text(plain, cte="7bit"), text(html, cte="7bit", subtype="html")], k, style="plain")
    return message(k, "Question about the Play SQL report", body, sender="Peter <peter@elsewhere.example>",
                   domain="mail.elsewhere.example")


@case("not-a-report-spam-invoice-json.eml", "not-a-report",
      "spam: HTML-only body and an unrelated application/json attachment invoice.json")
def _(k):
    html = ("<html><body><h1>Your invoice is ready</h1><p>Please find attached the invoice for your "
            "<a href=\"http://spam.example/x\">Play SQL report</a> subscription.</p></body></html>\n")
    invoice = dumps({"invoice": "INV-2026-0042", "amount": 1249.0, "currency": "EUR",
                     "format": "invoice", "formatVersion": 2})
    body = multipart("mixed", [multipart("alternative", [text(html, cte="quoted-printable", subtype="html")], k + "/alt", style="plain"),
                               attachment(invoice, filename="invoice.json")], k, style="plain")
    return message(k, "Invoice INV-2026-0042 overdue", body, sender="Billing <billing@spam.example>",
                   domain="spam.example")


@case("not-a-report-headers-only.eml", "not-a-report", "a message with headers only: no blank line, no body, no Content-Type")
def _(k):
    return Part([("From", "nobody@elsewhere.example"), ("To", REPORT_ADDRESS),
                 ("Date", "Tue, 03 Nov 2026 10:00:00 +0000"),
                 ("Message-ID", f"<{digest('mid/' + k, 20)}@elsewhere.example>")], None)


@case("not-a-report-subject-only.eml", "not-a-report",
      "subject \"[Play SQL] Monthly usage report for ...\" and the add-on's text, but the gateway removed the attachment: no report")
def _(k):
    sid = server_id(k)
    body = (intro("monthly", sid) + "\n[The attachment playsql-report.json was removed by the mail gateway: "
            "file type blocked by policy.]\n")
    return message(k, f"[Play SQL] Monthly usage report for {sid}", text(body, cte="7bit"))

# ---- opt-out story of OPT0-UT00-TEST-0001 -----------------------------------

OPT_SID = "OPT0-UT00-TEST-0001"
OPTOUT = notice("optout", report_id("opt/optout-2026-06-01"), OPT_SID, "2026-06-01T00:00:00Z")
OPTIN = notice("optin", report_id("opt/optin-2026-07-01"), OPT_SID, "2026-07-01T00:00:00Z")
MONTHLY_APRIL = monthly("opt/monthly-2026-04", sid=OPT_SID, generated="2026-05-01T02:00:00+02:00",
                        period=("2026-04-01", "2026-04-30"))
MONTHLY_JULY = monthly("opt/monthly-2026-07", sid=OPT_SID, generated="2026-08-01T02:00:00+02:00",
                       period=("2026-07-01", "2026-07-31"))


def opt_mail(k, doc, date):
    return addon_mail(k, doc, date=date)


@case("optout-notice.eml", "accepted",
      "optout notice of OPT0-UT00-TEST-0001 generated 2026-06-01T00:00:00Z (the same notice as in the other opt-out files)")
def _(k):
    return opt_mail(k, OPTOUT, datetime(2026, 6, 1, 0, 1, tzinfo=timezone.utc))


@case("optin-notice.eml", "accepted",
      "optin notice of OPT0-UT00-TEST-0001 generated 2026-07-01T00:00:00Z, alone (no opt-out known): accepted")
def _(k):
    return opt_mail(k, OPTIN, datetime(2026, 7, 1, 0, 1, tzinfo=timezone.utc))


@case("optout-then-earlier-monthly.eml", ["accepted", "dropped"],
      "forwarded backlog (two message/rfc822): the optout of 2026-06-01, then a monthly report generated 2026-05-01 that arrives after it: dropped, never stored")
def _(k):
    body = multipart("mixed", [
        text("Two mails stuck in our outbox, forwarded as attachments.\n", cte="7bit"),
        rfc822(opt_mail(k + "/optout", OPTOUT, datetime(2026, 6, 1, 0, 1, tzinfo=timezone.utc)), "optout.eml"),
        rfc822(opt_mail(k + "/monthly", MONTHLY_APRIL, datetime(2026, 5, 1, 0, 5, tzinfo=timezone.utc)), "monthly.eml"),
    ], k, style="plain")
    return message(k, "Fwd: Play SQL mails", body, sender=ADMIN, date=datetime(2026, 9, 1, 9, 0, tzinfo=timezone.utc))


@case("optout-optin-then-monthly.eml", ["accepted", "accepted", "accepted"],
      "three JSON attachments in order: optout 2026-06-01, optin 2026-07-01, monthly generated 2026-08-01: the opt-in ended the opt-out, the monthly is accepted")
def _(k):
    body = multipart("mixed", [
        text("Backlog of Play SQL files.\n", cte="7bit"),
        attachment(dumps(OPTOUT), filename="playsql-report-optout.json"),
        attachment(dumps(OPTIN), filename="playsql-report-optin.json"),
        attachment(dumps(MONTHLY_JULY), filename="playsql-report-2026-07.json"),
    ], k, style="plain")
    return message(k, "Play SQL files", body, sender=ADMIN, date=datetime(2026, 9, 1, 9, 0, tzinfo=timezone.utc))


@case("optin-then-earlier-optout-then-monthly.eml", ["accepted", "accepted", "accepted"],
      "out of order (three message/rfc822): optin 2026-07-01 first, then optout 2026-06-01, then a monthly generated 2026-08-01: the later opt-in wins whatever the arrival order")
def _(k):
    body = multipart("mixed", [
        text("Forwarding the Play SQL mails in the order I found them.\n", cte="7bit"),
        rfc822(opt_mail(k + "/optin", OPTIN, datetime(2026, 7, 1, 0, 1, tzinfo=timezone.utc)), "optin.eml"),
        rfc822(opt_mail(k + "/optout", OPTOUT, datetime(2026, 6, 1, 0, 1, tzinfo=timezone.utc)), "optout.eml"),
        rfc822(opt_mail(k + "/monthly", MONTHLY_JULY, datetime(2026, 8, 1, 0, 5, tzinfo=timezone.utc)), "monthly.eml"),
    ], k, style="plain")
    return message(k, "Fwd: Play SQL mails", body, sender=ADMIN, date=datetime(2026, 9, 1, 9, 0, tzinfo=timezone.utc))


# --------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=Path, help="folder of the reference examples to copy into messages/")
    args = parser.parse_args()

    MESSAGES.mkdir(parents=True, exist_ok=True)
    if args.examples:
        for name in EXAMPLES:
            shutil.copyfile(args.examples / name, MESSAGES / name)

    expected = {}
    for name, (outcomes, note, reason) in EXAMPLES.items():
        if not (MESSAGES / name).exists():
            print(f"missing example {name}: run with --examples DIR", file=sys.stderr)
            return 1
        expected[name] = entry(outcomes, note, reason)

    generated = set()
    for name, outcomes, note, reason, build in CASES:
        assert name not in expected, f"duplicate case {name}"
        data = build(name[:-4]).render()
        (MESSAGES / name).write_bytes(data)
        expected[name] = entry(outcomes, note, reason)
        generated.add(name)

    stale = sorted(p.name for p in MESSAGES.glob("*.eml") if p.name not in expected)
    for name in stale:
        (MESSAGES / name).unlink()
        print(f"removed stale {name}")

    EXPECTED.write_text(json.dumps(dict(sorted(expected.items())), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(generated)} generated + {len(EXAMPLES)} examples = {len(expected)} messages")
    return 0


def entry(outcomes, note, reason):
    e = {"outcomes": outcomes}
    if reason:
        e["reason"] = reason
    e["note"] = note
    return e


if __name__ == "__main__":
    sys.exit(main())
