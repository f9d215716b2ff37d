//! Benchmark (run by `bench/run.sh`): renders inputs known to make Markdown parsers
//! super-linear, each at the 256 KB limit, and prints how long each takes.

fn main() {
    for (name, input) in app::knowledge::rules::render::adversarial_inputs() {
        let started = std::time::Instant::now();
        let rendered = app::knowledge::rules::render::render_markdown(&input);
        println!(
            "{name:32} {:>7} bytes in, {:>8} bytes out, {:>8.1} ms",
            input.len(),
            rendered.html.len(),
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
}
