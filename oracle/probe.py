"""Runs inside a virtualenv holding one Nova release and prints what that release does, as JSON.

Started by run.py; not meant to be run by hand. Nova is used as an installed test tool only:
nothing of it is copied here. Everything below the state checks (database, RPC, networking,
the method bodies) is replaced by stand-ins, so "allowed" means the checks let the call reach
Nova's own method body.
"""

import ast
import datetime
import functools
import importlib.metadata
import inspect
import json
import os
import logging
import sys
import textwrap
import types
import warnings
from unittest import mock

from run_length import run_length

warnings.simplefilter("ignore")
logging.disable(logging.CRITICAL)

# The decorators that check an instance's state, by the name of the function that builds them.
GUARDS = (
    "check_instance_lock",
    "check_instance_host",
    "check_instance_state",
    "reject_instance_state",
)
# Values a dispatching method's arguments take, one case each (reboot's type picks its check;
# an assisted snapshot delete that merges needs an active server).
ARGUMENT_VARIANTS = {
    "reboot_type": ["SOFT", "HARD"],
    "delete_info": [{}, {"merge_target_file": "snap.img"}],
}
UUID = "8f0fd4b5-3a4c-4ac3-9a5e-2b9d46e6d5a1"
LAUNCHED_AT = datetime.datetime(2024, 1, 1, 0, 0, 0)


def decorator_of(wrapper):
    """The module-level decorator that made `wrapper` (from its qualified name), or None."""
    qual = getattr(wrapper, "__code__", None) and wrapper.__code__.co_qualname
    if not qual or "<locals>" not in qual:
        return None
    return qual.split(".<locals>")[0]


def chain(func):
    """The wrappers of `func`, outermost first, each with its decorator's name, and the body."""
    layers = []
    while hasattr(func, "__wrapped__"):
        layers.append((decorator_of(func), func))
        func = func.__wrapped__
    return layers, func


def closure_args(wrapper):
    """The decorator arguments a wrapper closes over (sets as sorted lists)."""
    out = {}
    code = wrapper.__code__
    for name, cell in zip(code.co_freevars, wrapper.__closure__ or ()):
        try:
            value = cell.cell_contents
        except ValueError:
            continue
        if name in ("vm_state", "task_state", "must_have_launched", "check_is_up"):
            if isinstance(value, (set, frozenset, list, tuple)):
                value = sorted(value, key=lambda v: (v is not None, str(v)))
            out[name] = value
    return out


class Stub:
    """Stands in for anything below the checks: every attribute and call answers another stub."""

    def __init__(self, name="stub"):
        self._name = name

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return Stub(self._name + "." + name)

    def __call__(self, *args, **kwargs):
        return Stub(self._name + "()")

    def __iter__(self):
        return iter(())

    def __bool__(self):
        return False


class FakeInstance:
    """The instance facts the checks read."""

    def __init__(self, vm_state, task_state, launched, locked, host):
        self.uuid = UUID
        self.vm_state = vm_state
        self.task_state = task_state
        self.launched_at = LAUNCHED_AT if launched else None
        self.locked = locked
        self.host = "compute-1" if host else None
        self.flavor = types.SimpleNamespace(extra_specs={})
        self.image_meta = types.SimpleNamespace(properties={})
        self.services = [types.SimpleNamespace(binary="nova-compute")]

    def get_network_info(self):
        return []

    def __getattr__(self, name):
        return Stub("instance." + name)


