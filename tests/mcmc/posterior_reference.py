# Independent port of posterior's (R) convergence diagnostics with direct autocovariances,
# used to cross-check recount's FFT implementation on a small deterministic data set.
import math
from statistics import NormalDist

def data():
    chains = []
    for c in range(3):
        x, out = 0.0, []
        for t in range(25):
            x = 0.6 * x + math.sin(1.7 * t + 0.3 * c) + (0.5 if c == 2 else 0.0) * math.cos(t)
            out.append(x)
        chains.append(out)
    return chains

def split(ch):
    n = len(ch[0]); h = n // 2
    out = []
    for c in ch:
        out.append(c[:h]); out.append(c[n - h:])
    return out

def mean(x): return sum(x) / len(x)
def var(x):
    m = mean(x); return sum((v - m) ** 2 for v in x) / (len(x) - 1)

def quantile7(x, p):
    s = sorted(x); h = (len(s) - 1) * p; lo = math.floor(h)
    if lo + 1 >= len(s): return s[lo]
    return s[lo] + (h - lo) * (s[lo + 1] - s[lo])

def z_scale(ch):
    flat = [(v, i, j) for i, c in enumerate(ch) for j, v in enumerate(c)]
    S = len(flat)
    vals = sorted(v for v, _, _ in flat)
    out = [list(c) for c in ch]
    for v, i, j in flat:
        lo = vals.index(v); hi = len(vals) - 1 - vals[::-1].index(v)
        r = (lo + 1 + hi + 1) / 2
        out[i][j] = NormalDist().inv_cdf((r - 3 / 8) / (S - 2 * 3 / 8 + 1))
    return out

def rhat_basic(ch):
    n = len(ch[0])
    means = [mean(c) for c in ch]
    B = n * var(means); W = mean([var(c) for c in ch])
    return math.sqrt((B / W + n - 1) / n)

def acov(x):
    n = len(x); m = mean(x)
    return [sum((x[i] - m) * (x[i + t] - m) for i in range(n - t)) / n for t in range(n)]

def ess(ch):
    m = len(ch); n = len(ch[0])
    ac = [acov(c) for c in ch]
    acm = [mean([a[t] for a in ac]) for t in range(n)]
    mean_var = acm[0] * n / (n - 1)
    var_plus = mean_var * (n - 1) / n
    if m > 1: var_plus += var([mean(c) for c in ch])
    rho = [0.0] * n
    t = 0
    re = 1.0; ro = 1 - (mean_var - acm[1]) / var_plus
    rho[0] = re; rho[1] = ro
    while t < n - 5 and not math.isnan(re + ro) and re + ro > 0:
        t += 2
        re = 1 - (mean_var - acm[t]) / var_plus
        ro = 1 - (mean_var - acm[t + 1]) / var_plus
        if re + ro >= 0:
            rho[t] = re; rho[t + 1] = ro
    max_t = t
    if re > 0: rho[max_t] = re
    t = 0
    while t <= max_t - 4:
        t += 2
        if rho[t] + rho[t + 1] > rho[t - 2] + rho[t - 1]:
            rho[t] = (rho[t - 2] + rho[t - 1]) / 2; rho[t + 1] = rho[t]
    S = m * n
    tau = -1 + 2 * sum(rho[:max_t] if max_t > 0 else rho[:1]) + rho[max_t]
    tau = max(tau, 1 / math.log10(S))
    return S / tau

def fold(ch):
    med = quantile7([v for c in ch for v in c], 0.5)
    return [[abs(v - med) for v in c] for c in ch]

def ess_q(ch, p):
    q = quantile7([v for c in ch for v in c], p)
    return ess(split([[1.0 if v <= q else 0.0 for v in c] for c in ch]))

ch = data()
rhat = max(rhat_basic(z_scale(split(ch))), rhat_basic(z_scale(split(fold(ch)))))
print("rhat %.15g" % rhat)
print("ess_bulk %.15g" % ess(z_scale(split(ch))))
print("ess_tail %.15g" % min(ess_q(ch, 0.05), ess_q(ch, 0.95)))
print("ess_basic %.15g" % ess(split(ch)))
flat = [v for c in ch for v in c]
print("mcse %.15g" % (math.sqrt(var(flat)) / math.sqrt(ess(split(ch)))))
