#!/usr/bin/env python3
"""Writes docs/policy.md: Nova's default policy per release and server action, read from the
policy snapshots (tests/oracle/policy-VERSION.json, written by oracle/policy.py).

    python3 oracle/policy_doc.py          # rewrite docs/policy.md
    python3 oracle/policy_doc.py --check  # exit 1 if docs/policy.md is not what it would write

Plain Python 3, no dependencies; the output depends only on the snapshots.
"""

import json
import pathlib
import sys

PREFIX = "os_compute_api:"

# Who passes a base rule's check string, in this project's words. Keyed by check string so a
# release that changes one shows up as "not described" rather than with stale words.
WORDS = {
    "role:admin": "any token with the admin role, whatever project it is for",
    "is_admin:True": "a caller Nova already took for an admin (`context_is_admin` passed)",
    "is_admin:True or project_id:%(project_id)s":
        "an admin, or any token for the server's project whatever its roles",
    "role:member and project_id:%(project_id)s":
        "the member role, on a token for the server's project",
    "role:reader and project_id:%(project_id)s":
        "the reader role itself, on a token for the server's project (member alone does not pass)",
    "role:manager and project_id:%(project_id)s":
        "the manager role, on a token for the server's project",
    "role:service": "the service role, on a token for any project",
    "rule:project_member_api or rule:context_is_admin":
        "a member of the server's project, or an admin of any project",
    "rule:project_reader_api or rule:context_is_admin":
        "a reader of the server's project, or an admin of any project",
    "rule:project_manager_api or rule:context_is_admin":
        "a manager of the server's project, or an admin of any project",
    "rule:service_api or rule:context_is_admin":
        "a service token of any project, or an admin of any project",
}

CLASS_WORDS = [
    ("admin", "only an admin (the admin role, any project)"),
    ("manager", "the project's manager, or an admin"),
    ("member", "the project's member, or an admin"),
    ("reader", "the project's reader, or an admin"),
    ("service", "a service token, or an admin"),
    ("nobody", "no persona"),
]


def short(rule):
    return rule[len(PREFIX):] if rule.startswith(PREFIX) else rule


def code(text):
    return "`" + text.replace("|", "\\|") + "`"


def cell(text):
    return text.replace("|", "\\|")


def ranges(series_list, order):
    """['2023.1', '2023.2', '2024.2'] -> '2023.1–2023.2, 2024.2' (consecutive in `order`)."""
    if len(series_list) == len(order):
        return "all"
    idx = sorted(order.index(s) for s in series_list)
    out, start, prev = [], idx[0], idx[0]
    for i in idx[1:] + [None]:
        if i is not None and i == prev + 1:
            prev = i
            continue
        out.append(order[start] if start == prev else f"{order[start]}–{order[prev]}")
        if i is not None:
            start = prev = i
    return ", ".join(out)


def group(order, value_of):
    """Series in order -> [(value, [series…])], consecutive equal values merged, first-seen order."""
    groups = []
    for s in order:
        v = value_of(s)
        if groups and groups[-1][0] == v:
            groups[-1][1].append(s)
        else:
            groups.append((v, [s]))
    return groups


def group_any(order, value_of):
    """Like group, but merges equal values wherever they occur (for 'same in these releases')."""
    groups = []
    for s in order:
        v = value_of(s)
        for g in groups:
            if g[0] == v:
                g[1].append(s)
                break
        else:
            groups.append((v, [s]))
    return groups


def combined(snap, checks):
    """Per persona, the verdict of a request's fatal checks together: the first non-A letter."""
    n = len(snap["persona_order"])
    out = ["A"] * n
    for c in checks:
        if not c["fatal"]:
            continue
        letters = snap["verdicts"].get(c["rule"])
        if letters is None:
            continue
        for i, ch in enumerate(letters):
            if out[i] == "A" and ch != "A":
                out[i] = ch
    return "".join(out)


