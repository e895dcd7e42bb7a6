# golden.R - regenerate tests/reference/golden.csv, the reference values
# tests/stats/test_golden.c compares tlfgen's statistics with, and the
# public data sets they are computed on (tests/reference/datasets/).
#
# Run from the repository root with Debian's R (packages r-base-core and
# r-cran-survival; the test suite itself never needs R):
#     Rscript tests/reference/golden.R
# The file records the R and survival versions it was made with in
# tests/reference/README.md; values are written as %.15g.
#
# lung, aml, veteran and ovarian ship with the survival package and are
# written out here; paired.csv is the project's own small data set (25
# subjects, a value at baseline and week 52) and is only read.
suppressPackageStartupMessages(library(survival))

out_dir <- "tests/reference"
ds_dir <- file.path(out_dir, "datasets")
if (!file.exists(file.path(ds_dir, "paired.csv")))
    stop("run from the repository root: ", file.path(ds_dir, "paired.csv"), " not found")

# --- the data sets, as the C test reads them ---
lung_ds <- survival::lung
lung_ds$status <- lung_ds$status - 1                 # 1/2 -> 0 = censored, 1 = dead
aml_ds <- as.data.frame(survival::aml)
aml_ds$x <- as.character(aml_ds$x)
vet_ds <- as.data.frame(survival::veteran)
vet_ds$celltype <- as.character(vet_ds$celltype)
ova_ds <- as.data.frame(survival::ovarian)
write_ds <- function(d, name)
    write.csv(d, file.path(ds_dir, paste0(name, ".csv")), row.names = FALSE, na = "")
write_ds(lung_ds, "lung")
write_ds(aml_ds, "aml")
write_ds(vet_ds, "veteran")
write_ds(ova_ds, "ovarian")
# read back, so the values below come from exactly the files the test reads
rd <- function(name) read.csv(file.path(ds_dir, paste0(name, ".csv")), stringsAsFactors = FALSE)
lung <- rd("lung"); aml <- rd("aml"); veteran <- rd("veteran"); ovarian <- rd("ovarian")
paired <- rd("paired")

# --- accumulating rows ---
rows <- list()
add <- function(dataset, analysis, group, stat, param, value) {
    rows[[length(rows) + 1]] <<- data.frame(dataset = dataset, analysis = analysis,
        group = as.character(group), stat = stat, param = param,
        value = sprintf("%.15g", as.numeric(value)), stringsAsFactors = FALSE)
}

# --- Kaplan-Meier: counts, survival and Greenwood SE at every distinct
#     time; CIs of each transform at event times; quartiles; landmarks ---
km_one <- function(dataset, group, d, time, status, landmarks) {
    f <- as.formula(sprintf("Surv(%s, %s) ~ 1", time, status))
    fit <- survfit(f, data = d)
    add(dataset, "km", group, "n", "", fit$n)
    add(dataset, "km", group, "n_event", "", sum(fit$n.event))
    for (i in seq_along(fit$time)) {
        p <- sprintf("t=%.15g", fit$time[i])
        add(dataset, "km", group, "n_risk", p, fit$n.risk[i])
        add(dataset, "km", group, "n_event", p, fit$n.event[i])
        add(dataset, "km", group, "n_censor", p, fit$n.censor[i])
        add(dataset, "km", group, "surv", p, fit$surv[i])
        add(dataset, "km", group, "se_surv", p, fit$std.err[i] * fit$surv[i])
    }
    for (ct in c("log", "log-log", "plain")) {
        an <- paste0("km_", gsub("-", "", ct))
        fc <- survfit(f, data = d, conf.type = ct)
        for (i in which(fc$n.event > 0)) {
            p <- sprintf("t=%.15g", fc$time[i])
            add(dataset, an, group, "lcl", p, fc$lower[i])
            add(dataset, an, group, "ucl", p, fc$upper[i])
        }
        q <- quantile(fc, probs = c(0.25, 0.5, 0.75), conf.int = TRUE)
        for (k in 1:3) {
            nm <- c("q25", "median", "q75")[k]
            add(dataset, an, group, nm, "", q$quantile[k])
            add(dataset, an, group, paste0(nm, "_lcl"), "", q$lower[k])
            add(dataset, an, group, paste0(nm, "_ucl"), "", q$upper[k])
        }
        s <- summary(fc, times = landmarks, extend = TRUE)
        for (k in seq_along(landmarks)) {
            p <- sprintf("t=%.15g", landmarks[k])
            add(dataset, an, group, "surv_at", p, s$surv[k])
            add(dataset, an, group, "se_at", p, s$std.err[k])
            add(dataset, an, group, "lcl_at", p, s$lower[k])
            add(dataset, an, group, "ucl_at", p, s$upper[k])
            add(dataset, an, group, "n_risk_at", p, s$n.risk[k])
        }
    }
}
km_groups <- function(dataset, d, time, status, by, landmarks, all = FALSE) {
    if (all)
        km_one(dataset, "all", d, time, status, landmarks)
    for (g in sort(unique(d[[by]])))
        km_one(dataset, g, d[d[[by]] == g, ], time, status, landmarks)
}
km_groups("lung", lung, "time", "status", "sex", c(180, 365, 730), all = TRUE)
km_groups("aml", aml, "time", "status", "x", c(12, 52))
km_groups("veteran", veteran, "time", "status", "trt", c(30, 90, 365))
km_groups("ovarian", ovarian, "futime", "fustat", "rx", c(365, 730))

