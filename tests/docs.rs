//! The disagreements page (docs/nova-docs-disagreements.md) states what the code accepts;
//! this test holds every such cell to the rules table.

use nova_states::Action;

#[test]
fn the_disagreements_page_agrees_with_the_rules_table() {
    let page = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/nova-docs-disagreements.md"
    ))
    .unwrap();
    let mut rows = 0;
    for line in page
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| action") && !l.starts_with("|---"))
    {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (name, code_accepts) = (cells[1], cells[3]);
        let action = Action::parse(name).unwrap_or_else(|e| panic!("row {name}: {e}"));
        let accepted: Vec<&str> = action
            .rule()
            .accepted_vm_states()
            .map(|s| s.as_str())
            .collect();
        assert_eq!(
            code_accepts,
            accepted.join(", "),
            "docs/nova-docs-disagreements.md row {name}"
        );
        rows += 1;
    }
    assert_eq!(rows, 14);
}