def classify(snap, letters):
    p = dict(zip(snap["persona_order"], letters))
    ok = {k for k, v in p.items() if v == "A"}
    if not ok:
        return "nobody"
    if "project-reader" in ok:
        base = "reader"
    elif "project-member" in ok:
        base = "member"
    elif "project-manager" in ok:
        base = "manager"
    elif "service" in ok:
        base = "service"
    elif "project-admin" in ok:
        base = "admin"
    else:
        base = "other: " + ", ".join(sorted(ok))
    notes = []
    if base != "service" and "service" in ok:
        notes.append("+ service")
    if "project-admin" in ok and "other-admin" not in ok:
        notes.append("own project only, even for admins")
    if ok & {"system-admin", "system-reader"}:
        notes.append("+ system scope")
    return base + (" (" + "; ".join(notes) + ")" if notes else "")


def position(c):
    if c["after_state_check"]:
        where = "after the state check"
    elif c["after_lookup"]:
        where = "after the lookup"
    else:
        where = "before the lookup"
    if c["target"] is None:
        where += ", no target (caller's own project)"
    elif c["target"] == {}:
        where += ", empty target"
    if not c["fatal"]:
        where += ", non-fatal"
    return where


def load(snapshot_dir, releases):
    snaps = {}
    for series, version in releases.items():
        path = snapshot_dir / f"policy-{version}.json"
        if path.exists():
            snaps[series] = json.loads(path.read_text())
    return snaps


def action_view(snap, key):
    """(method, rules text, class, where) for one actions entry, or None when absent."""
    a = snap["actions"].get(key)
    if a is None or a.get("absent"):
        return None
    method = ", ".join(f"`{m}`" for m in a["reached"]) or "—"
    if not a["checks"]:
        answer = f"{a['outcome'][0]} before any policy check" if a["outcome"] else "no check"
        return (method, "none", answer, "—")
    rules = ", ".join(code(short(c["rule"])) + ("" if c["fatal"] else " (non-fatal)")
                      for c in a["checks"])
    where = "; ".join(dict.fromkeys(position(c) for c in a["checks"]))
    return (method, rules, classify(snap, combined(snap, a["checks"])), where)