# --- log-rank (survdiff), optionally stratified ---
logrank <- function(dataset, analysis, d, formula) {
    sd <- survdiff(formula, data = d)
    obs <- if (is.matrix(sd$obs)) rowSums(sd$obs) else sd$obs
    ex <- if (is.matrix(sd$exp)) rowSums(sd$exp) else sd$exp
    df <- length(obs) - 1
    add(dataset, analysis, "test", "chisq", "", sd$chisq)
    add(dataset, analysis, "test", "df", "", df)
    add(dataset, analysis, "test", "p", "", pchisq(sd$chisq, df, lower.tail = FALSE))
    for (k in seq_along(obs)) {
        add(dataset, analysis, names(sd$n)[k], "observed", "", obs[k])
        add(dataset, analysis, names(sd$n)[k], "expected", "", ex[k])
    }
}
logrank("aml", "logrank_x", aml, Surv(time, status) ~ x)
logrank("lung", "logrank_sex", lung, Surv(time, status) ~ sex)
logrank("lung", "logrank_sex_strat_ecog", lung, Surv(time, status) ~ sex + strata(ph.ecog))
logrank("veteran", "logrank_trt", veteran, Surv(time, status) ~ trt)
logrank("veteran", "logrank_trt_strat_celltype", veteran, Surv(time, status) ~ trt + strata(celltype))
logrank("ovarian", "logrank_rx", ovarian, Surv(futime, fustat) ~ rx)

# --- Cox models, Efron and Breslow ties ---
cox <- function(dataset, analysis, d, formula) {
    for (ties in c("efron", "breslow")) {
        an <- paste0(analysis, "_", ties)
        fit <- coxph(formula, data = d, ties = ties)
        b <- coef(fit)
        se <- sqrt(diag(vcov(fit)))
        z <- qnorm(0.975)
        for (k in seq_along(b)) {
            v <- names(b)[k]
            add(dataset, an, v, "coef", "", b[k])
            add(dataset, an, v, "se", "", se[k])
            add(dataset, an, v, "hr", "", exp(b[k]))
            add(dataset, an, v, "hr_lcl", "", exp(b[k] - z * se[k]))
            add(dataset, an, v, "hr_ucl", "", exp(b[k] + z * se[k]))
            # as summary.coxph: chi-square on (coef/se)^2
            add(dataset, an, v, "p_wald", "", pchisq((b[k] / se[k])^2, 1, lower.tail = FALSE))
        }
        add(dataset, an, "model", "lr_chisq", "", 2 * (fit$loglik[2] - fit$loglik[1]))
        add(dataset, an, "model", "wald_chisq", "", fit$wald.test)
        add(dataset, an, "model", "score_chisq", "", fit$score)
        add(dataset, an, "model", "loglik", "", fit$loglik[2])
        add(dataset, an, "model", "n", "", fit$n)
        add(dataset, an, "model", "n_event", "", fit$nevent)
    }
}
aml$grp <- as.numeric(aml$x == "Maintained")
cox("aml", "cox_maintained", aml, Surv(time, status) ~ grp)
cox("lung", "cox_sex", lung, Surv(time, status) ~ sex)
cox("lung", "cox_multi", lung, Surv(time, status) ~ sex + age + ph.ecog)
cox("veteran", "cox_multi", veteran, Surv(time, status) ~ trt + karno + age)
cox("ovarian", "cox_multi", ovarian, Surv(futime, fustat) ~ rx + age)

