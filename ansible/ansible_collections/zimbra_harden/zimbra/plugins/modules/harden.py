#!/usr/bin/python
# -*- coding: utf-8 -*-
# MIT License (see the zimbra-harden repository)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: harden
short_description: Harden a Zimbra server against relaying spam through stolen accounts
description:
  - Runs the C(zimbra-harden) command installed on the managed node, with an argument list (never a shell).
  - C(hardened) runs C(zimbra-harden --json apply --yes); in check mode C(zimbra-harden --json plan --detailed-exitcode), which changes nothing.
  - C(audited) runs C(zimbra-harden --json audit --detailed-exitcode) and never changes anything.
  - C(changed) comes from the tool's JSON summary (apply) or its exit code 2 (plan), never from the mere fact that it ran.
  - In diff mode the tool's diffs of the files it writes (the web UI C(config.php), Apache's C(httpd.conf), the monitor's cron file) are shown.
  - On a multi-server install run it on every MTA, the catch-all on one node only; see the collection's documentation (docs/ansible.md).
version_added: "0.1.0"
author: zimbra-harden
options:
  state:
    description:
      - C(hardened) applies what is missing; C(audited) only reports it.
    type: str
    choices: [hardened, audited]
    default: hardened
  executable:
    description:
      - The zimbra-harden command, a name looked up in PATH (and C(/opt/zimbra-harden/bin)) or an absolute path.
    type: str
    default: zimbra-harden
  root:
    description:
      - Resolve every path and command under this folder (C(--root)), e.g. a simulated host from C(zimbra-harden sandbox create).
    type: path
  config:
    description:
      - Settings file (C(--config)); default C(/etc/zimbra-harden/config.json), which apply writes.
    type: path
  catch_all:
    description:
      - Catch-all account per domain (C(--catch-all DOMAIN=ACCOUNT)). The catch-all lives in LDAP, so give it on one node of an install and skip C(catch-all) on the others.
    type: list
    elements: dict
    suboptions:
      domain:
        description: The mail domain.
        type: str
        required: true
      account:
        description: The account of that domain that receives mail for unknown addresses.
        type: str
        required: true
  quota:
    description: At most this many recipients per period per account (C(--quota)).
    type: int
  quota_period:
    description: The period of C(quota) in seconds (C(--quota-period)).
    type: int
  quota_style:
    description: The per-account design or the recipe's literal quota (C(--quota-style)).
    type: str
    choices: [per-account, recipe]
  sender_login_match:
    description: SMTP AUTH users may only send as their own addresses (C(--sender-login-match) / C(--no-sender-login-match)); unset leaves the config file's value.
    type: bool
  webui_allow:
    description: Admin networks that may open the cbpolicyd web UI besides loopback (C(--webui-allow)).
    type: list
    elements: str
  report_to:
    description: Who receives the log monitor's reports; installs its cron job (C(--report-to)). Give it on the node that writes C(/var/log/zimbra.log) for the whole install (the logger host).
    type: str
  monitor_interval:
    description: Minutes between two monitor runs (C(--monitor-interval)).
    type: int
  restart:
    description: How to restart what changed (C(--restart)).
    type: str
    choices: [services, full, none]
  force_mta_restriction:
    description: Also write the recipe's literal C(zimbraMtaRestriction) on 8.0+ (C(--force-mta-restriction)).
    type: bool
    default: false
  skip:
    description: Controls to leave alone (C(--skip)), e.g. C(catch-all) on every node but one.
    type: list
    elements: str
  only:
    description: Run only these controls (C(--only)), e.g. C(monitor-cron) on a logger host that is not an MTA.
    type: list
    elements: str
notes:
  - Needs C(zimbra-harden) on the managed node, run as root (C(become)) on a real server.
  - Secrets never pass through this module. It has no password option, and the tool's JSON never carries file contents, only diffs with secret-looking lines redacted.
"""

EXAMPLES = r"""
- name: Harden every MTA; the LDAP-wide catch-all from the first one only
  zimbra_harden.zimbra.harden:
    catch_all: "{{ zimbra_catch_all if inventory_hostname == groups['zimbra_mta'][0] else omit }}"
    skip: "{{ omit if inventory_hostname == groups['zimbra_mta'][0] else ['catch-all'] }}"
    quota: 100
    webui_allow: [192.0.2.0/24]

- name: Audit only
  zimbra_harden.zimbra.harden:
    state: audited
  register: audit
"""

RETURN = r"""
summary:
  description: The tool's JSON summary (counts of ok, changed, skipped and failed items).
  returned: when the tool printed one
  type: dict
  sample: {mode: apply, ok: 9, changed: 0, skipped: 2, failed: 0}
server:
  description: What the tool found (Zimbra version, hostname, the MTA servers of the install).
  returned: when the tool got that far
  type: dict
items:
  description: One entry per control and subject, with its status (ok, change, skip, fail, needs; drift in an audit) and one line of why.
  returned: always
  type: list
  elements: dict
drift:
  description: C(audited) only; true when a protection is missing or drifted.
  returned: when state is audited
  type: bool
cmd:
  description: The argument list that was run.
  returned: always
  type: list
  elements: str
rc:
  description: The tool's exit code.
  returned: always
  type: int
