//! The binding layer on wasm: JS values in, JS values and JS errors out, never a trap.
use js_sys::{Array, Object, Reflect};
use nova_states_wasm::{
    check_general, codes_digest, decide, denial_template, microversion, parse_name, status_code,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn record(vm: &str) -> JsValue {
    let o = Object::new();
    Reflect::set(&o, &"OS-EXT-STS:vm_state".into(), &vm.into()).unwrap();
    Reflect::set(&o, &"OS-EXT-STS:task_state".into(), &JsValue::NULL).unwrap();
    o.into()
}

/// The values of `record(vm)` per slot, as the JS entry reads them.
fn values(vm: &str) -> JsValue {
    let a = Array::new();
    for slot in 0..9 {
        a.push(&match slot {
            2 => JsValue::from_str(vm),
            3 => JsValue::NULL,
            _ => JsValue::UNDEFINED,
        });
    }
    a.into()
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

fn code(err: &JsValue) -> String {
    get(err, "code").as_string().unwrap_or_default()
}

#[wasm_bindgen_test]
fn the_general_path_refuses_pause_on_a_stopped_server_with_novas_message() {
    let verdict = check_general(
        "pause".into(),
        record("stopped"),
        values("stopped"),
        JsValue::UNDEFINED,
    )
    .unwrap();
    assert_eq!(get(&verdict, "allowed"), JsValue::FALSE);
    let denials: Array = get(&verdict, "denials").unchecked_into();
    assert_eq!(
        get(&denials.get(0), "message").as_string().unwrap(),
        "Cannot 'pause' instance <uuid> while it is in vm_state stopped"
    );
    assert_eq!(
        get(&denials.get(0), "reason").as_string().unwrap(),
        "vm-state"
    );
}

#[wasm_bindgen_test]
fn the_numeric_path_decides_and_words_the_same_refusal() {
    // pause is row 2 (method name: via 0); stopped is VmState index 4, as code 4 + 2; no task;
    // the newest release, whose index sits at bit 10 of the facts.
    let pause = 2 << 4;
    let newest = ((nova_states::Release::ALL.len() - 1) as u32) << 10;
    let packed = decide(pause, 6, 1, 0, 0, newest, 104);
    assert_eq!(packed >> 31, 0, "readable");
    let refused = packed & 0xfff;
    assert_ne!(refused, 0);
    let bit = refused & refused.wrapping_neg();
    let denial = denial_template(pause, 6, 1, 0, 0, newest, 104, bit).unwrap();
    assert_eq!(
        get(&denial, "message").as_string().unwrap(),
        "Cannot 'pause' instance \0 while it is in vm_state stopped"
    );
    assert_ne!(codes_digest(), 0);
}

#[wasm_bindgen_test]
fn unknown_names_are_range_errors_with_a_code() {
    let err = parse_name(0, "actve".into()).unwrap_err();
    assert!(err.is_instance_of::<js_sys::RangeError>());
    assert_eq!(code(&err), "ERR_NOVA_UNKNOWN_NAME");
    assert!(get(&err, "message").as_string().unwrap().contains("active"));
}

#[wasm_bindgen_test]
fn wrong_types_are_type_errors_and_the_module_keeps_working() {
    let err = check_general(
        JsValue::from_f64(3.0),
        record("active"),
        values("active"),
        JsValue::UNDEFINED,
    )
    .unwrap_err();
    assert!(err.is_instance_of::<js_sys::TypeError>());
    assert_eq!(code(&err), "ERR_NOVA_INVALID_ARG_TYPE");
    let err = microversion("2.999".into()).unwrap_err();
    assert_eq!(code(&err), "ERR_NOVA_OUT_OF_RANGE");
    // active (0 + 2) with rebooting is REBOOT.
    let rebooting = nova_states::TaskState::Rebooting.index() as u32 + 2;
    assert_eq!(
        nova_states::Status::ALL[status_code(2, rebooting) as usize].as_str(),
        "REBOOT"
    );
}