# --- logistic regression and inverse-probability (ATE) weighted KM ---
veteran$t01 <- veteran$trt - 1
lg <- glm(t01 ~ karno + age + prior, family = binomial, data = veteran)
cf <- summary(lg)$coefficients
for (k in seq_len(nrow(cf))) {
    add("veteran", "logit_trt", rownames(cf)[k], "coef", "", cf[k, 1])
    add("veteran", "logit_trt", rownames(cf)[k], "se", "", cf[k, 2])
}
ps <- fitted(lg)
veteran$w <- ifelse(veteran$trt == 2, 1 / ps, 1 / (1 - ps))
for (g in sort(unique(veteran$trt))) {
    d <- veteran[veteran$trt == g, ]
    s <- summary(survfit(Surv(time, status) ~ 1, data = d, weights = w),
                 times = c(90, 365), extend = TRUE)
    for (k in 1:2)
        add("veteran", "km_iptw", g, "surv_at", sprintf("t=%d", c(90, 365)[k]), s$surv[k])
}

# --- binomial confidence intervals, Fisher's exact test ---
for (xn in list(c(0, 25), c(3, 25), c(22, 25), c(25, 25), c(1, 1), c(17, 44), c(50, 200))) {
    p <- sprintf("x=%d;n=%d", xn[1], xn[2])
    ci <- binom.test(xn[1], xn[2])$conf.int
    add("binomial", "clopper_pearson", "", "lcl", p, ci[1])
    add("binomial", "clopper_pearson", "", "ucl", p, ci[2])
    ci <- suppressWarnings(prop.test(xn[1], xn[2], correct = FALSE))$conf.int
    add("binomial", "wilson", "", "lcl", p, ci[1])
    add("binomial", "wilson", "", "ucl", p, ci[2])
}
for (t in list(c(22, 3, 30, 14), c(5, 20, 12, 32))) {
    p <- sprintf("a=%d;b=%d;c=%d;d=%d", t[1], t[2], t[3], t[4])
    add("fisher", "fisher_2x2", "", "p", p, fisher.test(matrix(t, 2, byrow = TRUE))$p.value)
}

# --- paired data: t test, Wilcoxon signed-rank, description of the change ---
tt <- t.test(paired$wk52, paired$base, paired = TRUE)
add("paired", "paired_t", "", "t_mean", "", tt$estimate)
add("paired", "paired_t", "", "t_lcl", "", tt$conf.int[1])
add("paired", "paired_t", "", "t_ucl", "", tt$conf.int[2])
add("paired", "paired_t", "", "t_p", "", tt$p.value)
wt <- suppressWarnings(wilcox.test(paired$wk52, paired$base, paired = TRUE, exact = FALSE,
                                   correct = TRUE))
add("paired", "wilcoxon_signed_rank_normal_cc", "", "wilcoxon_v", "", wt$statistic)
add("paired", "wilcoxon_signed_rank_normal_cc", "", "wilcoxon_p", "", wt$p.value)
ch <- paired$wk52 - paired$base
q <- quantile(ch, c(0.25, 0.75), type = 2)           # SAS QNTLDEF=5
desc <- c(n = length(ch), mean = mean(ch), sd = sd(ch), median = median(ch), q1 = q[[1]],
          q3 = q[[2]], min = min(ch), max = max(ch))
for (nm in names(desc))
    add("paired", "describe_change", "", nm, "", desc[[nm]])

golden <- do.call(rbind, rows)
write.csv(golden, file.path(out_dir, "golden.csv"), row.names = FALSE)
cat(sprintf("golden.csv: %d values (R %s, survival %s)\n", nrow(golden),
            paste(R.version$major, R.version$minor, sep = "."), packageVersion("survival")))
