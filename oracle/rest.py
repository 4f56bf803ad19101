"""The REST half of the probe: server actions through Nova's own router, controllers, request
schemas, policies and compute API checks, with everything below the checks stubbed.

Each request is named by the REST name the rules table uses (`pause`, `DELETE /servers/{id}`),
with a variant label where one name reaches several rows (reboot types, remote console
protocols, image- or volume-backed snapshots, DELETE with soft delete configured). Request
bodies are the smallest that pass each release's schema; they are the one hand-written part.
"""

import contextlib
import json
import types
from unittest import mock

UUID = "8f0fd4b5-3a4c-4ac3-9a5e-2b9d46e6d5a1"
OTHER = "a0c9c4b2-4a0c-4d1e-9f6e-0b5b1c1d2e3f"
PROJECT = "6f70656e737461636b20342065766572"

S = "/servers/" + UUID


def req(method, path, body=None, **extra):
    return dict(method=method, path=path, body=body, **extra)


def action(name, payload=None, **extra):
    return req("POST", S + "/action", {name: payload}, **extra)


# REST name -> list of (variant, request). A request may name `min`/`max` microversions when
# its body or path only exists in a range (the probe runs it at the release's newest
# microversion inside that range).
REQUESTS = {
    "os-start": [("", action("os-start"))],
    "os-stop": [("", action("os-stop"))],
    "pause": [("", action("pause"))],
    "unpause": [("", action("unpause"))],
    "suspend": [("", action("suspend"))],
    "resume": [("", action("resume"))],
    "reboot": [
        ("SOFT", action("reboot", {"type": "SOFT"})),
        ("HARD", action("reboot", {"type": "HARD"})),
    ],
    "rescue": [("", action("rescue", {}))],
    "unrescue": [("", action("unrescue"))],
    "resize": [("", action("resize", {"flavorRef": "2"}))],
    "migrate": [("", action("migrate"))],
    "confirmResize": [("", action("confirmResize"))],
    "revertResize": [("", action("revertResize"))],
    "rebuild": [("", action("rebuild", {"imageRef": OTHER}))],
    "evacuate": [
        ("to host", action("evacuate", {"host": "compute-2"}, min=29)),
        ("no host", action("evacuate", {}, min=29)),
    ],
    "shelve": [("", action("shelve"))],
    "shelveOffload": [("", action("shelveOffload"))],
    "unshelve": [
        ("", action("unshelve")),
        ("availability zone", action("unshelve", {"availability_zone": "az-2"}, min=77)),
        ("host", action("unshelve", {"host": "compute-2"}, min=91)),
    ],
    "os-migrateLive": [
        ("", action("os-migrateLive", {"host": None, "block_migration": "auto"}, min=25))
    ],
    "POST /servers/{id}/migrations/{migration_id}/action": [
        ("", req("POST", S + "/migrations/1/action", {"force_complete": None}, min=22))
    ],
    "DELETE /servers/{id}/migrations/{migration_id}": [
        ("", req("DELETE", S + "/migrations/1", min=24))
    ],
    "DELETE /servers/{id}": [
        ("delete", req("DELETE", S)),
        ("soft delete configured", req("DELETE", S, reclaim=True)),
    ],
    "forceDelete": [("", action("forceDelete"))],
    "restore": [("", action("restore"))],
    "createImage": [
        ("image-backed", action("createImage", {"name": "snap"})),
        ("volume-backed", action("createImage", {"name": "snap"}, volume_backed=True)),
    ],
    "createBackup": [
        ("", action("createBackup", {"name": "b", "backup_type": "daily", "rotation": 1}))
    ],
    "changePassword": [("", action("changePassword", {"adminPass": "s3cret-Pass"}))],
    "trigger_crash_dump": [("", action("trigger_crash_dump", min=17))],
    "POST /servers/{id}/os-volume_attachments": [
        ("", req("POST", S + "/os-volume_attachments", {"volumeAttachment": {"volumeId": OTHER}}))
    ],
    "DELETE /servers/{id}/os-volume_attachments/{volume_id}": [
        ("", req("DELETE", S + "/os-volume_attachments/" + OTHER))
    ],
    "PUT /servers/{id}/os-volume_attachments/{volume_id}": [
        ("", req("PUT", S + "/os-volume_attachments/" + OTHER,
                 {"volumeAttachment": {"volumeId": "c0c9c4b2-4a0c-4d1e-9f6e-0b5b1c1d2e3f"}}))
    ],
    "POST /os-assisted-volume-snapshots": [
        ("", req("POST", "/os-assisted-volume-snapshots",
                 {"snapshot": {"volume_id": OTHER, "create_info": {
                     "snapshot_id": OTHER, "type": "qcow2", "new_file": "new.img"}}}))
    ],
    "DELETE /os-assisted-volume-snapshots/{snapshot_id}": [
        ("", req("DELETE", "/os-assisted-volume-snapshots/" + OTHER + "?delete_info="
                 + json.dumps({"volume_id": OTHER}).replace(" ", "")))
    ],
    "POST /servers/{id}/os-interface": [
        ("", req("POST", S + "/os-interface", {"interfaceAttachment": {"net_id": OTHER}}))
    ],
    "DELETE /servers/{id}/os-interface/{port_id}": [
        ("", req("DELETE", S + "/os-interface/" + OTHER))
    ],
    "PUT /servers/{id}/metadata": [("", req("PUT", S + "/metadata", {"metadata": {"k": "v"}}))],
    "POST /servers/{id}/metadata": [("", req("POST", S + "/metadata", {"metadata": {"k": "v"}}))],
    "PUT /servers/{id}/metadata/{key}": [
        ("", req("PUT", S + "/metadata/k", {"meta": {"k": "v"}}))
    ],
    "DELETE /servers/{id}/metadata/{key}": [("", req("DELETE", S + "/metadata/k"))],
    "POST /servers/{id}/remote-consoles": [
        ("vnc", req("POST", S + "/remote-consoles",
                    {"remote_console": {"protocol": "vnc", "type": "novnc"}}, min=6)),
        ("spice", req("POST", S + "/remote-consoles",
                      {"remote_console": {"protocol": "spice", "type": "spice-html5"}}, min=6)),
        ("serial", req("POST", S + "/remote-consoles",
                       {"remote_console": {"protocol": "serial", "type": "serial"}}, min=6)),
        ("mks", req("POST", S + "/remote-consoles",
                    {"remote_console": {"protocol": "mks", "type": "webmks"}}, min=8)),
        ("rdp", req("POST", S + "/remote-consoles",
                    {"remote_console": {"protocol": "rdp", "type": "rdp-html5"}}, min=6)),
    ],
    "os-getVNCConsole": [("", action("os-getVNCConsole", {"type": "novnc"}, max=5))],
    "os-getSPICEConsole": [("", action("os-getSPICEConsole", {"type": "spice-html5"}, max=5))],
    "os-getSerialConsole": [("", action("os-getSerialConsole", {"type": "serial"}, max=5))],
    "os-getRDPConsole": [("", action("os-getRDPConsole", {"type": "rdp-html5"}, max=5))],
    "os-getConsoleOutput": [("", action("os-getConsoleOutput", {"length": 10}))],
    "GET /servers/{id}/diagnostics": [
        ("before 2.48", req("GET", S + "/diagnostics", max=47)),
        ("2.48", req("GET", S + "/diagnostics", min=48)),
    ],
    "injectNetworkInfo": [("", action("injectNetworkInfo"))],
    "addFixedIp": [("", action("addFixedIp", {"networkId": OTHER}, max=43))],
    "removeFixedIp": [("", action("removeFixedIp", {"address": "10.0.0.9"}, max=43))],
    "lock": [("", action("lock"))],
    "PUT /servers/{id}": [("", req("PUT", S, {"server": {"name": "renamed"}}))],
    "addSecurityGroup": [("", action("addSecurityGroup", {"name": "web"}))],
    "removeSecurityGroup": [("", action("removeSecurityGroup", {"name": "web"}))],
    "unlock": [("", action("unlock"))],
    "os-resetState": [("", action("os-resetState", {"state": "active"}))],
    "PUT /servers/{id}/tags/{tag}": [("", req("PUT", S + "/tags/blue", min=26))],
    "PUT /servers/{id}/tags": [("", req("PUT", S + "/tags", {"tags": ["blue"]}, min=26))],
    "DELETE /servers/{id}/tags/{tag}": [("", req("DELETE", S + "/tags/blue", min=26))],
    "DELETE /servers/{id}/tags": [("", req("DELETE", S + "/tags", min=26))],
    "POST /servers/{id}/shares": [
        ("", req("POST", S + "/shares", {"share": {"share_id": OTHER}}, min=97))
    ],
    "DELETE /servers/{id}/shares/{share_id}": [
        ("", req("DELETE", S + "/shares/" + OTHER, min=97))
    ],
}

