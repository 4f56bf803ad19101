//! Writes the TypeScript unions of Nova's names from the core's own tables, so the `.d.ts`
//! never lists a name by hand.
use std::fmt::Write;

fn union(out: &mut String, doc: &str, name: &str, values: &[&str]) {
    let quoted: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
    writeln!(
        out,
        "/** {doc} */\nexport type {name} = {};",
        quoted.join(" | ")
    )
    .unwrap();
}

fn main() {
    use nova_states::{Action, PowerState, Status, TaskState, VmState, RULES};
    println!("cargo:rerun-if-changed=../src");
    let mut out = String::new();
    union(
        &mut out,
        "An instance's stable state, Nova's exact wire string (`OS-EXT-STS:vm_state`).",
        "VmState",
        VmState::NAMES,
    );
    union(&mut out, "What is happening to an instance right now (`OS-EXT-STS:task_state`); `null` means no task.", "TaskState", TaskState::NAMES);
    union(
        &mut out,
        "The API `status` of a server (including `UNKNOWN`).",
        "Status",
        Status::NAMES,
    );
    let powers: Vec<&str> = PowerState::ALL.iter().map(|p| p.as_str()).collect();
    union(
        &mut out,
        "A power state's name (`OS-EXT-STS:power_state` carries its code).",
        "PowerStateName",
        &powers,
    );
    union(&mut out, "A state-checked method of Nova's compute API; reboot is split into `reboot_soft` and `reboot_hard`.", "ActionName", Action::NAMES);
    let mut rest: Vec<&str> = Vec::new();
    for entry in RULES.iter().flat_map(|r| r.rest) {
        if !rest.contains(&entry.name) && !Action::NAMES.contains(&entry.name) {
            rest.push(entry.name);
        }
    }
    union(
        &mut out,
        "A REST action name or method and path that reaches one of the actions.",
        "RestActionName",
        &rest,
    );
    let path = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("unions.d.ts");
    std::fs::write(path, out).unwrap();
}
