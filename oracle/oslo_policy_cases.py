"""Executes oslo.policy over generated cases and writes tests/oracle/oslo-policy-cases.json.

Run with a Nova release's virtualenv python, e.g.
    ~/.cache/nova-states/venv-34.0.0/bin/python oracle/oslo_policy_cases.py
The generator is seeded, so the output is the same on every run for one oslo.policy version.
Outcomes: "T" allowed, "F" denied, "S" refused by the scope check, "E" oslo.policy raises,
"U" depends on an http: check (the answer differs between a remote True and False).
"""

import itertools
import json
import os
import random
import sys
import tempfile
import warnings

warnings.simplefilter("ignore")
import logging

logging.disable(logging.CRITICAL)

from importlib.metadata import version

from oslo_config import cfg
from oslo_policy import _checks, _external, _parser, policy

import nova.policy  # noqa: F401  registers Nova's is_admin check
import nova.context

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "oracle", "oslo-policy-cases.json")

LEAVES = [
    "@", "!", "role:admin", "role:Member", "role:READER", "role:%(role)s", "role:%(missing)s",
    "rule:r_admin", "rule:r_member", "rule:missing", "rule:cyc_a", "rule:self",
    "project_id:%(project_id)s", "user_id:%(user_id)s", "project_id:%(missing)s",
    "True:%(flag)s", "'p1':%(project_id)s", '"x":%(name)s', "1:%(num)s", "-1:%(num)s",
    "+1:%(one)s", "00:%(zero)s", "01:%(zero)s", "None:%(nothing)s", "False:False",
    "is_admin:True", "is_admin:false", "is_admin:TRUE", "roles:reader", "roles:Reader",
    "system_scope:all", "system:all", "domain_id:%(domain_id)s", "project_id.x:y",
    "roles.x:y", "service_roles.x:y", "is_admin_project:True", "is_admin:None", "class:x",
    ":x", "a-b:x", "a.True:x", "True.x:y", "Role:admin", "nocolon", "project_id:%(project_id)d",
    "role:%", "role:%s", "project_id:%s", "user_id:%(user_id)5s", "user_id:%(user_id)-4s|",
    "user_id:%(user_id).1s", "user_id:%(user_id)r", "user_id:%%(user_id)s", "user_id:%(user_id)c",
    "role:%(one)c", "user_id:%s%s", "user_id:%(user_id)s%s", "user_id:%s%(user_id)s",
    "user_id:%(user_id", "user_id:%(user_id)", "user_id:%(user_id)z", "user_id:%(user_id)*s",
    "user_id:%(user_id)ls", "user_id:%5%", "role:%(nothing)s", "user_id:%(nothing)s",
    "http://example.com/%(project_id)s", "https:x", "http:%(missing)s", "'quoted'",
    "project_id:%(project_id)s)", "not:x", "user_domain_id:None", "project_id:None",
    "user_id:%(user_id)a", "user_id:%a", "user_id:%r", "role:%.3s", "user_id:%(user_id)10.s",
]
OPS = ["and", "or", "AND", "Or", "not", "NOT", "(", ")"]

TARGETS = [
    {"project_id": "p1", "user_id": "u1"},
    {"project_id": "p1", "user_id": "u1", "role": "member", "flag": "True", "num": "-1",
     "one": "1", "zero": "0", "name": "x", "nothing": None, "domain_id": "d1"},
    {"project_id": "p2", "user_id": "u'2", "role": "ADMIN", "flag": "true", "num": "1",
     "one": "k", "zero": "00", "name": "y", "nothing": "None", "domain_id": "d2"},
    {"project_id": None, "user_id": None},
    {},
]

CREDS = [
    {"roles": ["admin", "member", "reader"], "project_id": "p1", "user_id": "u1", "is_admin": True},
    {"roles": ["member", "reader"], "project_id": "p1", "user_id": "u1", "is_admin": False},
    {"roles": ["Reader"], "project_id": "p1", "user_id": "u9", "is_admin": False},
    {"roles": ["member"], "project_id": "p2", "user_id": "u'2", "is_admin": False},
    {"roles": [], "project_id": "p1", "user_id": "u1", "is_admin": False},
    {"roles": ["admin", "reader"], "project_id": None, "user_id": "u3",
     "system_scope": "all", "is_admin": True},
    {"roles": ["reader"], "project_id": None, "user_id": "u3", "system_scope": "all",
     "is_admin": False},
    {"roles": ["MEMBER", "k"], "project_id": None, "user_id": "u4", "domain_id": "d1",
     "is_admin": None},
    {"roles": ["member"], "project_id": "p1", "user_id": "u1", "user_domain_id": "ud",
     "project_domain_id": "pd", "is_admin": False},
]

