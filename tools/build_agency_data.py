"""One-off: draft ``data/agencies/central.yaml`` and ``provinces.yaml`` from the gathered reference.

The committed YAML is the source of truth and was reviewed by hand after this ran; re-running it overwrites
those edits, so use it only to start again from a new reference. Usage:

    .venv/bin/python tools/build_agency_data.py ../shared/reference/agencies.yaml src/dondoc/extract/data/agencies
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

# English acronyms and aliases that collide with ordinary words or other bodies in Vietnamese text.
DROP_ALIASES = {
    "MND",
    "MOD",
    "MPS",
    "MOFA",
    "MOHA",
    "MOJ",
    "MPI",
    "MOF",
    "MOIT",
    "MARD",
    "MOT",
    "MOC",
    "MONRE",
    "MIC",
    "MOLISA",
    "MOCST",
    "MCST",
    "MOST",
    "MOET",
    "MOH",
    "CEMA",
    "SBV",
    "GI",
    "GO",
    "VNA",
    "CMSC",
    "VSS",
    "HCMA",
    "NAPA",
    "NA",
    "SPC",
    "SPP",
    "SAV",
    "VGCL",
    "MAE",
    "MEMR",
    "QH",
    "CP",
    "TTX",
    "BCT",
    "TW",
    "TƯ",
    "Trung ương",
    "BCH TW",
    "Thủ tướng",
    "Siêu ủy ban",
    "TLĐ",
    "BNN",
    "LĐTBXH",
    "BHXH",
}
KINDS = {
    "ministry": "ministry",
    "ministerial_agency": "ministerial_agency",
    "government_agency": "government_agency",
}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date(value: object) -> str | None:
    text = str(value) if value is not None else ""
    return text if DATE.match(text) else None


def _aliases(entry: dict) -> list[str]:
    out = []
    for alias in entry.get("abbreviations") or []:
        alias = alias.replace("Uỷ", "Ủy").replace("Toà", "Tòa")
        if alias in DROP_ALIASES or alias == entry["name"] or alias in out:
            continue
        out.append(alias)
    return out


def central(ref: dict) -> list[dict]:
    by_name: dict[str, dict] = {}
    names_2023 = {e["name"] for e in ref["central_bodies_2023"]}
    for section in ("central_bodies_2023", "central_bodies_2025"):
        for entry in ref[section]:
            record = by_name.setdefault(entry["name"], {"name": entry["name"]})
            record["kind"] = KINDS.get(entry["kind"], "central_body")
            aliases = record.setdefault("aliases", [])
            aliases.extend(a for a in _aliases(entry) if a not in aliases)
            code = str(entry.get("symbol_code") or "").split(" ")[0]
            if code and re.fullmatch(r"[A-ZĐ][A-Za-zĐ]+", code):
                symbols = record.setdefault("symbols", [])
                if code not in symbols:
                    symbols.append(code)
            if section == "central_bodies_2023":
                if _date(entry.get("valid_to")):
                    record["valid_to"] = _date(entry.get("valid_to"))
                successors = [
                    {"name": s["name"], "date": _date(s.get("date")), "primary": bool(s.get("primary"))}
                    for s in entry.get("successor") or []
                ]
                if successors:
                    record["successors"] = successors
            elif entry["name"] not in names_2023 and _date(entry.get("valid_from")):
                record["valid_from"] = _date(entry.get("valid_from"))
    return list(by_name.values())


def _place(full_name: str) -> str:
    """ "Thành phố Hà Nội" -> "Hà Nội"; "Tỉnh Lâm Đồng" -> "Lâm Đồng"."""
    return full_name.split(" ", 2)[2] if full_name.startswith("Thành phố") else full_name.split(" ", 1)[1]


def provinces(ref: dict) -> list[dict]:
    out: dict[str, dict] = {}
    for section in ("provinces_63", "provinces_34"):
        for entry in ref[section]:
            place = _place(entry["name"])
            level = "thành phố" if entry["name"].startswith("Thành phố") else "tỉnh"
            record = out.setdefault(place, {"place": place, "level": level})
            variants = [
                a
                for a in entry["abbreviations"]
                if a.replace("oà", "òa").replace("oá", "óa") != place
                and not re.match(r"(?i)(tỉnh|thành phố|tp|ủy|uỷ|ubnd|hđnd|thủ đô)\b", a)
            ]
            if variants:
                record["variants"] = sorted(set(record.get("variants", [])) | set(variants))
            successors = [_place(s["name"]) for s in entry.get("successor") or []]
            successors = [s for s in successors if s != place]
            if successors:
                record["valid_to"] = _date(entry.get("valid_to"))
                record["successor"] = successors[0]
            merged = [_place(m) for m in entry.get("merged_from") or []]
            merged = [m for m in merged if m != place]
            if merged:
                record["merged_from"] = merged
            if entry.get("valid_from") and section == "provinces_63":
                record["valid_from"] = _date(entry["valid_from"])
    return list(out.values())


def main(reference: str, target: str) -> None:
    ref = yaml.safe_load(Path(reference).read_text(encoding="utf-8"))
    out = Path(target)
    dump = {"allow_unicode": True, "sort_keys": False, "width": 110}
    (out / "central.yaml").write_text(yaml.safe_dump({"agencies": central(ref)}, **dump), encoding="utf-8")
    (out / "provinces.yaml").write_text(yaml.safe_dump({"provinces": provinces(ref)}, **dump), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:3])
