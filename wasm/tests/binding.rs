//! The binding layer on wasm: JS values in, JS values and JS errors out, never a trap.
use js_sys::{Object, Reflect};
use nova_states_wasm::{check_action, parse_vm_state, status_of, validate_servers_json};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn record(vm: &str) -> JsValue {
    let o = Object::new();
    Reflect::set(&o, &"OS-EXT-STS:vm_state".into(), &vm.into()).unwrap();
    Reflect::set(&o, &"OS-EXT-STS:task_state".into(), &JsValue::NULL).unwrap();
    o.into()
}

fn code(err: &JsValue) -> String {
    Reflect::get(err, &"code".into())
        .unwrap()
        .as_string()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
fn check_action_refuses_pause_on_a_stopped_server_with_novas_message() {
    let verdict = check_action("pause".into(), record("stopped"), None).unwrap();
    assert_eq!(
        Reflect::get(&verdict, &"allowed".into()).unwrap(),
        JsValue::FALSE
    );
    let denials: js_sys::Array = Reflect::get(&verdict, &"denials".into())
        .unwrap()
        .unchecked_into();
    let message = Reflect::get(&denials.get(0), &"message".into())
        .unwrap()
        .as_string()
        .unwrap();
    assert_eq!(
        message,
        "Cannot 'pause' instance <uuid> while it is in vm_state stopped"
    );
}

#[wasm_bindgen_test]
fn unknown_names_are_range_errors_with_a_code() {
    let err = parse_vm_state("actve".into()).unwrap_err();
    assert!(err.is_instance_of::<js_sys::RangeError>());
    assert_eq!(code(&err), "ERR_NOVA_UNKNOWN_NAME");
}

#[wasm_bindgen_test]
fn wrong_types_are_type_errors_and_the_module_keeps_working() {
    let err = check_action(JsValue::from_f64(3.0), record("active"), None).unwrap_err();
    assert!(err.is_instance_of::<js_sys::TypeError>());
    assert_eq!(code(&err), "ERR_NOVA_INVALID_ARG_TYPE");
    assert!(validate_servers_json("[".repeat(100_000).into()).is_err());
    assert_eq!(
        status_of("active".into(), Some("rebooting".into()))
            .unwrap()
            .as_string()
            .unwrap(),
        "REBOOT"
    );
}
