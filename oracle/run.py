#!/usr/bin/env python3
"""Refreshes the snapshots of what released Nova does, by executing it.

    python3 oracle/run.py 34.0.0        # one release
    python3 oracle/run.py all           # every supported release, one after another
    python3 oracle/run.py docs          # only rewrite docs/releases.md and docs/policy.md
    python3 oracle/run.py policy all    # only the policy snapshots (tests/oracle/policy-VERSION.json)
    python3 oracle/run.py policy 34.0.0 # one release's policy snapshot

For each release it makes (once) a virtualenv in ~/.cache/nova-states/venv-VERSION (or under
$NOVA_STATES_CACHE), installs `nova==VERSION` from PyPI into it, runs oracle/probe.py there, and
writes tests/oracle/nova-VERSION.json. Then it rewrites docs/releases.md from every snapshot
present. Runs are deterministic: a second run writes the same bytes.
"""

import json
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SNAPSHOTS = ROOT / "tests" / "oracle"
DOCS = ROOT / "docs" / "releases.md"
POLICY_DOCS = ROOT / "docs" / "policy.md"
CACHE = pathlib.Path(os.environ.get("NOVA_STATES_CACHE", pathlib.Path.home() / ".cache" / "nova-states"))

# Series name -> the newest point release of it that the project supports.
RELEASES = {
    "2023.1": "27.5.1",
    "2023.2": "28.3.1",
    "2024.1": "29.4.0",
    "2024.2": "30.3.0",
    "2025.1": "31.3.1",
    "2025.2": "32.2.1",
    "2026.1": "33.0.2",
    "2026.2": "34.0.0",
}

# Nova release -> the oslo.policy its series' upper constraints pin (openstack/requirements,
# upper-constraints.txt of the stable branch; 2026.2's from master): what a deployment of that
# release runs, so each snapshot is that release's policy as deployed, not under one newer library.
OSLO_POLICY = {
    "27.5.1": "4.1.1",
    "28.3.1": "4.2.1",
    "29.4.0": "4.3.0",
    "30.3.0": "4.4.0",
    "31.3.1": "4.5.1",
    "32.2.1": "4.6.0",
    "33.0.2": "5.0.0",
    "34.0.0": "6.0.0",
}


def python_for_venv():
    """A Python 3.11 (Nova 27 to 34 all run on it)."""
    for candidate in ("python3.11", "python3"):
        try:
            out = subprocess.run(
                [candidate, "-c", "import sys; print(sys.version_info[:2] >= (3, 10))"],
                capture_output=True, text=True, check=True,
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            continue
        if out == "True":
            return candidate
    raise SystemExit("needs Python 3.10 or newer (3.11 preferred) to install Nova")


def venv_for(version):
    venv = CACHE / f"venv-{version}"
    python = venv / "bin" / "python"
    pin = OSLO_POLICY.get(version)
    def installed(check):
        return python.exists() and subprocess.run(
            [str(python), "-c", f"import importlib.metadata as m, nova; assert {check}"],
            capture_output=True,
        ).returncode == 0
    if not installed(f"m.version('nova') == '{version}'"):
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"installing nova=={version} into {venv} (a few minutes)", file=sys.stderr)
        subprocess.run([python_for_venv(), "-m", "venv", str(venv)], check=True)
        extra = []
        if int(version.split(".")[0]) <= 30:
            # Nova 27 to 30 do not import with oslo.utils 9 or newer.
            extra.append("oslo.utils<9")
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", f"nova=={version}", "oslotest", *extra],
            check=True,
        )
    if pin and not installed(f"m.version('oslo.policy') == '{pin}'"):
        print(f"installing oslo.policy=={pin} into {venv}", file=sys.stderr)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", f"oslo.policy=={pin}"], check=True)
    return python


def write_snapshot(data, path):
    """JSON with one top-level key per line and one method per line, keys sorted."""
    lines = ["{"]
    keys = sorted(data)
    for i, key in enumerate(keys):
        value = data[key]
        comma = "," if i + 1 < len(keys) else ""
        if isinstance(value, dict) and value:
            lines.append(f"  {json.dumps(key)}: {{")
            sub = sorted(value)
            for j, k in enumerate(sub):
                c = "," if j + 1 < len(sub) else ""
                lines.append(f"    {json.dumps(k)}: {json.dumps(value[k], sort_keys=True)}{c}")
            lines.append(f"  }}{comma}")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"  {json.dumps(key)}: [")
            for j, item in enumerate(value):
                c = "," if j + 1 < len(value) else ""
                lines.append(f"    {json.dumps(item, sort_keys=True)}{c}")
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, sort_keys=True)}{comma}")
    lines.append("}")
    path.write_text("\n".join(lines) + "\n")


def probe(version):
    python = venv_for(version)
    env = dict(os.environ, PYTHONHASHSEED="0")
    out = subprocess.run(
        [str(python), str(ROOT / "oracle" / "probe.py"), version],
        capture_output=True, text=True, env=env,
    )
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"the probe of nova {version} failed")
    data = json.loads(out.stdout)
    series = [s for s, v in RELEASES.items() if v == version]
    data["series"] = series[0] if series else None
    SNAPSHOTS.mkdir(parents=True, exist_ok=True)
    servers = data.pop("servers", None)
    if version == RELEASES[max(RELEASES)] and servers:
        # Server records from Nova's own view builder: fixtures for the record readers.
        records = SNAPSHOTS / f"servers-{version}.json"
        records.write_text(json.dumps(
            {"nova": version, "servers": servers}, indent=1, sort_keys=True) + "\n")
        print(f"wrote {records.relative_to(ROOT)} ({records.stat().st_size} bytes)", file=sys.stderr)
    path = SNAPSHOTS / f"nova-{version}.json"
    write_snapshot(data, path)
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size} bytes)", file=sys.stderr)


def policy(version):
    """Runs oracle/policy.py in the release's virtualenv; writes tests/oracle/policy-VERSION.json."""
    python = venv_for(version)
    env = dict(os.environ, PYTHONHASHSEED="0")
    out = subprocess.run(
        [str(python), str(ROOT / "oracle" / "policy.py"), version],
        capture_output=True, text=True, env=env,
    )
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"the policy probe of nova {version} failed")
    data = json.loads(out.stdout)
    series = [s for s, v in RELEASES.items() if v == version]
    data["series"] = series[0] if series else None
    SNAPSHOTS.mkdir(parents=True, exist_ok=True)
    path = SNAPSHOTS / f"policy-{version}.json"
    write_snapshot(data, path)
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size} bytes)", file=sys.stderr)


def main(argv):
    if len(argv) == 2 and argv[0] == "policy":
        arg = argv[1]
        for version in (list(RELEASES.values()) if arg == "all" else [RELEASES.get(arg, arg)]):
            policy(version)
        sys.path.insert(0, str(ROOT / "oracle"))
        import policy_doc

        policy_doc.write(SNAPSHOTS, POLICY_DOCS, RELEASES)
        return
    if len(argv) != 1:
        raise SystemExit(__doc__)
    arg = argv[0]
    if arg == "all":
        versions = list(RELEASES.values())
    elif arg == "docs":
        versions = []
    else:
        versions = [RELEASES.get(arg, arg)]
    for version in versions:
        probe(version)
    sys.path.insert(0, str(ROOT / "oracle"))
    import releases_doc

    releases_doc.write(SNAPSHOTS, DOCS, RELEASES)
    import policy_doc

    policy_doc.write(SNAPSHOTS, POLICY_DOCS, RELEASES)


if __name__ == "__main__":
    main(sys.argv[1:])
