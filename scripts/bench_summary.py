#!/usr/bin/env python3
"""Prints the benchmark summary (markdown) from criterion's estimates and scripts/bench.sh's results.

Usage: python3 scripts/bench_summary.py CRITERION_DIR RESULTS_DIR
Missing inputs (a step that was skipped) are reported as "not run".
"""

import json
import os
import sys

crit_dir, results = sys.argv[1], sys.argv[2]


def load(name):
    path = os.path.join(results, name)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def median_ns(group, bench):
    path = os.path.join(crit_dir, group, *bench.split("/"), "new", "estimates.json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)["median"]["point_estimate"]


def fmt_time(ns):
    if ns is None:
        return "not run"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}" if ns / scale < 100 else f"{ns / scale:.0f} {unit}"
    return f"{ns:.0f} ns"


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def fmt_ratio(r):
    return "n/a" if r is None else f"{r:.3f}"


def verdict(value, limit):
    if value is None:
        return "not run"
    return "**met**" if value <= limit else f"**gap** ({value / limit:.2f}x the target)"


paired = {p["name"]: p for p in (load("decode-paired.json") or [])}
icount = load("icount.json") or {}
xtask = load("xtask.json")
compile_ = load("compile.json")
gen_icount = load("gen-icount.json")

out = []
machine = os.path.join(results, "machine.txt")
if os.path.exists(machine):
    out.append("Machine and run:\n")
    with open(machine, encoding="utf-8") as f:
        out += [f"- {line.rstrip()}" for line in f if line.strip()]
    out.append("")

out.append("| target | measured | result |")
out.append("|---|---|---|")


def decode_row(label, group, paired_name, a_case, b_case, a_bench, b_bench, limit):
    a, b = median_ns(group, a_bench), median_ns(group, b_bench)
    r = ratio(a, b)
    p = paired.get(paired_name, {}).get("ratio")
    i = ratio(icount.get(a_case), icount.get(b_case))
    measured = (
        f"criterion {fmt_time(a)} / {fmt_time(b)} = **{fmt_ratio(r)}**; paired {fmt_ratio(p)}; "
        f"instructions {fmt_ratio(i)}"
    )
    # The paired ratio is the least disturbed by other load; criterion's decides if it is missing.
    out.append(f"| {label} | {measured} | {verdict(p if p is not None else r, limit)} |")


decode_row("typed decode >= 1.0x as fast as `Value`: 500-part conversation (typed/Value <= 1.0)",
           "conversation_500", "conversation_500", "conversation_typed", "conversation_value", "typed", "value", 1.0)
decode_row("same, 100-conversation list (20 parts each)",
           "conversation_list_100", "conversation_list_100", "list_typed", "list_value", "typed", "value", 1.0)
decode_row("`ConversationPart` union <= 1.3x plain structs, 500 parts (union/plain)",
           "parts_500", "parts_500", "parts_union", "parts_plain", "union", "plain", 1.3)

gen = median_ns("generator_featurebase", "generate")
out.append(f"| generator-only on the Featurebase spec < 0.2 s (release) | {fmt_time(gen)} | "
           f"{verdict(None if gen is None else gen / 1e9, 0.2)} |")

syn = {s: median_ns("generator_synthetic", f"generate/{s}x") for s in (1, 2, 4)}
out.append(f"| generator-only on the synthetic spec at 1x (3,001 schemas, 1,000 operations) < 1 s | "
           f"{fmt_time(syn[1])} | {verdict(None if syn[1] is None else syn[1] / 1e9, 1.0)} |")
if all(syn.values()):
    per = {s: syn[s] / s / (syn[1]) for s in syn}
    growth = f"1x {fmt_time(syn[1])}, 2x {fmt_time(syn[2])}, 4x {fmt_time(syn[4])}; time per schema vs 1x: " \
             f"2x {per[2]:.2f}, 4x {per[4]:.2f}"
    out.append(f"| time grows about linearly (time per schema at 4x <= 1.25x that at 1x) | {growth} | "
               f"{verdict(per[4], 1.25)} |")
else:
    out.append("| time grows about linearly | not run | not run |")