# The state grid of the REST sweep: every vm state × these task states × these facts.
TASKS = [None, "migrating", "deleting", "rebooting", "resize_prep", "powering-off"]
# (launched, locked, admin, host)
FACTS = [
    (True, False, False, True),
    (False, False, False, True),
    (True, True, False, True),
    (True, True, True, True),
    (True, False, False, False),
]


def run(version, vm_states, reached, current, guarded, nested):
    """Runs every request over the state grid; returns the REST part of the snapshot."""
    from oslo_utils import timeutils  # noqa: F401

    import nova.conf
    from nova import config, context, objects, rpc
    from nova.api import auth as api_auth
    from nova.api import openstack as openstack_api
    from nova.api.openstack import api_version_request as avr
    from nova.api.openstack import compute as compute_routes
    import nova.compute.api as api_mod
    from nova.tests.unit import fake_instance

    CONF = nova.conf.CONF
    config.parse_args([], default_config_files=[], configure_db=False, init_rpc=False)
    objects.register_all()
    for fn in ("get_client", "get_notifier", "get_versioned_notifier"):
        setattr(rpc, fn, mock.MagicMock())
    max_minor = int(str(avr._MAX_API_VERSION).split(".")[1])

    API = api_mod.API
    keep = {"get", "is_expected_locked_by"} | set(guarded) | set(nested)

    def make_stub(name):
        def stub(self, *args, **kwargs):
            # Lookups (private helpers, get_*, is_*) run before the checks; only an action's
            # own method counts as reached.
            if name.startswith(("_", "get", "is_")):
                if missing[0] and name == "_get_bdm_by_volume_id":
                    raise nova_exception.VolumeBDMNotFound(volume_id=OTHER)
                if name == "get_instance_metadata":
                    return dict(current[0].metadata)
                return types.SimpleNamespace(instance=current[0] if current else None)
            reached.append(name)
            return types.SimpleNamespace(instance=current[0] if current else None)
        stub.__name__ = name
        return stub

    from nova import exception as nova_exception
    missing = [False]

    def found(*a, **k):
        """The server under test, or Nova's not-found answer when it was deleted."""
        if missing[0]:
            raise nova_exception.InstanceNotFound(instance_id=UUID)
        return current[0]

    def fake_get(self, ctx, instance_id, expected_attrs=None, cell_down_support=False):
        return found()

    patches = []

    def patch(target, attr, value):
        p = mock.patch.object(target, attr, value)
        p.start()
        patches.append(p)

    for name, attr in list(vars(API).items()):
        if callable(attr) and not name.startswith("__") and name not in keep:
            patch(API, name, make_stub(name))
    patch(API, "get", fake_get)

    hardware = mock.MagicMock()
    hardware.get_mem_encryption_constraint.return_value = False
    hardware.get_vtpm_constraint.return_value = None
    hardware.get_tpm_secret_security_constraint.return_value = None
    patch(api_mod, "hardware", hardware)
    if hasattr(api_mod, "instance_has_share"):
        patch(api_mod, "instance_has_share", lambda c, i: [])

    import nova.servicegroup
    patch(nova.servicegroup.API, "service_is_up", lambda self, s: True)
    import nova.network.neutron
    patch(nova.network.neutron.API, "instance_has_extended_resource_request",
          lambda self, *a, **k: False)
    patch(objects.service, "get_minimum_version_all_cells", lambda *a, **k: 10**6)
    patch(objects.Service, "get_minimum_version", lambda *a, **k: 10**6)

    @contextlib.contextmanager
    def target_cell(ctx, cell):
        yield ctx

    import nova.context as nova_context
    patch(nova_context, "target_cell", target_cell)
    mapping = mock.MagicMock(project_id=PROJECT)

    def find_mapping(*a, **k):
        # A deleted server keeps its cell mapping (until the database is archived).
        return mapping

    patch(objects.InstanceMapping, "get_by_instance_uuid", find_mapping)
    patch(objects.BlockDeviceMappingList, "get_by_instance_uuid",
          lambda *a, **k: objects.BlockDeviceMappingList(objects=[]))
    bdm = mock.MagicMock()
    bdm.instance = property(lambda self: current[0])
    patch(objects.BlockDeviceMapping, "get_by_volume_and_instance",
          lambda *a, **k: mock.MagicMock(is_root=False, attachment_id=None))
    patch(api_mod.HostAPI, "service_get_by_compute_host",
          lambda *a, **k: mock.MagicMock(host="compute-2", disabled=False))
    patch(objects.BlockDeviceMapping, "get_by_volume",
          lambda *a, **k: types.SimpleNamespace(instance=current[0], instance_uuid=UUID))
    import nova.volume.cinder
    patch(nova.volume.cinder.API, "get", lambda self, c, vid, *a, **k: {
        "id": vid, "status": "in-use", "attach_status": "attached",
        "migration_status": "migrating", "multiattach": False,
        "attachments": {UUID: {"attachment_id": OTHER, "mountpoint": "/dev/vdb"}}})
    patch(nova.volume.cinder.API, "get_all", lambda *a, **k: [])
    for cls, names in ((objects.Tag, ("create", "destroy")),
                       (objects.TagList, ("create", "destroy", "get_by_resource_id"))):
        for name in names:
            if hasattr(cls, name):
                patch(cls, name, mock.MagicMock(return_value=objects.TagList(objects=[])))
    if hasattr(objects, "ShareMapping"):
        from nova import exception as nova_exception
        share_mapping = mock.MagicMock()

        def find_share(*a, **k):
            # Attaching needs the share not yet attached; detaching needs it attached.
            if not share_exists[0]:
                raise nova_exception.ShareNotFound(share_id=OTHER)
            return mock.MagicMock(share_id=OTHER, instance_uuid=UUID)

        share_mapping.get_by_instance_uuid_and_share_id.side_effect = find_share
        patch(objects, "ShareMapping", share_mapping)
    if hasattr(objects, "ShareMappingList"):
        patch(objects, "ShareMappingList", mock.MagicMock())
    patch(objects.VirtualInterface, "get_by_uuid", lambda *a, **k: None)
    from nova.network import security_group_api
    for name in ("add_to_instance", "remove_from_instance"):
        patch(security_group_api, name, lambda *a, _n=name, **k: reached.append(_n))
    import nova.compute.rpcapi as compute_rpcapi
    for name in ("volume_snapshot_create", "volume_snapshot_delete"):
        patch(compute_rpcapi.ComputeAPI, name, make_stub(name))
    import nova.compute.utils as compute_utils
    volume_backed = [False]
    share_exists = [False]
    patch(compute_utils, "is_volume_backed_instance", lambda *a, **k: volume_backed[0])
    patch(objects.InstanceAction, "action_start", lambda *a, **k: mock.MagicMock())
    patch(objects.Instance, "save", lambda self, *a, **k: None)
    patch(objects.Instance, "get_network_info", lambda self: [])
    patch(objects.Instance, "get_by_uuid", found)
    import nova.image.glance
    patch(nova.image.glance.API, "get", lambda *a, **k: {"id": OTHER, "status": "active",
                                                         "properties": {}, "min_ram": 0,
                                                         "min_disk": 0, "size": 1})
    try:
        import nova.share.manila
        patch(nova.share.manila.API, "get", lambda *a, **k: mock.MagicMock(
            status="available", export_location="10.0.0.1:/s", share_proto="NFS", id=OTHER))
    except ImportError:
        pass
    try:
        from nova.virt import hardware as hw
        if hasattr(hw, "check_shares_supported"):
            patch(hw, "check_shares_supported", lambda *a, **k: None)
    except ImportError:
        pass

    contexts = {}
    for admin in (False, True):
        roles = ["admin", "member", "reader"] if admin else ["member", "reader"]
        contexts[admin] = context.RequestContext(
            "owner-user", PROJECT, is_admin=admin, roles=roles)

    router = compute_routes.APIRouterV21()
    apps = {a: openstack_api.FaultWrapper(api_auth.InjectContext(c, router))
            for a, c in contexts.items()}

    import webob

    def call(r, minor, admin, inst):
        current[:] = [inst]
        reached.clear()
        volume_backed[0] = bool(r.get("volume_backed"))
        share_exists[0] = r["method"] == "DELETE"
        request = webob.Request.blank(
            r["path"], method=r["method"], base_url="http://nova.example:8774/v2.1")
        request.headers["OpenStack-API-Version"] = f"compute 2.{minor}"
        request.headers["X-OpenStack-Nova-API-Version"] = f"2.{minor}"
        if r["body"] is not None:
            request.headers["Content-Type"] = "application/json"
            request.body = json.dumps(r["body"] if r["body"] is not None else {}).encode()
        CONF.set_override("reclaim_instance_interval", 3600 if r.get("reclaim") else 0)
        response = request.get_response(apps[admin])
        text = response.body.decode()
        if r.get("raw"):
            return {"status": response.status_int, "body": json.loads(text) if text else None}
        message = None
        try:
            doc = json.loads(text)
            if isinstance(doc, dict) and len(doc) == 1:
                inner = next(iter(doc.values()))
                if isinstance(inner, dict) and "message" in inner:
                    message = inner["message"]
        except ValueError:
            pass
        status = response.status_int
        return {
            "reached": list(dict.fromkeys(reached)),
            "status": status if not reached else None,
            "message": None if reached else (
                message if message is not None else text[:300]
            ).replace(UUID, "{uuid}").replace(OTHER, "{other}"),
        }

    def instance(vm, task, launched, locked, host):
        inst = fake_instance.fake_instance_obj(
            contexts[False], uuid=UUID, project_id=PROJECT, user_id="owner-user",
            vm_state=vm, task_state=task,
            launched_at=timeutils.utcnow() if launched else None,
            locked=locked, locked_by=("owner" if locked else None),
            host="compute-1" if host else None, node="node-1" if host else None,
            display_name="server-1", hostname="server-1",
            metadata={"k": "v"}, system_metadata={},
            expected_attrs=["metadata", "system_metadata"],
        )
        inst.services = objects.ServiceList(objects=[
            objects.Service(binary="nova-compute", host="compute-1", disabled=False)])
        return inst

    import oslo_utils.timeutils as timeutils_mod
    fixed = timeutils_mod.datetime.datetime(2024, 1, 1)
    patch(timeutils_mod, "utcnow", lambda *a, **k: fixed)
    timeutils = timeutils_mod

    outcomes, outcome_ids, cases = [], {}, {}

    def code(outcome):
        ident = json.dumps(outcome, sort_keys=True)
        if ident not in outcome_ids:
            outcome_ids[ident] = len(outcomes)
            outcomes.append(outcome)
        return outcome_ids[ident]

    from run_length import run_length

    import os
    only = os.environ.get("ORACLE_ONLY")
    if only:
        import logging
        logging.disable(logging.NOTSET)
        logging.basicConfig(level=logging.ERROR)
    for name in sorted(REQUESTS):
        if only and name not in only.split(","):
            continue
        for variant, r in REQUESTS[name]:
            lo = max(r.get("min", 1), 1)
            hi = min(r.get("max", max_minor), max_minor)
            key = name + (f" [{variant}]" if variant else "")
            entry = {}
            if lo > hi:
                entry["absent"] = True
                cases[key] = entry
                continue
            # The state grid at the newest microversion the request exists at.
            codes = []
            for vm in vm_states:
                for task in TASKS:
                    for launched, locked, admin, host in FACTS:
                        inst = instance(vm, task, launched, locked, host)
                        codes.append(code(call(r, hi, admin, inst)))
            entry["microversion"] = f"2.{hi}"
            entry["grid"] = run_length(codes)
            # The microversion boundaries and the one below the newest, for a plain active
            # server (admin, no task).
            edges = {}
            for m in sorted({lo - 1, lo, hi, hi + 1, max_minor - 1, max_minor} - {0}):
                if m > max_minor:
                    continue
                inst = instance("active", None, True, False, True)
                edges[f"2.{m}"] = code(call(r, m, True, inst))
            entry["edges"] = edges
            # A deleted server: Nova's lookups do not find it.
            missing[0] = True
            entry["deleted"] = code(call(r, hi, True, instance("deleted", None, True, False, True)))
            missing[0] = False
            cases[key] = entry

    servers = server_records(call, instance, max_minor, vm_states)

    for p in reversed(patches):
        p.stop()
    return {
        "servers": servers,
        "rest_axes": ["vm_state", "task_state", "facts(launched, locked, admin, host)"],
        "rest_tasks": TASKS,
        "rest_facts": [list(f) for f in FACTS],
        "rest_outcomes": outcomes,
        "rest": cases,
    }


