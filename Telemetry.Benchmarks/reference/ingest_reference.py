#!/usr/bin/env python3
"""A straightforward ingester, the reference for the file-ingestion benchmark.

What a careful person would write in an afternoon with the standard library: walk a Maildir, parse each message
with `email`, find playsql-report*.json(.gz) attachments and Format 1 text blocks, parse them with `json` or by
splitting lines, and store the fields in SQLite (WAL, synchronous=FULL, one transaction per 500 messages), with a
content hash so the same message is not stored twice. It skips what the receiver does on top (every contract rule,
opt-outs, message records per item, supersession, health).

usage: ingest_reference.py MAILDIR DATABASE
"""
import email
import email.policy
import gzip
import hashlib
import json
import os
import sqlite3
import sys

BEGIN = "--- BEGIN PLAY SQL REPORT ---"
END = "--- END PLAY SQL REPORT ---"


def reports(message):
    for part in message.walk():
        name = part.get_filename() or ""
        if name.startswith("playsql-report") and (name.endswith(".json") or name.endswith(".json.gz")):
            data = part.get_payload(decode=True) or b""
            if name.endswith(".gz"):
                data = gzip.decompress(data)
            try:
                yield json.loads(data)
            except ValueError:
                pass
        elif part.get_content_type() == "text/plain":
            try:
                text = part.get_content()
            except (LookupError, UnicodeError):
                continue
            while BEGIN in text:
                start = text.index(BEGIN) + len(BEGIN)
                stop = text.find(END, start)
                if stop < 0:
                    break
                fields = {}
                for line in text[start:stop].splitlines():
                    line = line.lstrip("> ").strip()
                    if ":" in line:
                        key, value = line.split(":", 1)
                        fields[key.strip().lower()] = value.strip()
                yield {
                    "reportId": fields.get("report-id"),
                    "kind": fields.get("kind"),
                    "serverId": fields.get("server-id"),
                    "generatedAt": fields.get("generated-at"),
                    "confluence": {"version": fields.get("confluence-version"), "userCount": fields.get("confluence-users")},
                    "addon": {"version": fields.get("play-sql-version")},
                }
                text = text[stop + len(END):]


def main(maildir, database):
    db = sqlite3.connect(database, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE IF NOT EXISTS messages (hash BLOB PRIMARY KEY)")
    db.execute("""CREATE TABLE IF NOT EXISTS reports (
        report_id TEXT UNIQUE, kind TEXT, server_id TEXT, generated_at TEXT,
        confluence_version TEXT, user_count INTEGER, addon_version TEXT)""")
    files = []
    for sub in ("cur", "new"):
        folder = os.path.join(maildir, sub)
        if os.path.isdir(folder):
            files += [os.path.join(folder, f) for f in sorted(os.listdir(folder))]
    count = 0
    db.execute("BEGIN")
    for path in files:
        with open(path, "rb") as f:
            raw = f.read()
        digest = hashlib.sha256(raw).digest()
        if db.execute("SELECT 1 FROM messages WHERE hash = ?", (digest,)).fetchone():
            continue
        db.execute("INSERT INTO messages VALUES (?)", (digest,))
        message = email.message_from_bytes(raw, policy=email.policy.default)
        for r in reports(message):
            if not isinstance(r, dict) or r.get("kind") not in ("install", "monthly"):
                continue
            confluence = r.get("confluence") or {}
            db.execute(
                "INSERT OR IGNORE INTO reports VALUES (?, ?, ?, ?, ?, ?, ?)",
                (r.get("reportId"), r.get("kind"), r.get("serverId"), r.get("generatedAt"),
                 confluence.get("version"), confluence.get("userCount"), (r.get("addon") or {}).get("version")))
        count += 1
        if count % 500 == 0:
            db.execute("COMMIT")
            db.execute("BEGIN")
    db.execute("COMMIT")
    print(count)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