def main():
    version = sys.argv[1]
    import nova.compute.api as api_mod
    from nova import exception
    from nova.compute import task_states, vm_states
    from nova.objects import fields

    assert importlib.metadata.version("nova") == version, importlib.metadata.version("nova")
    API = api_mod.API

    vm_all = list(fields.InstanceState.ALL)
    task_all = list(fields.InstanceTaskState.ALL)

    # --- find every guarded method: decorators first, then guarded functions nested in bodies.
    guarded = {}
    for name, attr in sorted(vars(API).items()):
        if not inspect.isfunction(attr):
            continue
        layers, body = chain(attr)
        decorators = [d for d, _ in layers]
        if any(d in GUARDS for d in decorators):
            guarded[name] = (layers, body)

    source_of = {}
    nested = {}
    for name, attr in sorted(vars(API).items()):
        if not inspect.isfunction(attr) or name.startswith("_"):
            continue
        _, body = chain(attr)
        tree = ast.parse(textwrap.dedent(inspect.getsource(body)))
        fn = tree.body[0]
        source_of[name] = fn
        for node in ast.walk(fn):
            if isinstance(node, ast.FunctionDef) and node is not fn:
                names = []
                for d in node.decorator_list:
                    target = d.func if isinstance(d, ast.Call) else d
                    if isinstance(target, ast.Name):
                        names.append(target.id)
                if any(n in GUARDS for n in names):
                    nested[name] = {"function": node.name, "decorators": names}

    # A public guarded method whose body calls another guarded method of the API dispatches.
    dispatchers = {}
    for name in guarded:
        if name.startswith("_") or name not in source_of:
            continue
        calls = set()
        for node in ast.walk(source_of[name]):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "self"
                and node.func.attr in guarded
            ):
                calls.add(node.func.attr)
        if calls:
            dispatchers[name] = sorted(calls)

    # --- the bodies become stand-ins: reaching one is "allowed".
    reached = []

    current = []

    def make_body(name, original=None):
        def body(*args, **kwargs):
            reached.append(name)
            # What a helper looking up a volume's attachment returns: the instance under test.
            return types.SimpleNamespace(instance=current[0] if current else None)

        if original is not None:
            # Nova's messages name the decorated function by its __name__.
            body.__name__ = original.__name__
            body.__qualname__ = original.__qualname__
        return body

    for name, (layers, body) in guarded.items():
        if name in dispatchers:
            continue
        inner = layers[-1][1]
        for i, cell in enumerate(inner.__closure__ or ()):
            if cell.cell_contents is body:
                cell.cell_contents = make_body(name, body)
                break
        else:
            raise SystemExit(f"cannot find the body of {name}")

    probe = API.__new__(API)
    for name, attr in vars(API).items():
        if inspect.isfunction(attr) and name not in guarded and name not in nested:
            setattr(probe, name, make_body(name))
    probe.servicegroup_api = mock.Mock(**{"service_is_up.return_value": True})
    probe.network_api = mock.Mock(
        **{"instance_has_extended_resource_request.return_value": False}
    )
    for attr in ("compute_rpcapi", "compute_task_api", "volume_api", "image_api", "notifier"):
        setattr(probe, attr, Stub(attr))

    hardware = mock.Mock()
    hardware.get_mem_encryption_constraint.return_value = False
    hardware.get_vtpm_constraint.return_value = None
    hardware.get_tpm_secret_security_constraint.return_value = None
    patches = [mock.patch.object(api_mod, "hardware", hardware)]
    if hasattr(api_mod, "instance_has_share"):
        patches.append(mock.patch.object(api_mod, "instance_has_share", lambda c, i: []))
    for p in patches:
        p.start()

    # The cases to run: every method (and each dispatch variant) × facts.
    targets = []
    for name in sorted(set(guarded) | set(nested)):
        if name.startswith("_"):
            # Private guarded methods run through the public methods that dispatch to them.
            if not any(name in calls for calls in dispatchers.values()):
                targets.append((name, {}))
            continue
        attr = getattr(API, name)
        params = list(inspect.signature(chain(attr)[1]).parameters)
        variants = [{}]
        for param, values in ARGUMENT_VARIANTS.items():
            if param in params:
                variants = [dict(v, **{param: val}) for v in variants for val in values]
        for v in variants:
            targets.append((name, v))

    outcomes = []
    outcome_ids = {}
    methods = {}
    tasks_with_none = [None] + task_all
    if os.environ.get("ORACLE_ONLY"):
        targets = []
    for name, variant in targets:
        func = getattr(probe, name)
        params = list(inspect.signature(chain(getattr(API, name))[1]).parameters)[3:]
        key = name + "".join(f" {k}={json.dumps(v, sort_keys=True)}" for k, v in variant.items())
        codes = []
        for host in (True, False):
            for launched in (True, False):
                for locked in (False, True):
                    for admin in (False, True):
                        context = types.SimpleNamespace(is_admin=admin, project_id="p", user_id="u")
                        for vm in vm_all:
                            for task in tasks_with_none:
                                inst = FakeInstance(vm, task, launched, locked, host)
                                args = [variant.get(p, Stub(p)) for p in params]
                                reached.clear()
                                current[:] = [inst]
                                try:
                                    func(context, inst, *args)
                                    outcome = {"allowed": True}
                                except exception.NovaException as exc:
                                    kwargs = {
                                        k: v
                                        for k, v in sorted(exc.kwargs.items())
                                        if k not in ("instance_uuid", "instance_id", "code")
                                    }
                                    if "state" in kwargs:
                                        attr_name = kwargs.get("attr")
                                        own = {"vm_state": vm, "task_state": task,
                                               "launched_at": inst.launched_at}.get(attr_name)
                                        assert kwargs["state"] == own, (key, kwargs)
                                        kwargs["state"] = "{state}"
                                    text = str(exc).replace(UUID, "{uuid}")
                                    if "attr" in kwargs:
                                        own = {"vm_state": vm, "task_state": task, "launched_at": inst.launched_at}
                                        attr_name = kwargs["attr"]
                                        text = text.replace(
                                            f"{attr_name} {own.get(attr_name)}.", f"{attr_name} {{state}}."
                                        )
                                    outcome = {
                                        "exception": type(exc).__name__,
                                        "kwargs": kwargs,
                                        "message": text,
                                        "code": exc.code,
                                    }
                                ident = json.dumps(outcome, sort_keys=True, default=str)
                                if ident not in outcome_ids:
                                    outcome_ids[ident] = len(outcomes)
                                    outcomes.append(outcome)
                                codes.append(outcome_ids[ident])
        methods[key] = run_length(codes)

    for p in patches:
        p.stop()

    def describe(name):
        if name not in guarded:
            return None
        layers, _ = guarded[name]
        return [
            dict({"decorator": d or "?"}, **closure_args(w))
            for d, w in layers
        ]

    # --- the status mapping both ways.
    from nova.api.openstack import common

    status = {}
    for vm in vm_all:
        status[vm] = [common.status_from_state(vm, t) for t in tasks_with_none]
    statuses = sorted({s for m in common._STATE_MAP.values() for s in m.values()})
    status_filter = {}
    for s in statuses + ["UNKNOWN", "active", "no-such-status"]:
        vms, tasks = common.task_and_vm_state_from_status([s])
        status_filter[s] = {"vm_states": vms, "task_states": [t for t in tasks]}

    from nova.api.openstack import api_version_request as avr

    import rest

    rest_part = rest.run(version, vm_all, reached, current, guarded, nested)

    result = {
        **rest_part,
        "nova": version,
        "max_microversion": avr._MAX_API_VERSION,
        "vm_states": vm_all,
        "task_states": task_all,
        "axes": ["host", "launched", "locked", "admin", "vm_state", "task_state"],
        "decorators": {n: describe(n) for n in sorted(guarded)},
        "nested": nested,
        "dispatchers": dispatchers,
        "outcomes": outcomes,
        "methods": methods,
        "status_from_state": status,
        "task_and_vm_state_from_status": status_filter,
    }
    json.dump(result, sys.stdout, sort_keys=True, default=str)


if __name__ == "__main__":
    main()