e2e = median_ns("end_to_end_featurebase", "xtask_generate_in_process")
proc = (f"; as a process: `cargo xtask generate` {xtask['dev_s']:.2f} s (dev profile, as the README runs it), "
        f"release {xtask['release_s']:.2f} s") if xtask else "; process timing not run"
out.append(f"| end-to-end `cargo xtask generate` (measured, no target) | in-process (read, generate, write all files) "
           f"{fmt_time(e2e)}{proc} | reported |")

if compile_:
    c = compile_
    out.append(f"| `cargo build -p featurebase` (dev; measured, no target) | from clean with dependencies built "
               f"{c['clean_s']:.1f} s; after touching one generated file {c['touch_s']:.1f} s; after adding a type to it "
               f"{c['edit_s']:.1f} s | reported |")
    out.append(f"| lines of generated code (measured, no target) | {c['generated_lines']} lines in "
               f"{c['generated_files']} files for {c['operations']} operations; runtime {c['runtime_lines']} lines | reported |")
else:
    out.append("| `cargo build -p featurebase` | not run | not run |")

out.append("")
out.append("All criterion medians (each group ran its alternatives back to back):\n")
out.append("| group | benchmark | median | vs first in group |")
out.append("|---|---|---|---|")
if os.path.isdir(crit_dir):
    for group in sorted(os.listdir(crit_dir)):
        gdir = os.path.join(crit_dir, group)
        if not os.path.isdir(gdir) or group == "report":
            continue
        benches = []
        for dirpath, dirnames, filenames in os.walk(gdir):
            if os.path.basename(dirpath) == "new" and "estimates.json" in filenames:
                bench = os.path.relpath(os.path.dirname(dirpath), gdir)
                benches.append(bench)
        first = None
        for bench in sorted(benches, key=lambda b: os.path.getmtime(os.path.join(gdir, b, "new", "estimates.json"))):
            ns = median_ns(group, bench)
            first = first or ns
            out.append(f"| {group} | {bench} | {fmt_time(ns)} | {fmt_ratio(ratio(ns, first))} |")

if paired:
    out.append("")
    out.append("Paired ratios (the two sides alternating, median of the per-round ratios):\n")
    out.append("| comparison | a | b | a/b | target |")
    out.append("|---|---|---|---|---|")
    for p in paired.values():
        out.append(f"| {p['name']} | {p['a']} {fmt_time(p['a_ns'])} | {p['b']} {fmt_time(p['b_ns'])} | "
                   f"{p['ratio']:.3f} | {p['target']} |")

if icount:
    out.append("")
    out.append("Instructions per call (callgrind; not disturbed by other load):\n")
    out.append("| case | instructions |")
    out.append("|---|---|")
    for k, v in icount.items():
        out.append(f"| {k} | {v:,} |")

if gen_icount:
    out.append("")
    out.append("Instructions per generator stage on the synthetic specs (callgrind; growth = instructions per "
               "schema relative to 1x, 1.00 is linear):\n")
    out.append("| stage | 1x | 2x | 4x | growth at 2x | growth at 4x |")
    out.append("|---|---|---|---|---|---|")
    for stage, by_scale in gen_icount.items():
        base = by_scale.get("1")
        cells = [f"{by_scale[s] / 1e9:.2f} G" if s in by_scale else "-" for s in ("1", "2", "4")]
        growth = [f"{by_scale[s] / int(s) / base:.2f}" if s in by_scale and base else "-" for s in ("2", "4")]
        out.append(f"| {stage} | " + " | ".join(cells + growth) + " |")

if compile_ and compile_.get("llvm"):
    l = compile_["llvm"]
    out.append("")
    out.append(f"LLVM IR of the crate (unoptimised, one codegen unit): {l['ir_lines']:,} lines in "
               f"{l['functions']:,} functions; the largest, by function without generic arguments:\n")
    out.append("| lines | copies | function |")
    out.append("|---|---|---|")
    for t in l["top"][:15]:
        out.append(f"| {t['lines']:,} | {t['copies']} | `{t['name'][:120]}` |")

print("\n".join(out))
