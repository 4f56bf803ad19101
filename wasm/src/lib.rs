//! placeholder until the binding layer lands
