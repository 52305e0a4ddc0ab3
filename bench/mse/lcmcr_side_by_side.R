# R's LCMCR and recount's latent-class sampler side by side, in one run on one machine: for each
# published table of tests/mse/data, the same model and settings on both sides (one chain,
# K* = 10, Gamma(0.25, 0.25) on alpha, 10,000 burn-in sweeps, 4,000 draws kept one in 100:
# 410,000 sweeps), the runs interleaved (R, recount, R, recount, ...) so that the load of the
# machine falls on both alike, several seeds each. Both sides' draws of N go through the same
# estimator, posterior's ess_bulk (rank-normalised split bulk ESS, Vehtari et al. 2021), and each
# side is timed in processor seconds of the estimator alone (R: proc.time() around lcmCR and
# lcmCR_PostSampl; recount: the runner's own clock around the chain, without process start).
# Prints each run, then per table the medians and ranges of bulk ESS of N per second and the
# ratio of the medians (recount / R). No figure is typed in.
#
#   Rscript bench/mse/lcmcr_side_by_side.R [--seeds N] [--tables a,b] [--long] [--reallocation K]
#
# Default 3 seeds (about 3-4 processor-minutes in all on the reference machine); --long, 10
# seeds. --reallocation K runs recount's collapsed reallocation every K sweeps (0: never, the
# sampler before it) instead of at its default. RECOUNT_BENCH_BIN is the folder of mse_runner
# (default build/release/bench-scripts).

suppressPackageStartupMessages({
  library(LCMCR)
  library(posterior)
})

args <- commandArgs(trailingOnly = TRUE)
option <- function(name, default) {
  i <- match(name, args)
  if (is.na(i)) default else args[i + 1]
}
seeds <- as.integer(option("--seeds", if ("--long" %in% args) "10" else "3"))
reallocation <- option("--reallocation", NULL)
tables <- strsplit(option("--tables", "kosovo,hiv,lesbian,artificial_3"), ",")[[1]]
root <- normalizePath(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(),
                                                                   value = TRUE))), "..", ".."))
bin <- Sys.getenv("RECOUNT_BENCH_BIN", file.path(root, "build", "release", "bench-scripts"))
runner <- file.path(bin, "mse_runner")
if (!file.exists(runner)) stop("no ", runner, ": build the target mse_runner first")

burnin <- 10000
samples <- 4000
thin <- 100

run_r <- function(path, seed) {
  counts <- read.csv(path)
  m <- as.matrix(counts)
  start <- proc.time()
  sampler <- lcmCR(m, tabular = TRUE, in_list_label = "1", not_in_list_label = "0", K = 10,
                   a_alpha = 0.25, b_alpha = 0.25, seed = seed,
                   thinning = thin, verbose = FALSE)
  n <- lcmCR_PostSampl(sampler, burnin = burnin, samples = samples, thinning = thin,
                       output = FALSE)
  used <- proc.time() - start
  list(seconds = unname(used["user.self"] + used["sys.self"]), draws = as.numeric(n))
}

run_recount <- function(path, seed) {
  out <- system2(runner, c("lcmcr", path, seed, burnin, samples, thin, reallocation),
                 stdout = TRUE)
  list(seconds = as.numeric(sub("^seconds ", "", out[1])), draws = as.numeric(out[-1]))
}

cat(sprintf("one chain, K* = 10, %d burn-in + %d x %d sweeps; %d seeds a side, interleaved%s\n",
            burnin, samples, thin, seeds,
            if (is.null(reallocation)) "" else paste0("; recount's reallocation every ",
                                                      reallocation, " sweeps")))
cat(sprintf("%-13s %-8s %5s %9s %8s %10s %8s\n", "table", "side", "seed", "seconds", "ess_bulk",
            "ess_per_s", "median"))
rows <- list()
for (seed in seq_len(seeds)) {
  for (t in tables) {
    path <- file.path(root, "tests", "mse", "data", paste0(t, ".csv"))
    for (side in c("R LCMCR", "recount")) {
      r <- if (side == "R LCMCR") run_r(path, seed) else run_recount(path, seed)
      ess <- ess_bulk(r$draws)
      rows[[length(rows) + 1]] <- data.frame(table = t, side = side, seed = seed,
                                             seconds = r$seconds, ess = ess,
                                             rate = ess / r$seconds, median = median(r$draws))
      cat(sprintf("%-13s %-8s %5d %9.2f %8.0f %10.1f %8.0f\n", t, side, seed, r$seconds, ess,
                  ess / r$seconds, median(r$draws)))
    }
  }
}
all <- do.call(rbind, rows)
cat("\nbulk ESS of N per processor-second: median [range] over seeds\n")
cat(sprintf("%-13s %24s %24s %8s\n", "table", "R LCMCR", "recount", "ratio"))
worst <- Inf
for (t in tables) {
  r <- all$rate[all$table == t & all$side == "R LCMCR"]
  o <- all$rate[all$table == t & all$side == "recount"]
  ratio <- median(o) / median(r)
  worst <- min(worst, ratio)
  cat(sprintf("%-13s %8.1f [%6.1f-%6.1f] %8.1f [%6.1f-%6.1f] %7.2fx\n", t, median(r), min(r),
              max(r), median(o), min(o), max(o), ratio))
}
cat(sprintf("worst table: %.2fx (target 3x)\n", worst))
