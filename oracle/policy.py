"""The policy half of the oracle: who may do each server action, by executing Nova's policy.

Runs inside a virtualenv holding one Nova release (started by `run.py policy VERSION`) and
prints JSON. It reuses probe.py and rest.py unchanged: probe.main() replaces the bodies of the
compute API's state-guarded methods with stand-ins, rest.run() builds Nova's own router with its
stand-ins for the database, RPC and the other services, and this module takes over at the point
where rest.run() would collect server records (with the sweeps skipped), so every request here
goes through exactly the same machinery as the REST snapshot's, with these additions:

- every call of `nova.policy.authorize` (what `context.can` calls) is recorded: rule, target,
  and whether it came after the instance lookup and after the compute API state checks;
- the instance lookup behaves like Nova's database query: a context that is a user context
  (`nova.context.is_user_context`: not admin, with a user and a project) finds only servers of
  its own project, otherwise InstanceNotFound;
- the compute API's `unshelve` runs its real body (after the state checks), because Nova checks
  `unshelve_to_host` in there; anything failing below that check counts as reached;
- requests come from persona contexts built like Nova's Keystone middleware builds them
  (RequestContext without is_admin, so `context_is_admin` decides).

Nothing of Nova is copied: the output holds rule names, check strings, statuses and messages.
"""

import contextlib
import importlib.metadata
import io
import json
import os
import re
import sys
import tempfile
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

# Skips probe.py's compute API sweep and rest.py's REST sweep (no request name matches).
os.environ["ORACLE_ONLY"] = "-no-sweep-"

import probe  # noqa: E402
import rest  # noqa: E402
from rest import OTHER, PROJECT, UUID, action, req  # noqa: E402

OWNER = "owner-user"
OTHER_PROJECT = "0ther0project0000000000000000000"
SERVICE_PROJECT = "service0project00000000000000000"

# Variants of the rules table's requests that only matter to policy (a body naming a host,
# trusted certificates, a volume attachment update rather than a swap, who locked the server).
EXTRA = {
    "migrate": [("host", action("migrate", {"host": "compute-2"}, min=56))],
    "os-migrateLive": [
        ("host", action("os-migrateLive", {"host": "compute-2", "block_migration": "auto"},
                        min=25)),
    ],
    "rebuild": [("trusted certs", action("rebuild", {
        "imageRef": OTHER,
        "trusted_image_certificates": ["0b5d2c72-12cc-4ba6-a8d7-3ff5cc1d8cb8"]}, min=63))],
    "PUT /servers/{id}/os-volume_attachments/{volume_id}": [
        ("update", req("PUT", rest.S + "/os-volume_attachments/" + OTHER,
                       {"volumeAttachment": {"volumeId": OTHER,
                                             "delete_on_termination": True}}, min=85)),
    ],
    "unlock": [
        ("locked by owner", action("unlock", locked_by="owner")),
        ("locked by admin", action("unlock", locked_by="admin")),
    ],
}

# Server states tried, in order, when mapping a request's rules: the run that records the most
# policy checks (then: that reaches the compute method) is kept.
# (vm_state, task_state, host, locked_by)
STATES = [
    ("active", None, True),
    ("stopped", None, True),
    ("paused", None, True),
    ("suspended", None, True),
    ("rescued", None, True),
    ("resized", None, True),
    ("shelved", None, True),
    ("shelved_offloaded", None, False),
    ("soft-delete", None, True),
    ("error", None, True),
    ("active", None, False),
]


