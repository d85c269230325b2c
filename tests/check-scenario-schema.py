#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The JSON Schema of scenario documents and the documents agree: the schema
is a valid draft 2020-12 schema, every bundled document passes it, and the
mistakes the strict reader refuses (tests/test-scenarios.c) fail it too.
Skips (77) without the jsonschema module."""
import copy
import json
import pathlib
import sys

try:
    import jsonschema
except ImportError:
    print("jsonschema is not installed: skipped")
    sys.exit(77)

folder = pathlib.Path(sys.argv[1])
schema = json.loads((folder / "scenario.schema.json").read_text(encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

failures = 0
documents = sorted(p for p in folder.glob("*.json") if not p.name.endswith(".schema.json"))
if len(documents) < 15:
    print(f"only {len(documents)} scenarios")
    failures += 1
for path in documents:
    doc = json.loads(path.read_text(encoding="utf-8"))
    errors = list(validator.iter_errors(doc))
    for error in errors:
        print(f"{path.name}: {'/'.join(map(str, error.path))}: {error.message}")
    failures += len(errors)
    if doc.get("key") + ".json" != path.name:
        print(f"{path.name}: key {doc.get('key')} is not the file name")
        failures += 1

sample = json.loads(documents[0].read_text(encoding="utf-8"))
learner = next(i for i, t in enumerate(sample["turns"]) if t["speaker"] == "learner")
partner = next(i for i, t in enumerate(sample["turns"]) if t["speaker"] == "partner")


def broken(change):
    doc = copy.deepcopy(sample)
    change(doc)
    return doc


mistakes = {
    "missing title": broken(lambda d: d.pop("title")),
    "unknown level": broken(lambda d: d.update(level="D1")),
    "unknown member": broken(lambda d: d.update(colour="red")),
    "title too long": broken(lambda d: d.update(title="x" * 121)),
    "version a string": broken(lambda d: d.update(version="1")),
    "bad key": broken(lambda d: d.update(key="Hotel Check-in")),
    "no learner turn": broken(lambda d: d.update(
        turns=[t for t in d["turns"] if t["speaker"] == "partner"])),
    "no accepted answer": broken(lambda d: d["turns"][learner].pop("accepted")),
    "empty accepted answers": broken(lambda d: d["turns"][learner].update(accepted=[])),
    "accepted answer not a string": broken(lambda d: d["turns"][learner].update(accepted=[3])),
    "blank hint": broken(lambda d: d["turns"][learner].update(hints=["  "])),
    "answers on a partner turn": broken(lambda d: d["turns"][partner].update(accepted=["x"])),
    "unknown speaker": broken(lambda d: d["turns"][partner].update(speaker="narrator")),
}
for name, doc in mistakes.items():
    if validator.is_valid(doc):
        print(f"the schema accepts a document with a mistake: {name}")
        failures += 1

print(f"{len(documents)} documents, {len(mistakes)} mistakes checked, {failures} failures")
sys.exit(1 if failures else 0)
