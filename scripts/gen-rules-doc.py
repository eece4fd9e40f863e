#!/usr/bin/env python3
"""Generates docs/rules.md from the rules data set (data/rules/) and docs/rule_sources*.tsv
(one sources file per owner, e.g. rule_sources.tsv for the validators, rule_sources_application.tsv
for the application checks; columns code, severity, basis, source, implemented_in).

Every finding code with a message (any data/rules/messages_*.tsv) is listed with its severity,
basis (data or code), source and messages. Run from anywhere:
    python3 scripts/gen-rules-doc.py          # rewrite docs/rules.md
    python3 scripts/gen-rules-doc.py --check  # exit 1 when docs/rules.md is stale or a code
                                              # has no row in docs/rule_sources*.tsv
"""
import glob
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RULES = os.path.join(ROOT, "data", "rules")

TABLES = [
    ("version", "Version of the data set.", "—"),
    ("provinces.tsv", "31 provinces: GB code, names, SN abbreviation and parsing aliases (蜀/川, 陇/甘), "
     "resident-ID prefix, extra documents, cross-province policy for individuals, minimum age, "
     "whether the legal representative may hold the domain.",
     'RULES.md "Enumerations", "Numbers", "Documents"; FACTS 3.2, 5.3, 6.1, 7.2'),
    ("suffixes.tsv", "Approved domain suffixes with their class (open, government, public_institution, "
     "education, research) and the organizer types allowed on restricted ones.",
     'RULES.md "Websites and domains"; FACTS 3.1, 6.1'),
    ("organizer_types.tsv", "Organizer types: allowed certificate types, expected USCC prefixes, "
     "required domain suffixes, individual or not.",
     'RULES.md "Organizer types and certificates"; FACTS 3.1, 8.1'),
    ("certificate_types.tsv", "Certificate and identity document types with the number format that "
     "selects their validator and whether they have a back side.",
     'RULES.md "Organizer types and certificates", "Enumerations"; FACTS 3.1, 3.2'),
    ("name_words.tsv", "Forbidden name prefixes, words individuals may not use, regulated words → "
     "pre-approval kind.", 'RULES.md "Websites and domains"; FACTS 8.3'),
    ("pre_approval_kinds.tsv", "Pre-approval kinds.", 'RULES.md "Enumerations"; FACTS 4.2'),
    ("service_contents.tsv", "Service content kinds, whether individuals may choose them, and the "
     "pre-approval each needs.", 'RULES.md "Websites and domains", "Enumerations"; FACTS 4.2'),
    ("documents.tsv", "Document kinds: formats, size and pixel limits.",
     'RULES.md "Documents"; FACTS 5.2'),
    ("document_requirements.tsv", "Default document requirements: kind, subject, organizer types, "
     "condition, reason.", 'RULES.md "Documents"; FACTS 5.1, 5.3'),
    ("settings.tsv", "SLA durations, SMS limits, expiry warnings, domain/server months left, service "
     "codes per server, websites per individual, minimum name length.",
     'RULES.md "Timing", "Servers", "Websites and domains"; FACTS 1.2, 1.4, 4.5, 6.2'),
    ("holidays.tsv", "Public holidays and make-up working days (2025, 2026).",
     'RULES.md "Timing" (business days)'),
    ("province_id_types.tsv", "Identity document types a province refuses for individual "
     "organizers (Hebei: passport, foreign permanent resident card).",
     'RULES.md "Decisions" 16'),
]


OTHER_RULES = [
    ("Subject SN `<abbr>ICP备<YYYY><6-digit sequence>号`, website SN `…号-N`; parsing accepts 6–10 "
     "digits and 蜀/川, 陇/甘", "data (abbreviations) + code", 'RULES.md "Numbers"; FACTS 7.1, 7.2',
     "src/domain/numbering.cc, provinces.tsv"),
    ("Registrable domain = one label below the ICANN public suffix (private PSL section ignored); IDN "
     "kept as Unicode and punycode", "code", 'RULES.md "Websites and domains"; FACTS 6.1',
     "src/domain/domain_name.cc (libidn2, libpsl)"),
    ("Business days skip weekends and listed holidays, and count make-up working days",
     "data", 'RULES.md "Timing"', "Rules::IsBusinessDay, holidays.tsv"),
    ("Input normalisation: trim, full-width → ASCII, upper-case codes (x → X), spaces removed",
     "code", 'RULES.md "Check algorithms"; issue 3 "How it is tested"',
     "src/domain/validators_util.cc"),
    ("Normalisation where the application is read (decisions 2026-12-02): NFKC and trim for "
     "every governed field; names (organizer, persons, websites, legal representative) as typed "
     "otherwise; certificate and identity numbers upper-case without spaces (points 1, 3); "
     "military unit codes without 部队/…分队 (point 2); domains with one trailing dot stripped, "
     "。 → ., lower-case, UTS #46, reduced to the registrable domain and stored in Unicode "
     "(point 4). What is stored and judged is the normalised value; normalising never yields a "
     "finding", "code", 'RULES.md decisions 1-4, 6', "src/domain/normalize.cc (libunistring NFKC), "
     "application_json.cc"),
    ("\"N months\" are calendar months on Asia/Shanghai dates: ok ⇔ expiry ≥ add_months(today, N) "
     "clamped to month end (2026-11-30 + 3 = 2027-02-28); \"长期\" passes; N per province, "
     "default settings.tsv", "data + code", 'RULES.md decision 8',
     "src/domain/calendar.cc AddMonths, eligibility.cc EnoughLeft, provinces.tsv "
     "domain_min_months_left"),
    ("SMS persons (`sms_persons` of the precheck): first_filing and new_website → the organizer's "
     "and every website's person in charge; new_isp → every website's; modify → the persons whose "
     "section differs from the registry record (an unrecorded person counts as changed); one per "
     "distinct (id_type, id_number)", "code", 'RULES.md decision 9; DECISION-SOURCES 9 (TX '
     '备案短信核验说明)', "src/domain/filing_type.cc SmsPersons, registry_view.h RegistryPerson"),
    ("Optional `organizer.legal_representative {name, id_type, id_number}`; absent → the "
     "organizer's person in charge is the legal representative; every person in charge of an "
     "organization who differs by (id_type, id_number) needs an `authorization_letter` "
     "(required_documents, reason authorization_letter_required), which blocks submission, not "
     "the offline precheck", "data + code", 'RULES.md decision 10',
     "src/domain/application.h, documents.cc, document_requirements.tsv"),
]


