//! Releases: names, Nova versions, max microversions, selection, and their errors.

use nova_states::{
    check, Action, Context, DenialKind, ErrorKind, Instance, Microversion, Release, Releases,
    VmState,
};

#[test]
fn every_release_has_its_series_nova_version_and_max_microversion() {
    let facts: Vec<(String, &str, String)> = Release::ALL
        .iter()
        .map(|r| {
            (
                r.to_string(),
                r.nova_version(),
                r.max_microversion().to_wire(),
            )
        })
        .collect();
    let want = [
        ("2023.1", "27.5.1", "2.95"),
        ("2023.2", "28.3.1", "2.95"),
        ("2024.1", "29.4.0", "2.96"),
        ("2024.2", "30.3.0", "2.96"),
        ("2025.1", "31.3.1", "2.100"),
        ("2025.2", "32.2.1", "2.100"),
        ("2026.1", "33.0.2", "2.103"),
        ("2026.2", "34.0.0", "2.104"),
    ];
    assert_eq!(facts.len(), want.len());
    for ((series, nova, max), (ws, wn, wm)) in facts.iter().zip(want) {
        assert_eq!((series.as_str(), *nova, max.as_str()), (ws, wn, wm));
        let release = Release::parse(series).unwrap();
        assert_eq!(release.to_string(), *series);
        assert_eq!(Release::parse(nova).unwrap(), release);
        assert_eq!(
            Release::parse(nova.split('.').next().unwrap()).unwrap(),
            release
        );
    }
    assert_eq!(Release::default(), Release::LATEST);
    assert_eq!(Release::LATEST.nova_version(), "34.0.0");
    assert_eq!(Context::default().release, Release::LATEST);
    assert_eq!(
        Release::LATEST.max_microversion(),
        Microversion::LATEST,
        "the newest release serves the newest microversion the crate knows"
    );
}

#[test]
fn unknown_releases_are_errors_naming_what_was_expected() {
    let err = Release::parse("2024.3").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownName);
    assert_eq!(
        err.to_string(),
        "unknown release \"2024.3\": expected one of 2023.1, 2023.2, 2024.1, 2024.2, 2025.1, \
         2025.2, 2026.1, 2026.2 (did you mean \"2024.1\"?) (or a Nova version from 27 to 34, \
         such as \"34.0.0\")"
    );
    assert!(Release::parse("26.0.0").is_err());
    assert!(Release::parse("34.0").is_err());
    assert!(Release::parse("").is_err());
}

#[test]
fn a_clouds_max_microversion_chooses_the_rules() {
    let by = |m| Release::for_max_microversion(Microversion::v2(m)).unwrap();
    // Releases sharing a max microversion behave the same: the newer one is chosen.
    assert_eq!(by(95), Release::R2023_2);
    assert_eq!(by(96), Release::R2024_2);
    assert_eq!(by(100), Release::R2025_2);
    assert_eq!(by(103), Release::R2026_1);
    assert_eq!(by(104), Release::R2026_2);
    // Between two releases (a development cloud): the oldest release that serves it.
    assert_eq!(by(98), Release::R2025_1);
    // Older than every supported release: the oldest.
    assert_eq!(by(60), Release::R2023_1);
    let same: Vec<Release> = Release::R2025_1.same_max_microversion().collect();
    assert_eq!(same, [Release::R2025_1, Release::R2025_2]);
}

#[test]
fn microversions_above_a_releases_max_are_refused() {
    let err = Release::R2024_1
        .check_microversion(Microversion::v2(97))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutOfRange);
    assert_eq!(
        err.to_string(),
        "microversion \"2.97\" is not served by release 2024.1 (Nova 29.4.0): expected 2.1 to 2.96"
    );
    assert!(Release::R2024_1
        .check_microversion(Microversion::v2(96))
        .is_ok());
    // In a check, Nova answers 406 for a version above its maximum, for a route the release
    // has; a route it does not have is 404 at any microversion (executed: `rest_answers`).
    let stopped = Instance::new(VmState::Stopped);
    let context = Context {
        admin: false,
        microversion: Microversion::v2(97),
        release: Release::R2024_1,
        ..Context::default()
    };
    let verdict = check(Action::AllowShare, None, &stopped, &context);
    assert_eq!(verdict.denials[0].kind, DenialKind::Microversion);
    assert_eq!(verdict.denials[0].http_status, 404);
    let verdict = check(
        Action::Stop,
        None,
        &Instance::new(VmState::Active),
        &context,
    );
    assert_eq!(verdict.denials[0].http_status, 406);
    assert_eq!(
        verdict.denials[0].message,
        "Version 2.97 is not supported by the API. Minimum is 2.1 and maximum is 2.96."
    );
}

