//! The main module's exports on wasm: numbers and strings in, numbers and strings out, every
//! problem an error text `CODE<US>message`, never a trap.
use nova_states_wasm::{
    codes_digest, explain_record, findings, parse, parse_error, status_code, validate_codes,
    wrong_type, Asker,
};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

/// The code and message of an error text.
fn split(error: &str) -> (&str, &str) {
    error
        .split_once('\u{1f}')
        .expect("an error text has a code")
}

// pause is row 2 (method name: via 0); stopped is VmState index 4, as code 4 + 2; no task is
// code 1; the newest release's index sits at bit 10 of the facts.
const PAUSE: u32 = 2 << 4;
const STOPPED: u32 = 4 + 2;
const NO_TASK: u32 = 1;

fn newest() -> u32 {
    ((nova_states::Release::ALL.len() - 1) as u32) << 10
}

#[wasm_bindgen_test]
fn pause_on_a_stopped_server_is_refused_in_novas_words() {
    let mut nobody = Asker::new();
    let packed = nobody.decide(PAUSE, STOPPED, NO_TASK, 0, 0, newest(), 104, 0);
    assert_eq!(packed >> 31, 0, "readable");
    assert_ne!(packed & (1 << 30), 0, "refused");
    let text = nobody.denials_text(PAUSE, STOPPED, NO_TASK, 0, 0, newest(), 104, 0);
    let fields: Vec<&str> = text.split('\u{1f}').collect();
    assert_eq!(fields[0], "d");
    assert_eq!(fields[1], "vm_state");
    assert_eq!(fields[2], "vm-state");
    assert_eq!(fields[3], "the server is stopped; pause needs active");
    assert_eq!(fields[4], "stopped");
    assert_eq!(fields[5], "active");
    assert_eq!(
        fields[6],
        "Cannot 'pause' instance \0 while it is in vm_state stopped"
    );
    assert_eq!(fields[7], "409");
    assert_eq!(fields[8], "");
    assert_ne!(codes_digest(), 0);
}

#[wasm_bindgen_test]
fn unknown_names_are_errors_with_a_code_and_a_suggestion() {
    // Parser 10: a vm state (the argument's code).
    assert_eq!(parse(10, "actve", 0.0), -1.0);
    let err = parse_error(10, "actve", 0.0);
    let (code, message) = split(&err);
    assert_eq!(code, "ERR_NOVA_UNKNOWN_NAME");
    assert!(message.contains("did you mean \"active\""), "{message}");
}

#[wasm_bindgen_test]
fn bad_records_are_explained_and_the_module_keeps_working() {
    let mut values = vec![JsValue::UNDEFINED; 9];
    values[2] = JsValue::from_f64(3.0);
    let err = explain_record(values);
    let (code, message) = split(&err);
    assert_eq!(code, "ERR_NOVA_MALFORMED");
    assert!(message.contains("the number 3"), "{message}");
    let err = wrong_type(0, JsValue::from_f64(3.0));
    assert_eq!(split(&err).0, "ERR_NOVA_INVALID_ARG_TYPE");
    // Parser 4: options.microversion.
    assert_eq!(parse(4, "2.99", 0.0), 99.0);
    let err = parse_error(4, "2.999", 0.0);
    assert_eq!(split(&err).0, "ERR_NOVA_OUT_OF_RANGE");
    // Codes past every table read as absent: no trap.
    let all = u32::MAX;
    let packed = Asker::new().decide(all, all, all, all, all, all, all, all);
    assert_eq!(packed >> 31, 1);
    // active (0 + 2) with rebooting is REBOOT.
    let rebooting = nova_states::TaskState::Rebooting.index() as u32 + 2;
    assert_eq!(
        nova_states::Status::ALL[status_code(2, rebooting) as usize].as_str(),
        "REBOOT"
    );
}

#[wasm_bindgen_test]
fn a_finding_is_flagged_and_written_out() {
    // active (code 2) shown as SHUTOFF: a contradiction.
    let shutoff = nova_states::Status::parse("SHUTOFF").unwrap().index() as u32 + 2;
    let answer = validate_codes(2, NO_TASK, shutoff, 0, 0);
    assert_ne!(answer & 256, 0);
    let text = findings(2, NO_TASK, shutoff, 0, 0);
    assert!(text.starts_with('0'), "{text}");
    assert!(text.contains("status-mismatch"), "{text}");
}

#[wasm_bindgen_test]
fn a_reader_is_refused_stop_with_novas_403_before_the_state_409() {
    // The token's items (see `compileAsker`): project, user, no system scope, no domain, then
    // the roles.
    let reader = Asker::caller(
        (nova_states::Release::ALL.len() - 1) as u32,
        "p1\u{1f}u1\u{1f}\u{1b}\u{1f}\u{1b}\u{1f}reader\u{1f}",
        "",
        1, // enforce_new_defaults on, scope enforced
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(!reader.is_admin());
    let stop = 1 << 4;
    let mut reader = reader;
    let owner = reader.intern("p1") | reader.intern("u1") << 16;
    let text = reader.denials_text(stop, STOPPED, NO_TASK, 0, 0, newest(), 104, owner);
    let first: Vec<&str> = text
        .split('\u{1d}')
        .next()
        .unwrap()
        .split('\u{1f}')
        .collect();
    assert_eq!(first[1], "policy");
    assert_eq!(
        first[6],
        "Policy doesn't allow os_compute_api:servers:stop to be performed."
    );
    assert_eq!(first[7], "403");
    let bad = Asker::caller(
        0,
        "\u{1b}\u{1f}\u{1b}\u{1f}domain\u{1f}\u{1b}\u{1f}",
        "",
        1, // enforce_new_defaults on, scope enforced
    );
    assert!(bad.is_err());
}