def read_tsv(path):
    rows = []
    header = None
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cells = [c.strip() for c in line.split("\t")]
            if header is None:
                header = cells
            else:
                rows.append(dict(zip(header, cells)))
    return rows


def esc(s):
    return s.replace("|", "\\|")


def generate():
    messages = {}
    for path in sorted(glob.glob(os.path.join(RULES, "messages_*.tsv"))):
        for row in read_tsv(path):
            messages[row["code"]] = (row["zh-CN"], row["en"], os.path.basename(path))
    sources = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "docs", "rule_sources*.tsv"))):
        sources.update({r["code"]: r for r in read_tsv(path)})
    version = [l.strip() for l in open(os.path.join(RULES, "version"), encoding="utf-8")
               if l.strip() and not l.startswith("#")][0]
    out = []
    out.append("# Filing rules: codes, sources, data or code")
    out.append("")
    out.append("Generated by `scripts/gen-rules-doc.py` from `data/rules/` and `docs/rule_sources*.tsv`; "
               "do not edit by hand. Rules data version **%s**." % version)
    out.append("")
    out.append("Rules marked *data* take their values from the versioned data set in `data/rules/` "
               "(loaded and cross-checked at start by `src/domain/rules_loader.cc`; a broken file stops "
               "the program with `file:line: problem`). Rules marked *code* are algorithms in "
               "`src/domain/`. Sources name the section of `RULES.md` and the tags of "
               "`ICP-FILING-FACTS.md`.")
    out.append("")
    out.append("## Data set")
    out.append("")
    out.append("| file | holds | rows | source |")
    out.append("| --- | --- | --- | --- |")
    for name, what, src in TABLES:
        path = os.path.join(RULES, name)
        rows = "1" if name == "version" else str(len(read_tsv(path)))
        out.append("| `%s` | %s | %s | %s |" % (name, esc(what), rows, esc(src)))
    for path in sorted(glob.glob(os.path.join(RULES, "messages_*.tsv"))):
        out.append("| `%s` | Message templates (zh-CN, en). | %d | — |"
                   % (os.path.basename(path), len(read_tsv(path))))
    out.append("")
    out.append("## Finding codes")
    out.append("")
    out.append("| code | severity | basis | source | implemented in | zh-CN | en |")
    out.append("| --- | --- | --- | --- | --- | --- | --- |")
    missing = []
    for code in sorted(messages):
        zh, en, _ = messages[code]
        s = sources.get(code)
        if s is None:
            missing.append(code)
            s = {"severity": "?", "basis": "?", "source": "—", "implemented_in": "—"}
        out.append("| `%s` | %s | %s | %s | %s | %s | %s |" % (
            code, s["severity"], s["basis"], esc(s["source"]), esc(s["implemented_in"]), esc(zh), esc(en)))
    out.append("")
    out.append("## Rules without a finding code")
    out.append("")
    out.append("| rule | basis | source | implemented in |")
    out.append("| --- | --- | --- | --- |")
    for row in OTHER_RULES:
        out.append("| %s |" % " | ".join(esc(c) for c in row))
    out.append("")
    return "\n".join(out), missing


def main():
    text, missing = generate()
    target = os.path.join(ROOT, "docs", "rules.md")
    for code in missing:
        print("no row in docs/rule_sources*.tsv for code %s" % code, file=sys.stderr)
    # A data file the table does not describe would be missing from the document unnoticed.
    listed = {name for name, _, _ in TABLES}
    for path in sorted(glob.glob(os.path.join(RULES, "*.tsv"))):
        name = os.path.basename(path)
        if name not in listed and not name.startswith("messages_"):
            print("data/rules/%s is not described in TABLES" % name, file=sys.stderr)
            missing.append(name)
    if "--check" in sys.argv:
        current = open(target, encoding="utf-8").read() if os.path.exists(target) else ""
        if current != text:
            print("docs/rules.md is stale: run scripts/gen-rules-doc.py", file=sys.stderr)
            return 1
        return 1 if missing else 0
    with open(target, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
