//! `check --write-baseline FILE` and `check --baseline FILE`.

use super::CheckArgs;
use crate::baseline::Baseline;
use crate::engine::FileReport;

/// Writes the baseline, or drops the findings it knows; a note goes to stderr unless `--quiet`.
pub fn apply(args: &CheckArgs, reports: &mut [FileReport]) -> Result<(), String> {
    if let Some(path) = &args.write_baseline {
        let baseline = Baseline::record(reports);
        baseline.save(path)?;
        let recorded = baseline.filter(reports);
        if !args.quiet {
            eprintln!("recorded {recorded} {} in {}", findings(recorded), path.display());
        }
    } else if let Some(path) = &args.baseline {
        let known = Baseline::load(path)?.filter(reports);
        if !args.quiet && known > 0 {
            eprintln!("{known} known {} in {} not shown", findings(known), path.display());
        }
    }
    Ok(())
}

fn findings(n: usize) -> &'static str {
    if n == 1 {
        "finding"
    } else {
        "findings"
    }
}
