//! Sparklines: one character per day, eight heights, a space for a day without data.

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// One bar per value, scaled so `min` is the lowest bar and `max` the highest.
pub fn sparkline(values: &[Option<f64>], min: f64, max: f64) -> String {
    values
        .iter()
        .map(|v| match v {
            Some(v) if max > min => {
                let t = ((v - min) / (max - min)).clamp(0.0, 1.0);
                BARS[(t * 7.0).round() as usize]
            }
            Some(_) => BARS[0],
            None => ' ',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_runs_from_min_to_max_and_gaps_stay_blank() {
        let line = sparkline(
            &[Some(1.0), None, Some(3.0), Some(5.0), Some(9.0)],
            1.0,
            5.0,
        );
        assert_eq!(line, "▁ ▅██");
    }
}
