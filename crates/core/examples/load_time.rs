//! How long loading a plan file and one inspector field edit take on generated plans of 100 and 1,000 networks
//! (docs/benchmarks.md): `cargo run --profile bench -p vpn-designer-core --example load_time`.

fn main() {
    for n in [100, 1000] {
        let text = vpn_designer_core::review::generate::plan(n, 1).to_json();
        let mut times = Vec::new();
        for _ in 0..7 {
            let t = std::time::Instant::now();
            let plan = vpn_designer_core::load_plan(&text).unwrap();
            times.push(t.elapsed());
            std::hint::black_box(plan);
        }
        times.sort();
        println!(
            "{n} networks, {} MB: load median {:?}",
            text.len() / 1_000_000,
            times[3]
        );
        let plan = vpn_designer_core::load_plan(&text).unwrap();
        let id = plan.design.azure.vnets[0].id.to_string();
        let change = vpn_designer_core::review::Change::new(&id, "name", "renamed");
        let mut times = Vec::new();
        for _ in 0..7 {
            let t = std::time::Instant::now();
            let out = vpn_designer_core::edit::fields::apply_changes(
                &plan,
                std::slice::from_ref(&change),
            );
            times.push(t.elapsed());
            assert!(out.is_ok());
        }
        times.sort();
        println!("   field edit median {:?}", times[3]);
    }
}