#[test]
fn release_ranges_on_rest_entries_decide_what_exists() {
    let active = Instance::new(VmState::Active);
    // get_rdp_console exists until 2023.2; from 2024.1 its handler answers 400.
    let old = Context::for_release(Release::R2023_2);
    assert!(check(Action::GetRdpConsole, None, &active, &old).allowed);
    let new = Context::for_release(Release::R2024_1);
    let verdict = check(Action::GetRdpConsole, None, &active, &new);
    assert!(!verdict.allowed);
    assert_eq!(verdict.denials[0].http_status, 400);
    // The shares routes answer from 2025.1 (2.97).
    let stopped = Instance::new(VmState::Stopped);
    assert!(
        !check(
            Action::AllowShare,
            None,
            &stopped,
            &Context::for_release(Release::R2024_2)
        )
        .allowed
    );
    assert!(
        check(
            Action::AllowShare,
            None,
            &stopped,
            &Context::for_release(Release::R2025_1)
        )
        .allowed
    );
    assert_eq!(Releases::until(Release::R2023_2).describe(), "until 2023.2");
    assert_eq!(Releases::ALL.describe(), "every release");
}

#[test]
fn request_body_options_change_the_answer() {
    use nova_states::{check_with_body, RequestBody};
    // Evacuate without a target host, for a server with no host: 400 before any state check.
    let mut stranded = Instance::new(VmState::Active);
    stranded.has_host = false;
    let admin = Context {
        admin: true,
        ..Context::default()
    };
    let v = check_with_body(
        Action::Evacuate,
        None,
        &stranded,
        &admin,
        &RequestBody::default(),
    );
    assert!(!v.allowed);
    assert_eq!(v.denials[0].http_status, 400);
    assert_eq!(
        v.denials[0].message,
        "The target host can't be the same one."
    );
    let to_host = RequestBody {
        target_host: Some(true),
        ..RequestBody::default()
    };
    assert!(check_with_body(Action::Evacuate, None, &stranded, &admin, &to_host).allowed);
    // Unshelve to a zone or host needs an offloaded server.
    let shelved = Instance::new(VmState::Shelved);
    let to_zone = RequestBody {
        unshelve_destination: true,
        ..RequestBody::default()
    };
    let v = check_with_body(Action::Unshelve, None, &shelved, &admin, &to_zone);
    assert_eq!(v.denials.len(), 1);
    assert_eq!(v.denials[0].http_status, 409);
    assert_eq!(
        v.denials[0].message,
        "Specifying an availability zone or a host when unshelving server \"<uuid>\" with status \
         \"shelved\" is not supported. The server status must be SHELVED_OFFLOADED."
    );
    let offloaded = Instance::new(VmState::ShelvedOffloaded);
    assert!(check_with_body(Action::Unshelve, None, &offloaded, &admin, &to_zone).allowed);
    assert!(
        check_with_body(
            Action::Unshelve,
            None,
            &shelved,
            &admin,
            &RequestBody::default()
        )
        .allowed
    );
}

#[test]
fn a_requests_microversion_is_read_for_its_release() {
    let r = Release::R2024_1;
    assert_eq!(
        r.parse_microversion("latest").unwrap(),
        Microversion::v2(96)
    );
    assert_eq!(r.parse_microversion("2.60").unwrap(), Microversion::v2(60));
    assert_eq!(
        r.parse_microversion("2.100").unwrap_err().to_string(),
        "microversion \"2.100\" is not served by release 2024.1 (Nova 29.4.0): expected 2.1 to 2.96"
    );
    assert_eq!(
        r.parse_microversion("2.x").unwrap_err().kind(),
        ErrorKind::Malformed
    );
}