# Realistic server records: GET /servers/{id} through Nova's own router and view builder, for
# these (vm state, task state, power state, locked, host) at the newest microversion and 2.1.
RECORDS = [
    ("active", None, 1, False, True),
    ("active", "rebooting", 1, False, True),
    ("stopped", None, 4, False, True),
    ("stopped", "powering-on", 4, False, True),
    ("paused", None, 3, True, True),
    ("suspended", None, 7, False, True),
    ("rescued", None, 1, False, True),
    ("resized", None, 1, False, True),
    ("error", None, 0, False, True),
    ("building", "spawning", 0, False, True),
    ("shelved", None, 4, False, True),
    ("shelved_offloaded", None, 0, False, False),
    ("soft-delete", None, 4, False, True),
]


def server_records(call, instance, max_minor, vm_states):
    from nova import availability_zones
    from nova import objects

    from nova.network import security_group_api
    from nova.api.openstack.compute.views import servers as views
    import nova.compute.api as api_mod

    stand_ins = [
        mock.patch.object(views.ViewBuilder, "_get_server_groups", lambda *a, **k: []),
        mock.patch.object(api_mod.API, "get_instance_host_status", lambda *a, **k: "UP"),
        mock.patch.object(security_group_api, "get_instances_security_groups_bindings",
                          lambda *a, **k: {UUID: [{"name": "default"}]}),
        mock.patch.object(security_group_api, "get_instance_security_groups",
                          lambda *a, **k: [{"name": "default"}]),
        mock.patch.object(availability_zones, "get_instance_availability_zone",
                          lambda *a, **k: "nova"),
        mock.patch.object(objects.BlockDeviceMappingList, "bdms_by_instance_uuid",
                          lambda *a, **k: {}),
        mock.patch.object(objects.InstanceActionList, "get_by_instance_uuid",
                          lambda *a, **k: []) if hasattr(objects, "InstanceActionList") else None,
    ]
    for name, value in (("_get_pinned_az", None), ("_get_scheduler_hints", {})):
        if hasattr(views.ViewBuilder, name):
            stand_ins.append(mock.patch.object(
                views.ViewBuilder, name, lambda *a, _v=value, **k: _v))
    for p in stand_ins:
        if p is not None:
            p.start()
    try:
        return _server_records(call, instance, max_minor, vm_states)
    finally:
        for p in stand_ins:
            if p is not None:
                p.stop()


def _server_records(call, instance, max_minor, vm_states):
    out = []
    show = {"method": "GET", "path": S, "body": None}
    for vm, task, power, locked, host in RECORDS:
        if vm not in vm_states:
            continue
        inst = instance(vm, task, vm != "building", locked, host)
        inst.power_state = power
        inst.trusted_certs = None
        inst.fault = None
        for minor in (1, max_minor):
            record = call_json(call, show, minor, inst)
            out.append({"microversion": f"2.{minor}", "record": record})
    return out


def call_json(call, r, minor, inst):
    result = call(dict(r, raw=True), minor, True, inst)
    return result
