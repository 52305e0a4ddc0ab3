# Rcapture's closedpMS.t and recount's exhaustive log-linear search side by side, in one run on one
# machine, on the same tables: the published four-list tables of tests/mse/data and a five-list
# table simulated from a latent-class model fitted to kosovo (bench/mse/bayes/lcmcr_mixing
# --write), given to both. Both fit every hierarchical model up to order lists - 1 (Rcapture:
# maxorder = lists - 1, stopiflong = FALSE; recount: its default search, with the identifiability
# checks and the intervals of the reported models). Each side is timed in processor seconds of
# the search alone, repeats interleaved (R, recount, R, recount, ...); prints each run, then per
# table the medians and ranges and the ratio of the medians (R / recount). No figure is typed in.
#
#   Rscript bench/mse/loglinear_side_by_side.R [--repeats N] [--tables a,b]
#
# Default 3 repeats (about 5 processor-minutes on the reference machine, nearly all of it
# Rcapture's five-list search). RECOUNT_BENCH_BIN is the folder of mse_runner and lcmcr_mixing
# (default build/release/bench-scripts).

suppressPackageStartupMessages(library(Rcapture))

args <- commandArgs(trailingOnly = TRUE)
option <- function(name, default) {
  i <- match(name, args)
  if (is.na(i)) default else args[i + 1]
}
repeats <- as.integer(option("--repeats", "3"))
tables <- strsplit(option("--tables", "kosovo,hiv,lesbian,sim5_kosovo"), ",")[[1]]
root <- normalizePath(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(),
                                                                   value = TRUE))), "..", ".."))
bin <- Sys.getenv("RECOUNT_BENCH_BIN", file.path(root, "build", "release", "bench-scripts"))
runner <- file.path(bin, "mse_runner")
if (!file.exists(runner)) stop("no ", runner, ": build the targets mse_runner and lcmcr_mixing")
simulated <- tempfile("tables")
dir.create(simulated)
status <- system2(file.path(bin, "lcmcr_mixing"), c("--write", simulated))
if (status != 0) stop("lcmcr_mixing --write failed")
table_path <- function(t) {
  published <- file.path(root, "tests", "mse", "data", paste0(t, ".csv"))
  if (file.exists(published)) published else file.path(simulated, paste0(t, ".csv"))
}

run_r <- function(path) {
  counts <- as.matrix(read.csv(path))
  lists <- ncol(counts) - 1
  start <- proc.time()
  fit <- closedpMS.t(counts, dfreq = TRUE, maxorder = lists - 1, stopiflong = FALSE)
  used <- proc.time() - start
  best <- which.min(fit$results[, "BIC"])
  list(seconds = unname(used["user.self"] + used["sys.self"]), models = nrow(fit$results),
       model = rownames(fit$results)[best], estimate = fit$results[best, "abundance"])
}

run_recount <- function(path) {
  out <- system2(runner, c("loglinear", path), stdout = TRUE)
  field <- function(name) sub(paste0("^", name, " "), "", grep(paste0("^", name, " "), out,
                                                                 value = TRUE))
  list(seconds = as.numeric(field("seconds")), models = as.integer(field("models")),
       model = field("model"), estimate = as.numeric(field("estimate")))
}

cat(sprintf("%-12s %-9s %3s %9s %7s %-22s %12s\n", "table", "side", "run", "seconds", "models",
            "minimum BIC", "estimate"))
rows <- list()
for (k in seq_len(repeats)) {
  for (t in tables) {
    for (side in c("Rcapture", "recount")) {
      r <- if (side == "Rcapture") run_r(table_path(t)) else run_recount(table_path(t))
      rows[[length(rows) + 1]] <- data.frame(table = t, side = side, seconds = r$seconds)
      cat(sprintf("%-12s %-9s %3d %9.3f %7d %-22s %12.2f\n", t, side, k, r$seconds, r$models,
                  r$model, r$estimate))
    }
  }
}
all <- do.call(rbind, rows)
cat("\nprocessor-seconds of the search: median [range]\n")
cat(sprintf("%-12s %26s %26s %9s\n", "table", "Rcapture", "recount", "ratio"))
worst <- Inf
for (t in tables) {
  r <- all$seconds[all$table == t & all$side == "Rcapture"]
  o <- all$seconds[all$table == t & all$side == "recount"]
  ratio <- median(r) / median(o)
  worst <- min(worst, ratio)
  cat(sprintf("%-12s %8.3f [%7.3f-%7.3f] %8.4f [%7.4f-%7.4f] %8.1fx\n", t, median(r), min(r),
              max(r), median(o), min(o), max(o), ratio))
}
cat(sprintf("worst table: %.1fx (target 50x)\n", worst))
