"""Benchmark of documents.references: accuracy on the corpus, speed, adversarial inputs.

Run: .venv/bin/python bench/refs_bench.py [--show SPLIT] [--quick] [--splits dev,heldout,...]

Accuracy: references are matched to the hand-written expectations by ``ref`` (as a multiset, in
order of appearance). ``ref`` precision/recall count matched references; for the other fields a
prediction is a non-null value on an extracted reference, a gold item a non-null expected value,
and a true positive a matched pair whose values are equal after normalisation (NFC, case, spaces,
quotes, trailing punctuation). ``~`` columns accept issuer/summary with token F1 >= 0.8.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from documents.references import extract_references  # noqa: E402

CORPUS = ROOT / "documents" / "tests" / "corpus"
FIELDS = ("type", "date", "issuer", "summary")
# dev/heldout: the first corpus; web_*: web, table and PDF text (see the corpus README).
SPLITS = ["dev", "heldout", "web_dev", "web_heldout", "web_heldout2", "web_heldout3"]


def load_split(split: str) -> list[dict[str, Any]]:
    out = []
    with open(CORPUS / split / "expected.jsonl", encoding="utf-8") as fh:
        for line in fh:
            entry = json.loads(line)
            entry["text"] = (CORPUS / split / "passages" / f"{entry['id']}.txt").read_text(
                encoding="utf-8"
            )
            out.append(entry)
    return out


def norm(value: Any) -> str | None:
    if value is None:
        return None
    s = unicodedata.normalize("NFC", str(value)).casefold()
    s = re.sub(r"[“”\"'‘’]", "", s)
    s = re.sub(r"\s+", " ", s).strip(" .,;:")
    return s


def token_f1(a: str, b: str) -> float:
    ta, tb = a.split(), b.split()
    if not ta or not tb:
        return 0.0
    common = 0
    pool = list(tb)
    for t in ta:
        if t in pool:
            pool.remove(t)
            common += 1
    if not common:
        return 0.0
    p, r = common / len(ta), common / len(tb)
    return 2 * p * r / (p + r)


def match(expected: list[dict[str, Any]], got: list[dict[str, Any]]) -> list[tuple[int, int]]:
    used: set[int] = set()
    pairs = []
    for i, e in enumerate(expected):
        for j, g in enumerate(got):
            if j not in used and g["ref"] == e["ref"]:
                used.add(j)
                pairs.append((i, j))
                break
    return pairs


def evaluate(split: str, show: bool = False) -> dict[str, dict[str, float]]:
    counts = {k: {"tp": 0, "pred": 0, "gold": 0} for k in ("ref", *FIELDS, "issuer~", "summary~")}
    for entry in load_split(split):
        got = [r.to_json() for r in extract_references(entry["text"])]
        exp = entry["refs"]
        pairs = match(exp, got)
        counts["ref"]["tp"] += len(pairs)
        counts["ref"]["pred"] += len(got)
        counts["ref"]["gold"] += len(exp)
        for field in FIELDS:
            for key in (field, field + "~") if field in ("issuer", "summary") else (field,):
                c = counts[key]
                c["pred"] += sum(1 for g in got if g[field] is not None)
                c["gold"] += sum(1 for e in exp if e[field] is not None)
                for i, j in pairs:
                    a, b = norm(exp[i][field]), norm(got[j][field])
                    if a is None or b is None:
                        continue
                    if a == b or (key.endswith("~") and token_f1(a, b) >= 0.8):
                        c["tp"] += 1
        if show:
            matched_e = {i for i, _ in pairs}
            matched_g = {j for _, j in pairs}
            lines = []
            for i, e in enumerate(exp):
                if i not in matched_e:
                    lines.append(f"  MISSED {e['ref']!r}")
            for j, g in enumerate(got):
                if j not in matched_g:
                    lines.append(f"  EXTRA  {g['ref']!r} type={g['type']!r}")
            for i, j in pairs:
                for field in FIELDS:
                    if norm(exp[i][field]) != norm(got[j][field]):
                        lines.append(
                            f"  {exp[i]['ref']} {field}: want {exp[i][field]!r}\n"
                            f"  {' ' * len(exp[i]['ref'])} {' ' * len(field)}   got  {got[j][field]!r}"
                        )
            if lines:
                print(f"{entry['id']}:")
                print("\n".join(lines))
    result = {}
    for key, c in counts.items():
        p = c["tp"] / c["pred"] if c["pred"] else 1.0
        r = c["tp"] / c["gold"] if c["gold"] else 1.0
        result[key] = {"precision": p, "recall": r, "gold": c["gold"], "pred": c["pred"]}
    return result


def print_table(split: str, result: dict[str, dict[str, float]], n_passages: int) -> None:
    print(f"\n{split}: {n_passages} passages, {result['ref']['gold']} expected references")
    print(f"  {'field':<10} {'precision':>9} {'recall':>7} {'gold':>5} {'pred':>5}")
    for key, v in result.items():
        print(
            f"  {key:<10} {v['precision']:>9.3f} {v['recall']:>7.3f} {v['gold']:>5} {v['pred']:>5}"
        )


def speed(megabytes: float = 10.0) -> None:
    texts = [e["text"] for split in SPLITS for e in load_split(split)]
    filler = (
        "Nhà trường tổ chức họp phụ huynh vào lúc 7 giờ 30 ngày 15/9/2023, tỷ lệ 98,5% học sinh "
        "lên lớp; điện thoại 0912 345 678; kinh phí 1.250.000 đồng/học sinh/năm; Điều 5, khoản 2. "
    )
    block = "\n\n".join(texts) + "\n\n" + filler * 40
    target = int(megabytes * 1024 * 1024)
    big = (block * (target // len(block.encode("utf-8")) + 1))[: target // 2]
    while len(big.encode("utf-8")) < target:
        big += block
    size = len(big.encode("utf-8")) / 1024 / 1024
    t0 = time.perf_counter()
    refs = extract_references(big)
    elapsed = time.perf_counter() - t0
    print(
        f"\nspeed: {size:.1f} MB, {len(refs)} references in {elapsed:.2f} s "
        f"({size / elapsed:.1f} MB/s)"
    )
    nfd = unicodedata.normalize("NFD", big[: len(big) // 10])
    t0 = time.perf_counter()
    extract_references(nfd)
    elapsed = time.perf_counter() - t0
    print(f"speed (NFD input): {len(nfd.encode('utf-8')) / 1024 / 1024:.1f} MB in {elapsed:.2f} s")


ADVERSARIAL = {
    "1/1/1/1": "1/",
    "số số số": "số ",
    "Quyết định Quyết định": "Quyết định ",
    "-/-/-": "-/",
    "digits": "1234567890",
    "1-QĐ/1-QĐ/": "1-QĐ/",
    "12/QĐ-A-B-C": "12/QĐ-A-",
    "Luật A, b, c": "Luật Giáo dục, a ",
    "ngày ngày": "ngày 1/1/ ",
    "(((": "(Căn cứ ",
    "của của": "Quyết định số 1/QĐ-UBND của ",
    "spaces/newlines": "2457 / \n QĐ - \n",
    # shapes of web and PDF text: lower case, slugs, glued numbers and dates
    "1-ct/tw-1-ct/": "1-ct/tw-",
    "quyet dinh 1 2020": "quyet dinh so 1 2020 qd ",
    "số1QĐ/số1QĐ": "số1QĐ/",
    "TT-BGDĐT1/1/2020": "1/2020/TT-BGDĐT1/1/2020",
    "TWngày": "1-TB/TWngày ",
}


def fuzz(chars: int = 200_000) -> bool:
    ok = True
    print(f"\nadversarial inputs ({chars // 1000}k / {chars // 2000}k chars, time ratio):")
    for label, unit in ADVERSARIAL.items():
        times = []
        for size in (chars // 2, chars):
            s = (unit * (size // len(unit) + 1))[:size]
            t0 = time.perf_counter()
            extract_references(s)
            times.append(time.perf_counter() - t0)
        ratio = times[1] / max(times[0], 1e-4)
        linear = times[1] < 2.0 and (ratio < 3.0 or times[1] < 0.2)
        ok &= linear
        print(
            f"  {label:<22} {times[0]:.3f} s / {times[1]:.3f} s  x{ratio:.1f}  "
            f"{'ok' if linear else 'NOT LINEAR'}"
        )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", choices=SPLITS, help="print the differences")
    parser.add_argument("--quick", action="store_true", help="accuracy only")
    parser.add_argument("--splits", default=",".join(SPLITS))
    args = parser.parse_args()
    for split in args.splits.split(","):
        result = evaluate(split, show=args.show == split)
        print_table(split, result, len(load_split(split)))
    if args.quick:
        return 0
    speed()
    return 0 if fuzz() else 1


if __name__ == "__main__":
    raise SystemExit(main())
