// The flagship model of examples/convicts/model.toml written in Stan, for the speed comparison
// (bench/synthesis/compare_stan.sh). Same coordinates as recount: prior-standardised,
// non-centred, with the same likelihoods; the data (claims mapped to quantities) are exported by
// `synthesis_bench --stan-data=FILE`. compare_stan.R checks that its log density and gradient are
// recount's. Written for Stan 2.21 (Debian's rstan): old array syntax, no %/%.
functions {
  real interval_lp(real lo, real hi, real mu, real sd_) {
    // log P(lo < Y < hi), Y ~ normal(mu, sd); lo = -1e300 / hi = 1e300 for one-sided bounds.
    // An interval above the mean is reflected below it, as recount does: Stan's normal_lcdf is
    // exactly 0 and normal_lccdf -inf beyond 8.25 sd, which would make the gradient NaN there.
    real l = lo;
    real h = hi;
    if (lo > mu) {
      l = 2 * mu - hi;
      h = 2 * mu - lo;
    }
    if (l < -1e299) return normal_lcdf(h | mu, sd_);
    if (h > 1e299) return normal_lccdf(l | mu, sd_);
    return log_diff_exp(normal_lcdf(h | mu, sd_), normal_lcdf(l | mu, sd_));
  }
  real claim_lp(int bound, real lo, real hi, real mu, real sd_) {
    if (bound == 1) return normal_lpdf(lo | mu, sd_);
    if (bound == 2) return interval_lp(lo, hi, mu, sd_);
    if (bound == 3) return interval_lp(lo, 1e300, mu, sd_);
    return interval_lp(-1e300, hi, mu, sd_);
  }
  vector walk(real log_first, real step, vector z, int W, int wa, int wb, int kw) {
    int K = num_elements(z) + 1;
    vector[K] level;
    vector[W] out = rep_vector(0, W);
    level[1] = log_first;
    for (j in 2:K) level[j] = level[j - 1] + step * sqrt(kw) * z[j - 1];
    for (t in (wa + 1):wb) {
      int j = (t - 1 - wa) / kw + 1;  // integer division (stanc 2.21 has no %/%)
      real frac = ((t - 1 - wa) % kw) * 1.0 / kw;
      out[t] = exp(level[j] * (1 - frac) + (frac > 0 ? level[j + 1] * frac : 0));
    }
    return out;
  }
  real beta_x(real x, real a, real b) { return inv_logit(x + log(a / b)); }
}
data {
  int<lower=1> W;
  int wag_a; int wag_b; int wag_K; int wag_kw;
  int mod_a; int mod_b; int mod_K; int mod_kw;
  int mod_until;  // cohorts entering at week index >= mod_until (0-based) never return
  int delay;
  int<lower=0> C;
  int quantity[C];  // 1-based row of qw
  int week[C];      // 0-based
  int bound[C];
  vector[C] lo;
  vector[C] hi;
  vector[C] rate_scale;
  vector[C] roundness_sd;
  int hedges[C];
  int approximate[C];
  int magnitude[C];
  vector[C] outlier_log_mass;  // log P(claim | outlier): uniform on log(value + 1), truth aside
  int source[C];
  int<lower=1> NQ;
  matrix[NQ, 14] qw;      // series: colonies, pretrial, wagner_front, mod_front, then 10 flows
  int is_stock[NQ];
  int NS;
  int NT;
  int source_type[NS];
  vector[NT] type_bias_sd;
}
parameters {
  real x_colonies; real x_pretrial; real x_release;
  real x_wag_first; real x_wag_step; vector[wag_K - 1] z_wag;
  real x_wag_death; real x_wag_wound; real x_wag_capture;
  real x_mod_first; real x_mod_step; vector[mod_K - 1] z_mod;
  real x_mod_death; real x_mod_wound; real x_mod_capture;
  vector[NT] x_type_bias; vector[NT] x_type_noise;
  vector[NS] z_bias; vector[NS] w_noise;
  real x_outlier_share; real x_hedge_sd; real x_approximate_sd; real x_magnitude_sd;
}
model {
  real colonies0 = exp(12.77 + 0.3 * x_colonies);
  real pretrial = exp(11.5 + 0.5 * x_pretrial);
  real release = 300 + 300 * x_release;
  real wag_step = 0.07 * exp(x_wag_step);
  real mod_step = 0.07 * exp(x_mod_step);
  vector[W] wag_rate = walk(7 + 1.2 * x_wag_first, wag_step, z_wag, W, wag_a, wag_b, wag_kw);
  vector[W] mod_rate = walk(7 + 1.2 * x_mod_first, mod_step, z_mod, W, mod_a, mod_b, mod_kw);
  // Real literals: stanc 2.21 passes int arguments of user functions on as C++ ints, so 2 / 60
  // inside beta_x would be integer division (0).
  real hw[3] = {beta_x(x_wag_death, 1.5, 60.0), beta_x(x_wag_wound, 2.0, 60.0),
                beta_x(x_wag_capture, 1.0, 400.0)};
  real hm[3] = {beta_x(x_mod_death, 1.5, 60.0), beta_x(x_mod_wound, 2.0, 60.0),
                beta_x(x_mod_capture, 1.0, 400.0)};
  real HW = sum(hw);
  real HM = sum(hm);
  matrix[W + 1, 4] stock = rep_matrix(0, W + 1, 4);
  matrix[W, 10] flow = rep_matrix(0, W, 10);
  // priors on the standardised coordinates, with the Jacobians of the positive and beta transforms
  x_colonies ~ std_normal(); x_pretrial ~ std_normal(); x_release ~ std_normal();
  x_wag_first ~ std_normal(); x_mod_first ~ std_normal();
  target += x_wag_step - 0.5 * square(exp(x_wag_step)) + x_mod_step - 0.5 * square(exp(x_mod_step));
  z_wag ~ std_normal(); z_mod ~ std_normal();
  {
    real xs[6] = {x_wag_death, x_wag_wound, x_wag_capture, x_mod_death, x_mod_wound, x_mod_capture};
    real as[6] = {1.5, 2.0, 1.0, 1.5, 2.0, 1.0};
    real bs[6] = {60.0, 60.0, 400.0, 60.0, 60.0, 400.0};
    for (k in 1:6) {
      real y = xs[k] + log(as[k] / bs[k]);
      target += as[k] * log_inv_logit(y) + bs[k] * log_inv_logit(-y);
    }
  }
  x_type_bias ~ std_normal(); x_type_noise ~ std_normal(); z_bias ~ std_normal(); w_noise ~ std_normal();
  // The evidence model's parameters, as in model.hpp: outlier share beta(1, 19) on the logit
  // scale; the widths lognormal(log 0.1, 0.5), lognormal(log 0.05, 0.5), lognormal(log 0.3, 0.5).
  target += 1.0 * log_inv_logit(x_outlier_share + log(1.0 / 19.0)) +
            19.0 * log_inv_logit(-(x_outlier_share + log(1.0 / 19.0)));
  x_hedge_sd ~ std_normal(); x_approximate_sd ~ std_normal(); x_magnitude_sd ~ std_normal();
  stock[1, 1] = colonies0;
  stock[1, 2] = pretrial;
  {
    real cumw = 0;
    real cumm = 0;
    vector[W + 1] CW;
    vector[W + 1] CM;
    CW[1] = 0; CM[1] = 0;
    for (t in 1:W) {
      real dw = 0;
      real dm = 0;
      int u = t - 1 - delay - 1;  // 0-based cohort week
      // The colonies' rate outflows share one cap, as in recount (docs/model.md).
      real R = fmax(wag_rate[t], 0) + fmax(mod_rate[t], 0) + fmax(release, 0);
      if (u >= 0) {
        dw = flow[u + 1, 1] * exp(CW[u + 2] - CW[t]);
        if (u < mod_until) dm = flow[u + 1, 6] * exp(CM[u + 2] - CM[t]);
      }
      flow[t, 5] = dw;
      flow[t, 10] = dm;
      {
        real lw = -(stock[t, 3] - dw) * expm1(-HW) / HW;
        real lm = -(stock[t, 4] - dm) * expm1(-HM) / HM;
        for (k in 1:3) { flow[t, 1 + k] = lw * hw[k]; flow[t, 6 + k] = lm * hm[k]; }
      }
      CW[t + 1] = CW[t] + HW;
      CM[t + 1] = CM[t] + HM;
      flow[t, 1] = wag_rate[t] > 0 && stock[t, 1] > 0 ? -wag_rate[t] * expm1(-stock[t, 1] / R) : 0;
      flow[t, 6] = mod_rate[t] > 0 && stock[t, 1] > 0 ? -mod_rate[t] * expm1(-stock[t, 1] / R) : 0;
      {
        real other = release > 0 && stock[t, 1] > 0 ? -release * expm1(-stock[t, 1] / R) : (release > 0 ? 0 : release);
        stock[t + 1, 1] = stock[t, 1] - flow[t, 1] - flow[t, 6] - other;
      }
      stock[t + 1, 2] = stock[t, 2];
      stock[t + 1, 3] = stock[t, 3] - dw - flow[t, 2] - flow[t, 3] - flow[t, 4] + flow[t, 1];
      stock[t + 1, 4] = stock[t, 4] - dm - flow[t, 7] - flow[t, 8] - flow[t, 9] + flow[t, 6];
    }
  }
  {
    vector[NT] type_bias = type_bias_sd .* x_type_bias;
    vector[NT] type_noise = exp(-1.6 + 0.5 * x_type_noise);
    real log_outlier = log_inv_logit(x_outlier_share + log(1.0 / 19.0));
    real log_regular = log_inv_logit(-(x_outlier_share + log(1.0 / 19.0)));
    real hedge_sd = exp(log(0.1) + 0.5 * x_hedge_sd);
    real approximate_sd = exp(log(0.05) + 0.5 * x_approximate_sd);
    real magnitude_sd = exp(log(0.3) + 0.5 * x_magnitude_sd);
    for (i in 1:C) {
      int q = quantity[i];
      int w = week[i] + 1;
      real value = 0;
      for (k in 1:4) if (qw[q, k] != 0) value += qw[q, k] * stock[w + 1, k];
      for (k in 1:10) {
        if (qw[q, 4 + k] != 0) {
          if (rate_scale[i] > 0) value += qw[q, 4 + k] * flow[w, k] * rate_scale[i];
          else value += qw[q, 4 + k] * sum(flow[1:w, k]);
        }
      }
      {
        int s = source[i];
        real lq = log1p(value);
        real mu = lq + type_bias[source_type[s]] + 0.15 * z_bias[s];
        real sd_ = sqrt(square(type_noise[source_type[s]] * exp(0.3 * w_noise[s])) +
                        square(roundness_sd[i]) + hedges[i] * square(hedge_sd) +
                        approximate[i] * square(approximate_sd) + magnitude[i] * square(magnitude_sd));
        target += log_sum_exp(log_regular + claim_lp(bound[i], lo[i], hi[i], mu, sd_),
                              log_outlier + outlier_log_mass[i]);
      }
    }
  }
}
