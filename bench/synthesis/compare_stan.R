# The Stan half of compare_stan.sh: checks that convicts.stan is recount's model (same log
# density up to a constant, same gradient, at posterior draws and at points far from them), then
# samples it as recount does and prints "seconds min_ess_bulk".
# Usage: Rscript compare_stan.R compile STAN_FILE MODEL_RDS
#        Rscript compare_stan.R MODEL_RDS DATA_JSON SYNTHESIS_BENCH WORK_DIR SEED [check]
# With `check`, the model check runs on this seed's draws before its timing is printed; the
# check fails the run (exit 1) when convicts.stan is not recount's model.
suppressMessages({
  library(rstan)
  library(posterior)
  library(jsonlite)
  library(parallel)
})
args <- commandArgs(trailingOnly = TRUE)
if (args[1] == "compile") {
  # Debian's r-cran-bh ships no headers of its own: it depends on libboost-dev instead.
  saveRDS(stan_model(args[2], boost_lib = "/usr/include"), args[3])
  quit()
}
model_file <- args[1]
data <- fromJSON(args[2])
bench <- args[3]
work <- args[4]
seed <- as.integer(args[5])
check <- length(args) >= 6 && args[6] == "check"
say <- function(...) cat(..., "\n", sep = "", file = stderr())

model <- readRDS(model_file)

# recount's coordinates by name, and the permutation to Stan's: every parameter of convicts.stan
# is unconstrained, so Stan's unconstrained vector is its parameters in declaration order.
recount_log_density <- function(points) {
  file <- file.path(work, "points.txt")
  write.table(points, file, row.names = FALSE, col.names = FALSE)
  fromJSON(system2(bench, paste0("--log-density=", file), stdout = TRUE), simplifyVector = TRUE)
}
names <- recount_log_density(matrix(numeric(0), 0, 0))$names
pick <- function(pattern) which(startsWith(names, pattern))
index <- list(
  x_colonies = pick("colonies_start"), x_pretrial = pick("pretrial"),
  x_release = pick("prison_net_release"),
  x_wag_first = pick("wagner_recruitment.first"), x_wag_step = pick("wagner_recruitment.step"),
  z_wag = pick("wagner_recruitment.z["),
  x_wag_death = pick("wagner_death_hazard"), x_wag_wound = pick("wagner_wound_hazard"),
  x_wag_capture = pick("wagner_capture_hazard"),
  x_mod_first = pick("mod_recruitment.first"), x_mod_step = pick("mod_recruitment.step"),
  z_mod = pick("mod_recruitment.z["),
  x_mod_death = pick("mod_death_hazard"), x_mod_wound = pick("mod_wound_hazard"),
  x_mod_capture = pick("mod_capture_hazard"),
  x_type_bias = pick("bias["), x_type_noise = pick("noise["),
  z_bias = pick("bias_z["), w_noise = pick("noise_z["),
  x_outlier_share = pick("outlier_share"), x_hedge_sd = pick("hedge_sd"),
  x_approximate_sd = pick("approximate_sd"), x_magnitude_sd = pick("magnitude_sd"))
probe <- sampling(model, data = data, chains = 0)
perm <- unconstrain_pars(probe, lapply(index, as.numeric))  # Stan coordinate k is recount's perm[k]
stopifnot(length(perm) == length(names), sort(perm) == seq_along(names))

# Sampling: 4 chains of 1000 warm-up + 1000 draws, adapt_delta and tree depth as recount's fit,
# two chains at a time. Chains are forked (mclapply) rather than rstan's cores = 2, which starts
# fresh R sessions and would charge their start-up to Stan.
settings <- list(adapt_delta = 0.95, max_treedepth = 10)
elapsed <- system.time(fits <- mclapply(1:4, function(chain) {
  sampling(model, data = data, chains = 1, chain_id = chain, iter = 2000, warmup = 1000,
           seed = seed, refresh = 0, control = settings)
}, mc.cores = 2))[["elapsed"]]
fit <- sflist2stanfit(fits)
draws <- as_draws_array(fit)
ess <- summarise_draws(subset_draws(draws, variable = "lp__", exclude = TRUE), ess_bulk)
divergences <- sum(get_divergent_iterations(fit))
if (divergences > 0) say(sprintf("Stan, seed %d: %d divergent transitions", seed, divergences))
if (!check) {
  cat(elapsed, min(ess$ess_bulk), "\n")
  quit()
}

set.seed(1)
# The two log densities at 20 posterior draws and 20 points of the prior's scale: they must differ
# by one constant, and their gradients agree.
stan_points <- rbind(as.matrix(fit)[seq(1, 4000, length.out = 20), seq_along(perm)],
                     matrix(rnorm(20 * length(perm)), 20))
points <- stan_points
points[, perm] <- stan_points
r <- recount_log_density(points)$points
inside <- !is.na(r$log_density)  # a random point may leave the model's support
stopifnot(sum(inside) >= 30)
posterior <- seq_along(inside) <= 20 & inside
stan_points <- stan_points[inside, ]
points <- points[inside, ]
r <- list(log_density = r$log_density[inside], gradient = r$gradient[inside])
stan_lp <- apply(stan_points, 1, function(u) log_prob(probe, u))
stan_grad <- t(apply(stan_points, 1, function(u) grad_log_prob(probe, u)))
recount_grad <- do.call(rbind, r$gradient)[, perm]
offset <- r$log_density - stan_lp
lp_spread <- max(offset) - min(offset)
# Stan's normal_lcdf is -inf below -37.5 sd (recount's has the asymptotic series), so at a far
# random point an interval claim can make Stan's gradient NaN while its log density is finite.
finite <- apply(is.finite(stan_grad), 1, all)
grad_error <- max(abs(recount_grad - stan_grad)[finite, ] / (1 + abs(stan_grad[finite, ])))
say(sprintf(paste("model check: log density recount - Stan = %.6f, spread %.2e over %d points;",
                  "largest gradient difference %.2e (relative) over the %d with finite Stan gradients"),
            mean(offset), lp_spread, nrow(points), grad_error, sum(finite)))
if (!(lp_spread < 1e-6 && grad_error < 1e-6 && all(finite[posterior[inside]]))) {
  say("compare_stan: convicts.stan is not recount's model")
  quit(status = 1)
}
cat(elapsed, min(ess$ess_bulk), "\n")