RULE_SETS = [
    {"r_admin": "role:admin", "r_member": "role:member and project_id:%(project_id)s",
     "cyc_a": "rule:cyc_b", "cyc_b": "rule:cyc_a", "self": "rule:self"},
    {"r_admin": "role:admin", "r_member": "role:member and project_id:%(project_id)s",
     "cyc_a": "rule:cyc_b", "cyc_b": "rule:cyc_a", "self": "rule:self",
     "default": "role:reader"},
    {"r_admin": "rule:missing", "r_member": "@", "default": "rule:r_admin"},
]


def conf(enforce_new_defaults=True):
    c = cfg.ConfigOpts()
    policy.Enforcer(c)  # registers the [oslo_policy] options
    c([], project="x", default_config_files=[])
    c.set_override("enforce_new_defaults", enforce_new_defaults, "oslo_policy")
    return c


def creds_dict(enforcer, spec):
    ctx = nova.context.RequestContext(
        user_id=spec.get("user_id"), project_id=spec.get("project_id"),
        roles=list(spec["roles"]), system_scope=spec.get("system_scope"),
        domain_id=spec.get("domain_id"), user_domain_id=spec.get("user_domain_id"),
        project_domain_id=spec.get("project_domain_id"), is_admin=False,
        overwrite=False)
    ctx.is_admin = spec.get("is_admin")
    creds = enforcer._map_context_attributes_into_creds(ctx)
    if creds.get("system_scope"):
        creds["system"] = creds.get("system_scope")
    return creds


def http_checks(check, out):
    if isinstance(check, (_external.HttpCheck, _external.HttpsCheck)):
        out.append(check)
    for sub in getattr(check, "rules", []) or []:
        http_checks(sub, out)
    if isinstance(check, _checks.NotCheck):
        http_checks(check.rule, out)


ANSWERS = {}


def remote(self, target, creds, enforcer, current_rule=None):
    """An http: check answers what the case says, after oslo.policy's own substitution."""
    (self.kind + ":" + self.match) % target
    return ANSWERS[id(self)]


_external.HttpCheck.__call__ = remote
_external.HttpsCheck.__call__ = remote


def run(fn, https):
    results = set()
    for combo in itertools.product([True, False], repeat=len(https)):
        for h, v in zip(https, combo):
            ANSWERS[id(h)] = v
        try:
            results.add("T" if fn() else "F")
        except RecursionError:
            results.add("E")
        except Exception:
            results.add("E")
    return results.pop() if len(results) == 1 else "U"


def gen_tree(rng, depth):
    if depth <= 0 or rng.random() < 0.3:
        return rng.choice(LEAVES)
    r = rng.random()
    if r < 0.2:
        return rng.choice(["not ", "NOT ", "not("]) + (gen_tree(rng, depth - 1) + ")" if False else gen_tree(rng, depth - 1))
    op = rng.choice(["and", "or", "and", "or", "AND", "Or"])
    parts = [gen_tree(rng, depth - 1) for _ in range(rng.randint(2, 3))]
    s = (" " + op + " ").join(parts)
    if rng.random() < 0.5:
        s = rng.choice(["(", "( ", "(("]) [:1] + s + ")"
    return s


def gen_malformed(rng):
    words = [rng.choice(LEAVES + OPS) for _ in range(rng.randint(1, 6))]
    s = ""
    for w in words:
        s += w + rng.choice([" ", "", "\t", "  ", "\x1c", "\u00a0", ")", "("]) 
    return s