def personas(rules):
    """name -> (user_id, project_id, roles, system_scope). Roles as a Keystone token lists them
    (implied roles expanded): admin implies member implies reader; admin also implies manager in
    the releases whose policy has a manager rule."""
    manager = any("role:manager" in r["check_str"] for r in rules.values())
    admin = ["admin", "manager", "member", "reader"] if manager else ["admin", "member", "reader"]
    return {
        "project-admin": ("admin-user", PROJECT, admin, None),
        "project-manager": ("manager-user", PROJECT, ["manager", "member", "reader"], None),
        "project-member": (OWNER, PROJECT, ["member", "reader"], None),
        "project-reader": ("reader-user", PROJECT, ["reader"], None),
        "member-only": ("member-only-user", PROJECT, ["member"], None),
        "member-capitalised": ("member-cap-user", PROJECT, ["Member", "Reader"], None),
        "no-roles": ("no-roles-user", PROJECT, [], None),
        "other-member": ("other-user", OTHER_PROJECT, ["member", "reader"], None),
        "other-admin": ("other-admin-user", OTHER_PROJECT, admin, None),
        "service": ("service-user", SERVICE_PROJECT, ["service"], None),
        "system-admin": ("system-admin-user", None, ["admin", "member", "reader"], "all"),
        "system-reader": ("system-reader-user", None, ["reader"], "all"),
        # Not a persona of the verdict table: passes every default, used to map each request's
        # rules (every check passes, so every check is seen).
        "superuser": ("super-user", PROJECT, admin + ["service"], None),
    }


PERSONA_ORDER = [
    "project-admin", "project-manager", "project-member", "project-reader", "member-only",
    "member-capitalised", "no-roles", "other-member", "other-admin", "service",
    "system-admin", "system-reader",
]