"""

import json
import os

from ansible.module_utils.basic import AnsibleModule

SETTING_FLAGS = (
    ("quota", "--quota"),
    ("quota_period", "--quota-period"),
    ("quota_style", "--quota-style"),
    ("report_to", "--report-to"),
    ("monitor_interval", "--monitor-interval"),
    ("restart", "--restart"),
)
REPEATED_FLAGS = (("webui_allow", "--webui-allow"), ("skip", "--skip"), ("only", "--only"))
ITEM_EVENTS = ("planned_change", "audit_finding")


def find_executable(module, name):
    if "/" in name:
        if not os.access(name, os.X_OK):
            module.fail_json(msg="executable %s: not an executable file" % name)
        return name
    return module.get_bin_path(name, required=True, opt_dirs=["/opt/zimbra-harden/bin"])


def setting_args(params):
    args = []
    for entry in params["catch_all"] or []:
        args += ["--catch-all", "%s=%s" % (entry["domain"], entry["account"])]
    for key, flag in SETTING_FLAGS:
        if params[key] is not None:
            args += [flag, str(params[key])]
    for key, flag in REPEATED_FLAGS:
        for value in params[key] or []:
            args += [flag, value]
    if params["sender_login_match"] is not None:
        args.append("--sender-login-match" if params["sender_login_match"] else "--no-sender-login-match")
    if params["force_mta_restriction"]:
        args.append("--force-mta-restriction")
    return args


def command(module, executable):
    params = module.params
    argv = [executable]
    if params["root"]:
        argv += ["--root", params["root"]]
    if params["config"]:
        argv += ["--config", params["config"]]
    argv.append("--json")
    if params["state"] == "audited":
        argv += ["audit", "--detailed-exitcode"]
    elif module.check_mode:
        argv += ["plan", "--detailed-exitcode"]
    else:
        argv += ["apply", "--yes"]
    return argv + setting_args(params)


def parse_events(stdout):
    events = []
    for line in stdout.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict):
            events.append(event)
    return events


def error_line(events, stderr, rc):
    """The tool's own one-line reason: a JSON error event, a failed step, else its last stderr line."""
    for event in events:
        if event.get("type") == "error" and event.get("message"):
            return event["message"]
    for event in events:
        if event.get("type") == "apply_errored":
            return "%s %s: %s" % (event.get("id"), event.get("subject"), event.get("error"))
    for event in events:
        if event.get("type") == "verify" and event.get("ok") is False:
            return "verification failed: %s" % event.get("message")
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        if line.startswith("zimbra-harden: ") or line.startswith("error: "):
            return line.split(": ", 1)[1]
    if lines:
        return lines[-1]
    return "zimbra-harden exited %d without saying why" % rc


def item_view(event):
    view = dict((key, event.get(key)) for key in ("id", "subject", "status", "message"))
    if event.get("severity"):
        view["severity"] = event["severity"]
    if event.get("details"):
        view["details"] = event["details"]
    return view


def file_diffs(events):
    """Unified diffs of the files written: of applied items after an apply, of planned ones otherwise."""
    applied = [e for e in events if e.get("type") == "apply_complete"]
    source = applied or [e for e in events if e.get("type") in ITEM_EVENTS and e.get("status") == "change"]
    diffs = []
    for event in source:
        for action in event.get("actions") or []:
            if action.get("kind") == "write-file" and action.get("diff"):
                diffs.append({"prepared": action["diff"]})
    return diffs


def main():
    module = AnsibleModule(
        argument_spec=dict(
            state=dict(type="str", default="hardened", choices=["hardened", "audited"]),
            executable=dict(type="str", default="zimbra-harden"),
            root=dict(type="path"),
            config=dict(type="path"),
            catch_all=dict(
                type="list",
                elements="dict",
                options=dict(domain=dict(type="str", required=True), account=dict(type="str", required=True)),
            ),
            quota=dict(type="int"),
            quota_period=dict(type="int"),
            quota_style=dict(type="str", choices=["per-account", "recipe"]),
            sender_login_match=dict(type="bool"),
            webui_allow=dict(type="list", elements="str"),
            report_to=dict(type="str"),
            monitor_interval=dict(type="int"),
            restart=dict(type="str", choices=["services", "full", "none"]),
            force_mta_restriction=dict(type="bool", default=False),
            skip=dict(type="list", elements="str"),
            only=dict(type="list", elements="str"),
        ),
        mutually_exclusive=[("skip", "only")],
        supports_check_mode=True,
    )
    argv = command(module, find_executable(module, module.params["executable"]))
    rc, stdout, stderr = module.run_command(argv, environ_update={"NO_COLOR": "1", "LC_ALL": "C"})
    events = parse_events(stdout)
    summary = next((e for e in reversed(events) if e.get("type") == "summary"), None)
    server = next((e for e in events if e.get("type") == "server"), None)
    items = [item_view(e) for e in events if e.get("type") in ITEM_EVENTS]
    result = dict(cmd=argv, rc=rc, items=items, changed=False)
    if summary is not None:
        result["summary"] = dict((k, v) for k, v in summary.items() if k != "type")
    if server is not None:
        result["server"] = dict((k, v) for k, v in server.items() if k != "type")

    auditing = module.params["state"] == "audited"
    # plan/audit --detailed-exitcode: 2 = changes or drift; apply: 0, or 2 once it reports changes by exit code too.
    if rc not in (0, 2) or summary is None or summary.get("failed", 0) > 0:
        module.fail_json(msg=error_line(events, stderr, rc), **result)
    if auditing:
        # JSON schema 2.0 counts an audit's drift as "drift" (1.0 said "changed").
        result["drift"] = rc == 2 or summary.get("drift", summary.get("changed", 0)) > 0
    elif module.check_mode:
        result["changed"] = rc == 2 or summary.get("changed", 0) > 0
    else:
        result["changed"] = summary.get("changed", 0) > 0
    if module._diff and result["changed"]:
        result["diff"] = file_diffs(events)
    # Exit 2 is success here; without this Ansible would count any non-zero rc as a failure.
    result["failed"] = False
    module.exit_json(**result)


if __name__ == "__main__":
    main()