def main():
    rng = random.Random(14)
    base = conf()
    strings = list(LEAVES) + ["", " ", "()", "( )", "(@)", "((@))", "@)", "(@", "not", "and",
                              "@ and", "@ or or !", "not not @", "not (not !)", "a:b c:d",
                              "@ and ! or @", "! or @ and !", "@ or ! and !", "(@ or !) and !",
                              "role:admin or role:member and project_id:%(project_id)s",
                              "'a' and @", "\"b\"", "(role:admin)", "(rule:r_admin) and(@)"]
    strings += [gen_tree(rng, rng.randint(1, 4)) for _ in range(1700)]
    strings += [gen_malformed(rng) for _ in range(500)]
    seen = set()
    uniq = []
    for s in strings:
        if s not in seen:
            seen.add(s)
            uniq.append(s)
    parse_cases = []
    eval_cases = []
    enforcers = []
    for rules in RULE_SETS:
        e = policy.Enforcer(base, use_conf=False)
        e.set_rules(policy.Rules.from_dict(rules, "default"), use_conf=False)
        enforcers.append(e)
    for i, s in enumerate(uniq):
        check = _parser.parse_rule(s)
        parse_cases.append([s, str(check)])
        hs = []
        http_checks(check, hs)
        if len(hs) > 3:
            continue
        # every string against a few (rule set, target, creds) combinations
        for k in range(3 if i % 2 else 2):
            ri = rng.randrange(len(RULE_SETS))
            ti = rng.randrange(len(TARGETS))
            ci = rng.randrange(len(CREDS))
            e = enforcers[ri]
            creds = creds_dict(e, CREDS[ci])
            target = dict(TARGETS[ti])
            res = run(lambda: _checks._check(check, target, creds, e, None), hs)
            eval_cases.append([i, ri, ti, ci, res])

    # the enforcer: registered defaults, overrides, enforce_new_defaults, scope
    defaults = [
        ["context_is_admin", "role:admin", [], None],
        ["admin_or_owner", "is_admin:True or project_id:%(project_id)s", [], None],
        ["a", "role:member and project_id:%(project_id)s", ["project"], ["old_a", "rule:admin_or_owner"]],
        ["b", "rule:context_is_admin", ["project", "system"], None],
        ["c", "role:reader", ["system"], ["old_c", "role:reader"]],
        ["d", "@", ["project"], ["d", "!"]],
        ["e", "role:member", ["domain", "project"], ["old_e", "role:reader or role:member"]],
        ["f", "rule:missing or role:admin", [], None],
    ]
    override_sets = [
        {}, {"old_a": "role:foo"}, {"old_a": "rule:admin_or_owner"}, {"old_a": "rule:a"},
        {"old_a": "(rule:a)"}, {"old_a": "role:foo", "a": "role:bar"}, {"a": "!"},
        {"default": "@"}, {"default": "role:reader", "f": "rule:nope"}, {"old_c": "role:x"},
        {"a": ["role:member", ["role:x", "role:reader"]]}, {"a": None}, {"a": []}, {"a": [[]]},
        {"b": "rule:b"}, {"context_is_admin": "role:reader"}, {"old_e": "role:member"},
        {"old_e": "@", "e": "role:reader"}, {"d": "not @"}, {"old_a": "is_admin:True"},
        {"a": [["role:member", "project_id:%(project_id)s"], "role:admin or @"]},
        {"context_is_admin": "is_admin:True"}, {"extra": "@", "b": "rule:extra"},
    ]
    enforce_cases = []
    names = [d[0] for d in defaults] + ["zzz"]
    for oi, overrides in enumerate(override_sets):
        for nd in (True, False):
            c = conf(nd)
            with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
                f.write(json.dumps(overrides) if overrides else "{}")
            c.set_override("policy_file", f.name, "oslo_policy")
            e = policy.Enforcer(c, use_conf=True)
            for name, cs, scopes, dep in defaults:
                dr = policy.DeprecatedRule(dep[0], dep[1], deprecated_reason="r",
                                           deprecated_since="1") if dep else None
                e.register_default(policy.RuleDefault(name, cs, scope_types=scopes or None,
                                                      deprecated_rule=dr))
            e.load_rules()
            for ci, spec in enumerate(CREDS):
                creds = creds_dict(e, spec)
                for ti in (0, 3):
                    for name in names:
                        target = dict(TARGETS[ti])
                        try:
                            r = "T" if e.authorize(name, target, dict(creds)) else "F"
                            # the scope check returns False without raising; tell them apart
                            reg = e.registered_rules.get(name)
                            if r == "F" and reg is not None and not e._enforce_scope(creds, reg, do_raise=False):
                                r = "S"
                        except policy.PolicyNotRegistered:
                            r = "E"
                        except Exception:
                            r = "E"
                        enforce_cases.append([oi, int(nd), ci, ti, name, r])
            os.unlink(f.name)
    out = {
        "oslo_policy": version("oslo.policy"),
        "nova": version("nova"),
        "creds": CREDS,
        "targets": TARGETS,
        "rule_sets": RULE_SETS,
        "strings": uniq,
        "parse": [p[1] for p in parse_cases],
        "eval": eval_cases,
        "defaults": defaults,
        "overrides": override_sets,
        "enforce": enforce_cases,
    }
    text = json.dumps(out, separators=(",", ":"), ensure_ascii=False)
    with open(OUT, "w") as f:
        f.write(text + "\n")
    print(f"oslo.policy {out['oslo_policy']}: {len(uniq)} parse, {len(eval_cases)} eval, "
          f"{len(enforce_cases)} enforce cases, {len(text)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