def render(snaps, releases):
    order = list(snaps)
    newest = snaps[order[-1]]
    L = []
    add = L.append
    add("# Nova's default policy, per release")
    add("")
    add("Generated by `python3 oracle/policy_doc.py` (also run by `python3 oracle/run.py docs`) from")
    add("the policy snapshots `tests/oracle/policy-VERSION.json`, which `oracle/policy.py` writes by")
    add("executing each Nova release's own router, policies and oslo.policy. Do not edit by hand;")
    add("`python3 oracle/policy_doc.py --check` fails when this page is out of date.")
    add("")
    add("## What the policy is")
    add("")
    add("Before Nova does a server action it asks its policy engine (oslo.policy) whether the caller")
    add("may: each action names a *rule*, each rule has a default *check string* (roles, the server's")
    add("project, other rules) and the *scopes* of token it accepts, and a deployment may replace any")
    add("rule in its `policy.yaml`. nova-states' rules table (`src/rules.rs`) deliberately leaves policy")
    add("out — it is configuration — and `src/policy.rs` evaluates check strings the way oslo.policy does")
    add("(checked against oslo.policy executed). This page is the record of what the defaults *are*: which")
    add("rule each server action checks, at which point of the request, and who passes it, release by")
    add("release. Rule names below drop the common `os_compute_api:` prefix.")
    add("")
    add("## Releases covered")
    add("")
    add("| series | Nova | max microversion | oslo.policy executed | enforce_new_defaults | enforce_scope |")
    add("|---|---|---|---|---|---|")
    for s in order:
        sn = snaps[s]
        o = sn["policy_options"]
        add(f"| {s} | {sn['nova']} | {sn['max_microversion']} | {sn['oslo_policy']} | "
            f"{o['enforce_new_defaults']} | {o['enforce_scope']} |")
    add("")
    versions = sorted({snaps[s]["oslo_policy"] for s in order})
    if len(versions) == 1:
        add(f"**Limitation:** every release was executed with the same oslo.policy, {versions[0]} — the")
        add("newest each release's requirements admit, not the version the release shipped with or its")
        add("upper constraints. That version has no `enforce_scope` option (scope is always enforced, so a")
        add("system-scoped token is refused by every project-scoped rule). The verdicts are those of each")
        add("release's rules under that oslo.policy; an older oslo.policy with `enforce_scope = False`")
        add("would let system-scoped tokens through.")
    else:
        add("Each release was executed with the oslo.policy its series' upper constraints pin (the")
        add("openstack/requirements repository; 2026.2's from its master branch): what a deployment of it")
        add("runs. Up to 5.0 oslo.policy has `enforce_scope` (Nova sets it true; `options.enforceScope:")
        add("false` answers as a deployment that turns it off); 6.0 removed it and always enforces scope.")
    add("")

    # Base rules.
    add("## Base rules")
    add("")
    add("The rules the action rules are written in terms of. \"Deprecated default\" is the check string")
    add("that applies instead when a deployment sets `enforce_new_defaults = False` (in effect it is ORed")
    add("with the new one).")
    add("")
    add("| rule | releases | check string | who passes | deprecated default |")
    add("|---|---|---|---|---|")
    base_names = sorted({r for s in order for r in snaps[s]["rules"] if ":" not in r},
                        key=lambda r: (r != "context_is_admin", r))
    for name in base_names:
        for value, ss in group(order, lambda s: json.dumps(snaps[s]["rules"].get(name), sort_keys=True)):
            r = json.loads(value)
            if r is None:
                add(f"| `{name}` | {ranges(ss, order)} | not recorded (no server action reaches it) | — | — |")
                continue
            words = WORDS.get(r["check_str"], "(not described)")
            if r.get("deprecated_for_removal"):
                words += f"; itself deprecated for removal since {r.get('deprecated_since', '?')}"
            dep = r["deprecated_rule"]
            dep_text = f"{code(dep['check_str'])} (as {code(dep['name'])})" if dep else "—"
            add(f"| `{name}` | {ranges(ss, order)} | {code(r['check_str'])} | {cell(words)} | {dep_text} |")
    add("")
    add("Roles are matched case-insensitively (`Member` passes `role:member`) and are not expanded by")
    add("Nova: a token carrying only `member` fails `role:reader` — Keystone's implied roles are what")
    add("normally add reader to a member's token. An admin of *any* project is an admin for every")
    add("project's servers.")
    add("")

    # Actions table.
    add("## Server actions")
    add("")
    add("One row per request (and request variant) the oracle sends, at the newest microversion the")
    add("request exists at; a row repeats when a release changes it. *Default* is who passes all the")
    add("request's fatal checks together, by the snapshot's personas. *Checked* is where Nova makes the")
    add("check: before the instance lookup (then a server of another project can still answer 403), after")
    add("it (another project's member gets 404 first: the lookup is filtered by project), or after the")
    add("compute API's state check (a wrong state answers 409 before policy is asked).")
    add("")
    add("| request | releases | compute API method | rule(s) | default | checked |")
    add("|---|---|---|---|---|---|")
    keys = sorted({k for s in order for k in snaps[s]["actions"]})
    for key in keys:
        for view, ss in group(order, lambda s: action_view(snaps[s], key)):
            if view is None:
                add(f"| {code(key)} | {ranges(ss, order)} | absent | | | |")
            else:
                add(f"| {code(key)} | {ranges(ss, order)} | " + " | ".join(view) + " |")
    add("")
    nx = newest.get("not_executed", {})
    if nx:
        add("Not executed (in `rules`, but beyond the oracle's reach): " + "; ".join(
            f"{code(short(r))} — {cell(w)}" for r, w in sorted(nx.items())) + ".")
        add("")

    add("### Conditional rules")
    add("")
    add("A request whose variants (a condition on the body, the server or the configuration) check")
    add("different rules:")
    add("")
    notes = []
    for req in sorted({k for s in order for k in snaps[s]["by_request"]}):
        def cond(s, req=req):
            variants = snaps[s]["by_request"].get(req)
            if not variants or len(variants) < 2:
                return None
            sets = {v: rules for v, rules in variants.items()}
            base = sets.get("")
            if base is None:
                common = set.intersection(*(set(r) for r in sets.values()))
                base = [r for r in next(iter(sets.values())) if r in common]
            parts = []
            for v in sorted(sets):
                if v == "":
                    continue
                added = [r for r in sets[v] if r not in base]
                dropped = [r for r in base if r not in sets[v]]
                if added and dropped:
                    parts.append(f"*{v}*: " + ", ".join(code(short(r)) for r in added)
                                 + " instead of " + ", ".join(code(short(r)) for r in dropped))
                elif added:
                    parts.append(f"*{v}*: also " + ", ".join(code(short(r)) for r in added))
                elif dropped:
                    parts.append(f"*{v}*: no " + ", ".join(code(short(r)) for r in dropped))
            return "; ".join(parts) or None
        for text, ss in group(order, cond):
            if text:
                notes.append(f"- {code(req)} ({ranges(ss, order)}): {text}")
    L += notes or ["- none"]
    add("")

    # Personas.
    add("## Who may do what")
    add("")
    add("Each persona's verdict on every request above (its fatal checks together, against the server's")
    add("project), counted over the requests that check policy in that release. Personas with identical")
    add("answers in every release share a row. These are policy verdicts: over REST, a refusal after")
    add("the lookup reaches a caller of another project as 404, not 403 (see the REST order below).")
    add("")
    pers = newest["persona_order"]

    def allowed(s, p):
        sn = snaps[s]
        i = sn["persona_order"].index(p)
        out, total = [], 0
        for k in sorted(sn["actions"]):
            a = sn["actions"][k]
            if a.get("absent") or not a["checks"]:
                continue
            total += 1
            if combined(sn, a["checks"])[i] == "A":
                out.append(k)
        return out, total

    sig = {p: json.dumps([allowed(s, p) for s in order]) for p in pers}
    rows = []
    for p in pers:
        if any(p in r for r in rows):
            continue
        rows.append([q for q in pers if sig[q] == sig[p]])
    def token(s, q):
        info = snaps[s]["personas"][q]
        if info["system_scope"]:
            where = f"system scope `{info['system_scope']}`"
        elif info["project_id"] == snaps[s]["personas"]["project-member"]["project_id"]:
            where = "the server's project"
        else:
            where = "another project"
        return (", ".join(info["roles"]) or "no roles") + " on " + where

    cols = group(order, lambda s: json.dumps([allowed(s, p) for p in pers]))
    add("| persona(s) | " + " | ".join(ranges(ss, order) for _, ss in cols) + " |")
    add("|---|" + "---|" * len(cols))
    for members in rows:
        counts = []
        for _, ss in cols:
            ok, total = allowed(ss[0], members[0])
            counts.append(f"{len(ok)} of {total}")
        add("| " + ", ".join(f"`{q}`" for q in members) + " | " + " | ".join(counts) + " |")
    add("")
    add("Tokens, and what each row may do: in full for the newest release, then what differs in")
    add("each earlier group of releases (+ may there and not later, − may not there).")
    add("")
    last = order[-1]
    for members in rows:
        p = members[0]
        toks = []
        for q in members:
            tg = group(order, lambda s, q=q: token(s, q))
            toks.append(f"`{q}` (" + "; ".join(
                t if len(tg) == 1 else f"{ranges(ss, order)}: {t}" for t, ss in tg) + ")")
        ok, total = allowed(last, p)
        every = sorted(k for k, a in snaps[last]["actions"].items() if not a.get("absent") and a["checks"])
        if not ok:
            which = "nothing"
        elif len(ok) == total:
            which = "everything"
        elif len(ok) * 2 > total:
            which = "everything but " + ", ".join(code(k) for k in every if k not in ok)
        else:
            which = "only " + ", ".join(code(k) for k in ok)
        add(f"- {', '.join(toks)}: {which} ({ranges(cols[-1][1], order)})")
        later = set(ok)
        for _, ss in reversed(cols[:-1]):
            here = set(allowed(ss[0], p)[0])
            plus, minus = sorted(here - later), sorted(later - here)
            if plus or minus:
                parts = ([" + " + ", ".join(code(k) for k in plus)] if plus else []) + \
                    ([" − " + ", ".join(code(k) for k in minus)] if minus else [])
                add(f"  - {ranges(ss, order)}:" + ";".join(parts))
            later = here
    add("")
    add("Policy verdicts and REST answers part ways for the service token: the new `service_or_admin`")
    add("rules pass it, but swapping a volume looks the server up first, filtered by the token's own")
    add("(service) project, so over REST it answers 404; the assisted-snapshot routes do not look the")
    add("server up and are the ones a service token can actually use.")
    add("")

    # Changes.
    add("## What changed between releases")
    add("")
    add("Every rule the snapshots record that appears, disappears, or changes its default, deprecated")
    add("rule or scope, and every request whose rules change. The snapshots record the rules server")
    add("actions reach (and what those refer to), so \"appears\" means first reached by a server action.")
    add("")
    for a, b in zip(order, order[1:]):
        A, B = snaps[a], snaps[b]
        out = []
        for r in sorted(set(A["rules"]) | set(B["rules"])):
            x, y = A["rules"].get(r), B["rules"].get(r)
            if x == y:
                continue
            if x is None:
                dep = f", deprecated name {code(short(y['deprecated_rule']['name']))} " \
                      f"({code(y['deprecated_rule']['check_str'])})" if y["deprecated_rule"] else ""
                out.append(f"{code(short(r))} appears: {code(y['check_str'])}, scope "
                           f"{y['scope_types']}{dep}")
            elif y is None:
                out.append(f"{code(short(r))} is no longer recorded (was {code(x['check_str'])})")
            else:
                parts = []
                if x["check_str"] != y["check_str"]:
                    parts.append(f"default {code(x['check_str'])} → {code(y['check_str'])}")
                if x["deprecated_rule"] != y["deprecated_rule"]:
                    parts.append(f"deprecated rule {json.dumps(x['deprecated_rule'], sort_keys=True)} → "
                                 f"{json.dumps(y['deprecated_rule'], sort_keys=True)}")
                if x["scope_types"] != y["scope_types"]:
                    parts.append(f"scope {x['scope_types']} → {y['scope_types']}")
                for k in ("deprecated_for_removal", "deprecated_since"):
                    if x.get(k) != y.get(k):
                        parts.append(f"{k} {x.get(k)} → {y.get(k)}")
                va, vb = A["verdicts"].get(r), B["verdicts"].get(r)
                if va and vb and va != vb:
                    po = B["persona_order"]
                    gain = [po[i] for i in range(len(po)) if va[i] != "A" and vb[i] == "A"]
                    lose = [po[i] for i in range(len(po)) if va[i] == "A" and vb[i] != "A"]
                    if gain:
                        parts.append("now also " + ", ".join(gain))
                    if lose:
                        parts.append("no longer " + ", ".join(lose))
                out.append(f"{code(short(r))}: " + "; ".join(parts))
        for req in sorted(set(A["by_request"]) | set(B["by_request"])):
            x, y = A["by_request"].get(req), B["by_request"].get(req)
            if x == y:
                continue
            if x is None:
                out.append(f"request {code(req)} appears")
                continue
            if y is None:
                out.append(f"request {code(req)} is gone")
                continue
            for v in sorted(set(x) | set(y)):
                if x.get(v) != y.get(v):
                    label = f"{req} [{v}]" if v else req
                    fmt = lambda rs: ", ".join(code(short(r)) for r in rs) if rs else "no rule"
                    out.append(f"request {code(label)} checks {fmt(x.get(v) or [])} → {fmt(y.get(v) or [])}")
        for p in B["persona_order"]:
            ra, rb = A["personas"].get(p, {}).get("roles"), B["personas"][p]["roles"]
            if ra != rb:
                out.append(f"persona `{p}`'s token: {', '.join(ra or [])} → {', '.join(rb)} "
                           "(the release's rules name the manager role)")
        add(f"### {a} ({A['nova']}) → {b} ({B['nova']})")
        add("")
        L.extend(f"- {n}" for n in out) if out else add("No policy change.")
        add("")

    # REST order.
    add("## Order of answers over REST (404 vs 403 vs 409)")
    add("")
    add("Full requests through each release's router as one persona. Per case: which personas got")
    add("which answer (`reached` = the compute API method was called), and the rules checked before it.")
    add("")

    def norm_mv(s, mv):
        return "max" if mv == snaps[s]["max_microversion"] else mv

    def order_case(s, case):
        rows_ = [r for r in snaps[s]["rest_order"] if r["case"] == case]
        if not rows_:
            return None
        by = {}
        for r in rows_:
            ans = ("reached " + ", ".join(r["reached"])) if r["status"] is None else str(r["status"])
            rules_ = ", ".join(code(short(x)) for x in r["rules_checked"]) or "none"
            by.setdefault(f"{ans} (checked: {rules_})", []).append(r["persona"])
        req = rows_[0]["request"]
        mv = norm_mv(s, rows_[0]["microversion"])
        st = rows_[0]["state"]
        state = st["vm_state"] + (", locked by " + st["locked_by"] if st["locked"] else "") + \
            ("" if st["host"] else ", no host")
        answers = "<br>".join(f"{', '.join(ps)}: {a}" for a, ps in by.items())
        return f"{code(req)} at {mv}, {state} | {answers}"

    cases = list(dict.fromkeys(r["case"] for s in order for r in snaps[s]["rest_order"]))
    add("| case | releases | request | answers |")
    add("|---|---|---|---|")
    for case in cases:
        for v, ss in group_any(order, lambda s: order_case(s, case)):
            if v is not None:
                add(f"| {cell(case)} | {ranges(ss, order)} | {v} |")
    add("")
    add("In short: a schema error (400) comes before anything else; policy checked after the lookup means")
    add("another project's member (and a service token of its own project) gets 404, a caller of the")
    add("right project without the role 403, and the state and lock checks (409) come only after policy")
    add("passes; the legacy console actions check policy *before* the lookup with no target, so another")
    add("project's member passes the rule and then gets 404; tags and shares check policy against the")
    add("instance mapping before the lookup, so another project's member gets 403 there.")
    add("")

    add("### Other answers (project admin)")
    add("")
    add("| case | releases | request | answer |")
    add("|---|---|---|---|")
    acases = list(dict.fromkeys(r["case"] for s in order for r in snaps[s]["rest_answers"]))

    def answer_case(s, case):
        for r in snaps[s]["rest_answers"]:
            if r["case"] == case:
                mv = norm_mv(s, r["microversion"])
                if mv != "max" and "above" in case:
                    mv = "max + 1"
                ans = ("reached " + ", ".join(r["reached"])) if r["status"] is None else str(r["status"])
                return f"{code(r['request'])} at {mv} | {ans}"
        return None

    for case in acases:
        for v, ss in group_any(order, lambda s: answer_case(s, case)):
            if v is not None:
                add(f"| {cell(case)} | {ranges(ss, order)} | {v} |")
    add("")

    # Overrides.
    add("## Overrides")
    add("")
    add("Each case writes a `policy.yaml` and loads it with a fresh enforcer, as a deployment would;")
    add("the personas listed are the ones each verdict names (A allowed, D denied, S wrong scope, E the")
    add("check raised).")
    add("")
    add("| case | releases | policy.yaml / options | allowed |")
    add("|---|---|---|---|")
    ocases = list(dict.fromkeys(o["case"] for s in order for o in snaps[s]["overrides"]))

    def override_case(s, case):
        sn = snaps[s]
        for o in sn["overrides"]:
            if o["case"] != case:
                continue
            conf = "; ".join(f"{code(short(k))}: {code(json.dumps(v))}" for k, v in sorted(o["policy"].items()))
            opts = ", ".join(f"`{k} = {v}`" for k, v in sorted(o["options"].items()))
            conf = "; ".join(x for x in (conf, opts) if x) or "—"
            if "absent_options" in o:
                return f"{conf} | not run: oslo.policy {sn['oslo_policy']} has no " + \
                    ", ".join(f"`{x}`" for x in o["absent_options"])
            ps = o["personas"]
            if o["case"].startswith("enforce_new_defaults false"):
                changed = []
                for r, letters in sorted(o["verdicts"].items()):
                    base = sn["verdicts"].get(r)
                    gain = [ps[i] for i in range(len(ps)) if letters[i] == "A" and base and base[i] != "A"]
                    changed.append(f"{code(short(r))}" + (": + " + ", ".join(gain) if gain else ": unchanged"))
                return f"{conf} | " + "<br>".join(changed)
            parts = []
            for r, letters in sorted(o["verdicts"].items()):
                ok = [ps[i] for i in range(len(ps)) if letters[i] == "A"]
                err = [ps[i] for i in range(len(ps)) if letters[i] == "E"]
                t = ", ".join(ok) or "nobody"
                if err:
                    t += "; raises (" + o.get("error", "error") + ") for " + ", ".join(err)
                parts.append(f"{code(short(r))}: {t}")
            return f"{conf} | " + "<br>".join(parts)
        return None

    for case in ocases:
        for v, ss in group_any(order, lambda s: override_case(s, case)):
            if v is not None:
                add(f"| {cell(case)} | {ranges(ss, order)} | {v} |")
    add("")
    add("In short: overriding a rule's *deprecated name* (`os-rescue`, the old name of `os-unrescue`)")
    add("changes both rules, while overriding the new name changes only that one; overriding a base rule")
    add("(`project_member_api`) changes every action written in terms of it; an unparseable check string")
    add("or a reference to a missing rule denies everyone, an empty string or `@` allows everyone of the")
    add("right scope; an `http:` check with nothing listening makes the request fail (500); system-scoped")
    add("tokens stay refused whatever the check string. With `enforce_new_defaults = False` the old")
    add("`admin_or_owner` defaults come back: any token of the server's project, even one with no roles,")
    add("passes the rules that still carry a deprecated rule.")
    return "\n".join(L) + "\n"


def write(snapshot_dir, doc_path, releases):
    doc_path.write_text(render(load(snapshot_dir, releases), releases))


def main(argv):
    root = pathlib.Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "oracle"))
    from run import RELEASES  # noqa: E402  (run.py only defines things at import)

    snapshot_dir = root / "tests" / "oracle"
    doc = root / "docs" / "policy.md"
    text = render(load(snapshot_dir, RELEASES), RELEASES)
    if argv == ["--check"]:
        if not doc.exists() or doc.read_text() != text:
            print("docs/policy.md is out of date: run python3 oracle/policy_doc.py", file=sys.stderr)
            return 1
        return 0
    if argv:
        print(__doc__, file=sys.stderr)
        return 2
    doc.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