def symbolic(value, names):
    if isinstance(value, dict):
        return {k: symbolic(v, names) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [symbolic(v, names) for v in value]
    if isinstance(value, str):
        for real, name in names:
            value = value.replace(real, name)
    return value


NAMES = [(UUID, "{uuid}"), (OTHER, "{other}"), (PROJECT, "{server.project_id}"),
         (OWNER, "{server.user_id}")]


def hook(call, instance, max_minor, vm_states):
    RESULT.update(run_policy(call, instance, max_minor, vm_states))
    return []


RESULT = {}


def run_policy(call, instance, max_minor, vm_states):
    import nova.compute.api as api_mod
    import nova.conf
    import nova.context as nova_context
    import nova.policy
    import nova.policies
    from nova import exception, objects
    from nova.api import auth as api_auth
    from nova.api import openstack as openstack_api
    from oslo_policy import policy as oslo_policy

    CONF = nova.conf.CONF
    free = dict(zip(call.__code__.co_freevars, (c.cell_contents for c in call.__closure__)))
    apps, current, reached = free["apps"], free["current"], free["reached"]
    router = apps[False].application.application

    patches = []

    def patch(target, attr, value):
        p = mock.patch.object(target, attr, value)
        p.start()
        patches.append(p)

    # --- recording policy checks
    log = []
    lookups = [0]
    fatal_stack = []
    original_authorize = nova.policy.authorize
    original_can = nova_context.RequestContext.can

    def recording_authorize(context, action, target=None, *a, **k):
        log.append({
            "rule": action,
            "target": None if target is None else dict(target),
            "after_lookup": lookups[0] > 0,
            "after_state_check": bool(reached),
            "fatal": fatal_stack[-1] if fatal_stack else True,
        })
        return original_authorize(context, action, target, *a, **k)

    def recording_can(self, action, target=None, fatal=True):
        fatal_stack.append(fatal)
        try:
            return original_can(self, action, target, fatal)
        finally:
            fatal_stack.pop()

    patch(nova.policy, "authorize", recording_authorize)
    patch(nova_context.RequestContext, "can", recording_can)
    # Below the checks: the tag handlers notify after their change.
    import nova.notifications.base as notifications_base
    patch(notifications_base, "send_instance_update_notification", lambda *a, **k: None)

    # --- the lookup, scoped to the caller's project like Nova's database query
    stand_in_get = api_mod.API.get
    stand_in_get_by_uuid = objects.Instance.__dict__["get_by_uuid"]

    def visible(ctx):
        inst = current[0]
        if nova_context.is_user_context(ctx) and ctx.project_id != inst.project_id:
            raise exception.InstanceNotFound(instance_id=inst.uuid)

    def scoped_get(self, ctx, instance_id, *a, **k):
        lookups[0] += 1
        visible(ctx)
        return stand_in_get(self, ctx, instance_id, *a, **k)

    def scoped_get_by_uuid(*a, **k):
        lookups[0] += 1
        for arg in a:
            if isinstance(arg, nova_context.RequestContext):
                visible(arg)
        return stand_in_get_by_uuid(*a, **k)

    patch(api_mod.API, "get", scoped_get)
    patch(objects.Instance, "get_by_uuid", scoped_get_by_uuid)

    # --- unshelve's real body (its host check lives there), everything below stubbed
    layers, body = probe.chain(api_mod.API.__dict__["unshelve"])
    inner = layers[-1][1]
    cell = next(c for c in inner.__closure__
                if callable(c.cell_contents) and c.cell_contents is not body
                and getattr(c.cell_contents, "__qualname__", None) == body.__qualname__)
    stand_in_body = cell.cell_contents

    def unshelve_body(*a, **k):
        reached.append("unshelve")
        try:
            with mock.patch.object(objects.RequestSpec, "get_by_instance_uuid",
                                   lambda *x, **y: mock.MagicMock(availability_zone=None)), \
                    mock.patch.object(objects.ComputeNode,
                                      "get_first_node_by_host_for_old_compat",
                                      lambda *x, **y: mock.MagicMock(), create=True):
                body(*a, **k)
        except exception.PolicyNotAuthorized:
            reached.remove("unshelve")  # refused: the request answers 403, not reached
            raise
        except Exception:  # below the checks: counts as reached
            pass

    cell.cell_contents = unshelve_body

    # --- rules
    nova.policy.reset()
    nova.policy.init()
    enforcer = nova.policy._ENFORCER
    defaults = {r.name: r for r in nova.policies.list_rules()}

    def describe(rule):
        out = {"check_str": rule.check_str,
               "scope_types": sorted(rule.scope_types) if rule.scope_types else None}
        # oslo.policy before 4.2 answers [] for a rule without a deprecated rule.
        dep = getattr(rule, "deprecated_rule", None) or None
        out["deprecated_rule"] = None if dep is None else {
            "name": dep.name, "check_str": dep.check_str}
        if dep is not None and getattr(dep, "deprecated_since", None):
            out["deprecated_rule"]["deprecated_since"] = str(dep.deprecated_since)
        if getattr(rule, "deprecated_for_removal", False):
            out["deprecated_for_removal"] = True
        if getattr(rule, "deprecated_since", None):
            out["deprecated_since"] = str(rule.deprecated_since)
        return out

    all_rules = {name: describe(r) for name, r in defaults.items()}
    people = personas(all_rules)
    contexts = {}
    for name, (user, project, roles, system) in people.items():
        kw = {"system_scope": system} if system else {}
        contexts[name] = nova_context.RequestContext(
            user_id=user, project_id=project, roles=list(roles), **kw)
        apps[name] = openstack_api.FaultWrapper(api_auth.InjectContext(contexts[name], router))

    def send(r, persona, inst, minor=None):
        log.clear()
        lookups[0] = 0
        hi = min(r.get("max", max_minor), max_minor)
        if minor is None:
            minor = hi
        if "locked_by" in r:
            inst.locked = True
            inst.locked_by = r["locked_by"]
        result = call(r, minor, persona, inst)
        result = symbolic(result, NAMES)
        return result, [symbolic(e, NAMES) for e in log]

    def make(state, locked=False, locked_by=None):
        vm, task, host = state
        inst = instance(vm, task, vm != "building", locked, host)
        if locked_by:
            inst.locked_by = locked_by
        return inst

    def exists(r):
        return max(r.get("min", 1), 1) <= min(r.get("max", max_minor), max_minor)

    # --- actions: which rules each request checks
    requests = {}
    for name in sorted(set(rest.REQUESTS) | set(EXTRA)):
        for variant, r in rest.REQUESTS.get(name, []) + EXTRA.get(name, []):
            requests[name + (f" [{variant}]" if variant else "")] = (name, variant, r)

    actions = {}
    for key, (name, variant, r) in sorted(requests.items()):
        if not exists(r):
            actions[key] = {"absent": True}
            continue
        best = None
        for state in STATES:
            if state[0] not in vm_states:
                continue
            result, checks = send(r, "superuser", make(state))
            score = (len(checks), bool(result["reached"]))
            if best is None or score > best[0]:
                best = (score, state, result, checks)
        _, state, result, checks = best
        actions[key] = {
            "microversion": f"2.{min(r.get('max', max_minor), max_minor)}",
            "state": {"vm_state": state[0], "task_state": state[1], "host": state[2]},
            "checks": checks,
            "reached": result["reached"],
            "outcome": None if result["reached"] else [result["status"], result["message"]],
        }

    # --- per REST name: each variant's rules, in the order checked (the variant is the condition)
    by_request = {}
    for key, (name, variant, r) in sorted(requests.items()):
        if not actions[key].get("absent"):
            by_request.setdefault(name, {})[variant] = [
                c["rule"] for c in actions[key]["checks"]]

    # --- rules relevant to server actions, closed over the rules they reference
    wanted = {c["rule"] for a in actions.values() for c in a.get("checks", [])}
    wanted |= {"context_is_admin"}
    for rule in list(wanted):
        dep = all_rules.get(rule, {}).get("deprecated_rule")
        if dep and dep["name"] in all_rules:
            wanted.add(dep["name"])
    for o in OVERRIDES:
        wanted |= {r for r in o["rules"] if r in all_rules}
    wanted |= {r for r in NOT_EXECUTED if r in all_rules}
    pending = list(wanted)
    while pending:
        rule = pending.pop()
        info = all_rules.get(rule)
        if not info:
            continue
        texts = [info["check_str"]] + ([info["deprecated_rule"]["check_str"]]
                                       if info["deprecated_rule"] else [])
        for text in texts:
            for ref in re.findall(r"rule:([\w:.\-]+)", text):
                if ref not in wanted:
                    wanted.add(ref)
                    pending.append(ref)
    rules = {n: all_rules[n] for n in sorted(wanted) if n in all_rules}
    missing_rules = sorted(n for n in wanted if n not in all_rules)

    # --- persona verdicts for every checked rule
    target = {"project_id": PROJECT, "user_id": OWNER}
    checked = sorted({c["rule"] for a in actions.values() for c in a.get("checks", [])})

    def verdict(rule, ctx, tgt=target):
        """A allowed, D refused by the check string, S refused by the scope check; plus Nova's
        message when refused."""
        try:
            enforcer.authorize(rule, tgt, ctx, do_raise=True)
            code = "A"
        except oslo_policy.InvalidScope:
            code = "S"
        except oslo_policy.PolicyNotAuthorized:
            code = "D"
        try:
            original_authorize(ctx, rule, tgt)
            message = None
            assert code == "A", (rule, code)
        except exception.PolicyNotAuthorized as e:
            message = e.format_message()
            assert code != "A", rule
        return code, message

    verdicts = {}
    odd_messages = []
    for rule in checked:
        codes = []
        for p in PERSONA_ORDER:
            code, message = verdict(rule, contexts[p])
            codes.append(code)
            if message is not None and message != f"Policy doesn't allow {rule} to be performed.":
                odd_messages.append({"rule": rule, "persona": p, "message": message})
        verdicts[rule] = "".join(codes)

    # --- REST order: persona x state through the router
    order = []

    def order_case(label, persona, key, state, minor=None, locked=False, locked_by=None,
                   body=None):
        name, variant, r = requests[key]
        if body is not None:
            r = dict(r, body=body)
        if not exists(r) or state[0] not in vm_states:
            return
        result, checks = send(r, persona, make(state, locked, locked_by), minor)
        order.append({
            "case": label, "request": key, "persona": persona,
            "microversion": f"2.{minor if minor is not None else min(r.get('max', max_minor), max_minor)}",
            "state": {"vm_state": state[0], "task_state": state[1], "host": state[2],
                      "locked": locked, "locked_by": locked_by if locked else None},
            "status": result["status"], "message": result["message"],
            "reached": result["reached"],
            "rules_checked": [c["rule"] for c in checks],
        })

    A, S_, O = ("active", None, True), ("stopped", None, True), ("shelved_offloaded", None, False)
    for p in PERSONA_ORDER:
        order_case("stop a stopped server", p, "os-stop", S_)
        order_case("stop an active server", p, "os-stop", A)
    order_case("stop a server locked by an admin", "project-member", "os-stop", A, locked=True,
               locked_by="admin")
    order_case("stop a locked server", "project-reader", "os-stop", A, locked=True,
               locked_by="admin")
    order_case("stop a stopped locked server", "project-member", "os-stop", S_, locked=True,
               locked_by="owner")
    for p in ("project-reader", "other-member", "no-roles"):
        order_case("schema: reboot type not allowed", p, "reboot [SOFT]", A,
                   body={"reboot": {"type": "SIDEWAYS"}})
    for p in ("project-admin", "project-member", "project-reader", "other-member"):
        order_case("unshelve to a host, offloaded", p, "unshelve [host]", O)
        order_case("unshelve to a host, active", p, "unshelve [host]", A)
    for p in ("project-member", "project-reader", "no-roles", "other-member", "other-admin"):
        order_case("legacy console", p, "os-getVNCConsole", A, minor=5)
        order_case("legacy console, stopped", p, "os-getVNCConsole", S_, minor=5)
    for p in ("project-member", "project-admin"):
        for who in ("owner", "admin"):
            order_case(f"unlock a server locked by {who}", p, "unlock", A, locked=True,
                       locked_by=who)
    for p in ("project-manager", "project-member", "project-admin"):
        order_case("cold migrate naming a host", p, "migrate [host]", A)
        order_case("live migrate naming a host", p, "os-migrateLive [host]", A)
    for p in ("project-member", "project-admin", "service"):
        order_case("swap a volume", p,
                   "PUT /servers/{id}/os-volume_attachments/{volume_id}", A)
    for p in ("other-member", "project-reader", "project-member"):
        order_case("replace tags", p, "PUT /servers/{id}/tags", A)
        order_case("attach a share, stopped", p, "POST /servers/{id}/shares", S_)
    order_case("delete another project's server", "other-member", "DELETE /servers/{id} [delete]",
               A)
    order_case("delete a server (admin of another project)", "other-admin",
               "DELETE /servers/{id} [delete]", A)

    # --- REST answers
    answers = []

    def answer(label, key, state, persona="project-admin", minor=None, path=None):
        name, variant, r = requests[key] if key in requests else (key, "", None)
        if r is None or path is not None:
            r = dict(r or {"method": "GET", "body": None}, path=path or r["path"])
        result, checks = send(r, persona, make(state), minor)
        answers.append({"case": label, "request": key,
                        "microversion": f"2.{minor if minor is not None else max_minor}",
                        "state": {"vm_state": state[0], "host": state[2]},
                        "status": result["status"], "message": result["message"],
                        "reached": result["reached"]})

    if exists(requests["evacuate [no host]"][2]):
        answer("evacuate without a target host, server host None", "evacuate [no host]",
               ("active", None, False))
        answer("evacuate without a target host, server on a host", "evacuate [no host]",
               ("active", None, True))
        answer("evacuate to a named host, server host None", "evacuate [to host]",
               ("active", None, False))
    above = max_minor + 1
    answer("shares route above the maximum microversion", "POST /servers/{id}/shares", A,
           minor=above)
    answer("shares route at the maximum microversion", "POST /servers/{id}/shares", A)
    answer("existing action above the maximum microversion", "os-stop", A, minor=above)
    answer("no such route above the maximum microversion", "GET /servers/{id}/no-such-route", A,
           minor=above, path=rest.S + "/no-such-route")
    answer("no such route at the maximum microversion", "GET /servers/{id}/no-such-route", A,
           path=rest.S + "/no-such-route")

    # --- overrides (a policy file) and options
    override_results = []
    option_names = set(CONF.oslo_policy.keys()) if hasattr(CONF, "oslo_policy") else set()
    folder = tempfile.mkdtemp()
    for o in OVERRIDES:
        opts = o.get("options", {})
        if any(k not in option_names for k in opts):
            override_results.append({"case": o["case"], "policy": o["policy"],
                                     "options": opts, "absent_options": sorted(
                                         k for k in opts if k not in option_names)})
            continue
        path = os.path.join(folder, "policy.yaml")
        with open(path, "w") as f:
            json.dump(o["policy"], f)
        CONF.set_override("policy_file", path, group="oslo_policy")
        for k, v in opts.items():
            CONF.set_override(k, v, group="oslo_policy")
        nova.policy.reset()
        nova.policy.init()
        enf = nova.policy._ENFORCER
        out = {}
        error = None
        for rule in o["rules"]:
            if rule not in defaults:
                continue
            codes = []
            for p in o.get("personas", OVERRIDE_PERSONAS):
                try:
                    enf.authorize(rule, target, contexts[p], do_raise=True)
                    codes.append("A")
                except oslo_policy.InvalidScope:
                    codes.append("S")
                except oslo_policy.PolicyNotAuthorized:
                    codes.append("D")
                except Exception as e:  # e.g. an http: check that cannot connect
                    codes.append("E")
                    error = type(e).__name__
            out[rule] = "".join(codes)
        entry = {"case": o["case"], "policy": o["policy"], "options": opts,
                 "personas": o.get("personas", OVERRIDE_PERSONAS), "verdicts": out}
        if error:
            entry["error"] = error
        override_results.append(entry)
        CONF.clear_override("policy_file", group="oslo_policy")
        for k in opts:
            CONF.clear_override(k, group="oslo_policy")
    # enforce_new_defaults False over every checked rule that has a deprecated rule
    deprecated_checked = [r for r in checked if all_rules[r]["deprecated_rule"]]
    if "enforce_new_defaults" in option_names:
        CONF.set_override("enforce_new_defaults", False, group="oslo_policy")
        nova.policy.reset()
        nova.policy.init()
        enf = nova.policy._ENFORCER
        out = {}
        for rule in deprecated_checked:
            codes = []
            for p in PERSONA_ORDER:
                try:
                    enf.authorize(rule, target, contexts[p], do_raise=True)
                    codes.append("A")
                except oslo_policy.InvalidScope:
                    codes.append("S")
                except oslo_policy.PolicyNotAuthorized:
                    codes.append("D")
            out[rule] = "".join(codes)
        override_results.append({"case": "enforce_new_defaults false, deprecated rules",
                                 "policy": {}, "options": {"enforce_new_defaults": False},
                                 "personas": PERSONA_ORDER, "verdicts": out})
        CONF.clear_override("enforce_new_defaults", group="oslo_policy")
    nova.policy.reset()

    for p in reversed(patches):
        p.stop()
    cell.cell_contents = stand_in_body

    options = {}
    for k in ("enforce_new_defaults", "enforce_scope"):
        options[k] = CONF.oslo_policy[k] if k in option_names else "absent"

    return {
        "max_microversion": str(__import__(
            "nova.api.openstack.api_version_request",
            fromlist=["x"])._MAX_API_VERSION),
        "oslo_policy": importlib.metadata.version("oslo.policy"),
        "policy_options": options,
        "rules": rules,
        "rules_missing": missing_rules,
        "not_executed": {r: NOT_EXECUTED[r] for r in sorted(NOT_EXECUTED) if r in all_rules},
        "actions": actions,
        "by_request": by_request,
        "personas": {p: {"user_id": people[p][0], "project_id": people[p][1],
                         "roles": people[p][2], "system_scope": people[p][3],
                         "is_admin": contexts[p].is_admin}
                     for p in PERSONA_ORDER},
        "persona_order": PERSONA_ORDER,
        "verdict_target": symbolic(target, NAMES),
        "verdicts": verdicts,
        "denial_message": "Policy doesn't allow {rule} to be performed.",
        "denial_message_exceptions": odd_messages,
        "rest_order": order,
        "overrides": override_results,
        "rest_answers": answers,
    }


# Rules a server action checks where this oracle does not reach (name -> where, in short).
NOT_EXECUTED = {
    "compute:servers:resize:cross_cell":
        "resize: compute API helper below the state guard, fatal=False (a refusal keeps the "
        "resize within its cell)",
}

OVERRIDE_PERSONAS = ["project-admin", "project-member", "project-reader", "other-member",
                     "system-admin"]
STOP = "os_compute_api:servers:stop"
OVERRIDES = [
    {"case": "override a rule that is another rule's deprecated name",
     "policy": {"os_compute_api:os-rescue": "role:admin"},
     "rules": ["os_compute_api:os-rescue", "os_compute_api:os-unrescue"]},
    {"case": "override the new name only",
     "policy": {"os_compute_api:os-unrescue": "role:admin"},
     "rules": ["os_compute_api:os-rescue", "os_compute_api:os-unrescue"]},
    {"case": "override a base rule",
     "policy": {"project_member_api": "role:member"},
     "rules": [STOP, "os_compute_api:os-pause-server:pause", "os_compute_api:servers:show"]},
    {"case": "unparseable check string", "policy": {STOP: "role:member and ("}, "rules": [STOP]},
    {"case": "reference to a missing rule", "policy": {STOP: "rule:no_such_rule"},
     "rules": [STOP]},
    {"case": "empty check string", "policy": {STOP: ""}, "rules": [STOP]},
    {"case": "always false", "policy": {STOP: "!"}, "rules": [STOP]},
    {"case": "always true", "policy": {STOP: "@"}, "rules": [STOP]},
    {"case": "role names match case-insensitively", "policy": {STOP: "role:MEMBER"},
     "rules": [STOP]},
    {"case": "generic check against the target", "policy": {STOP: "user_id:%(user_id)s"},
     "rules": [STOP]},
    {"case": "not, and, or, parentheses",
     "policy": {STOP: "not role:reader or (role:member and project_id:%(project_id)s)"},
     "rules": [STOP]},
    {"case": "http check (nothing listens)", "policy": {STOP: "http://127.0.0.1:9/check"},
     "rules": [STOP]},
    {"case": "enforce_scope false", "policy": {}, "options": {"enforce_scope": False},
     "rules": [STOP, "os_compute_api:os-evacuate"]},
    {"case": "enforce_new_defaults true", "policy": {},
     "options": {"enforce_new_defaults": True}, "rules": [STOP]},
]


def main():
    version = sys.argv[1]
    assert importlib.metadata.version("nova") == version
    rest.server_records = hook
    with contextlib.redirect_stdout(io.StringIO()):
        sys.argv = [sys.argv[0], version]
        probe.main()
    RESULT["nova"] = version
    json.dump(RESULT, sys.stdout, sort_keys=True, default=str)


if __name__ == "__main__":
    main()
